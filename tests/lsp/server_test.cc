#include "lint/lsp/server.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace alint::lsp {

namespace {

using Json = nlohmann::json;

constexpr const char* kPath = "/r/migrations/versions/3f2a9c1d7b4e_first.py";
constexpr const char* kUri = "file:///r/migrations/versions/3f2a9c1d7b4e_first.py";

// One migration; `extra` lands on the line before `revision`.
std::string Text(const std::string& down, const std::string& extra = "") {
  return "\"\"\"first\n\nRevision ID: 3f2a9c1d7b4e\nRevises: \nCreate Date: 2024-03-01 "
         "10:00:00\n\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n" +
         extra + "revision = \"3f2a9c1d7b4e\"\ndown_revision = " + down +
         "\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n"
         "    op.create_index(\"ix_users_email\", \"users\", [\"email\"])\n\n\n"
         "def downgrade():\n    pass\n";
}

struct Harness {
  MemoryFileSource disk;
  std::vector<Json> out;
  Server server{disk, [this](const std::string& body) { out.push_back(Json::parse(body)); }};
  int next_id = 1;

  Harness() {
    disk.Add("/r/alembic.ini", "[alembic]\nscript_location = migrations\n");
    disk.Add("/r/migrations/env.py", "# env\n");
    disk.Add(kPath, Text("None"));
  }
  Json Request(const std::string& method, Json params) {
    int id = next_id++;
    server.Handle(
        Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump());
    for (const Json& m : out) {
      if (m.contains("id") && m["id"] == id) return m;
    }
    FAIL("no response to " << method);
    return {};
  }
  void Notify(const std::string& method, Json params) {
    server.Handle(Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}}.dump());
  }
  void Initialize() {
    Json r =
        Request("initialize",
                {{"rootUri", "file:///r"},
                 {"capabilities",
                  {{"textDocument", {{"publishDiagnostics", {{"relatedInformation", true}}}}},
                   {"workspace", {{"didChangeWatchedFiles", {{"dynamicRegistration", true}}}}}}}});
    REQUIRE(r.contains("result"));
    Notify("initialized", Json::object());
  }
  // The latest diagnostics published for `uri`, or null when none were.
  Json Diagnostics(const std::string& uri) const {
    Json last;
    for (const Json& m : out) {
      if (m.value("method", "") == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        last = m["params"]["diagnostics"];
    }
    return last;
  }
};

}  // namespace

TEST_CASE("requests before initialize, garbage and unknown methods get errors, not a crash") {
  Harness h;
  Json r = h.Request("textDocument/hover", Json::object());
  CHECK(r["error"]["code"] == -32002);
  h.server.Handle("{this is not json");
  CHECK(h.out.back()["error"]["code"] == -32700);
  CHECK(h.out.back()["id"].is_null());
  h.server.Handle("[1, 2]");
  CHECK(h.out.back()["error"]["code"] == -32600);
  h.server.Handle("{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"shutdown\"}");
  CHECK(h.out.back()["error"]["code"] == -32600);

  h.Initialize();
  // Registers the file watchers the client offered.
  bool registered = false;
  for (const Json& m : h.out)
    registered = registered || m.value("method", "") == "client/registerCapability";
  CHECK(registered);
  CHECK(h.Request("initialize", Json::object())["error"]["code"] == -32600);
  CHECK(h.Request("textDocument/definition", Json::object())["error"]["code"] == -32601);
  CHECK(h.Request("textDocument/hover", {{"textDocument", {{"uri", kUri}}}})["error"]["code"] ==
        -32602);
  CHECK(h.Request("textDocument/codeAction",
                  {{"textDocument", {{"uri", "untitled:1"}}}})["error"]["code"] == -32602);
  size_t before = h.out.size();
  h.Notify("textDocument/didOpen", nullptr);                             // no params
  h.Notify("textDocument/didChange", {{"textDocument", {{"uri", 3}}}});  // wrong type
  h.Notify("$/cancelRequest", {{"id", 1}});
  h.server.Handle("{\"jsonrpc\":\"2.0\",\"id\":\"alembic-lint-1\",\"result\":null}");  // a reply
  CHECK(h.out.size() == before);
  CHECK_FALSE(h.server.exited());
  h.Notify("exit", nullptr);
  CHECK(h.server.exited());
  CHECK(h.server.exit_code() == 1);  // exit without shutdown
}

TEST_CASE("incremental edits in UTF-16, diagnostics, hover and quick fix") {
  Harness h;
  h.Initialize();
  // A non-BMP character on the edited line: the change range is in UTF-16 units.
  std::string text = Text("None", "_tag = \"\xF0\x9F\x9A\x80\"; x = None\n");
  h.Notify("textDocument/didOpen",
           {{"textDocument",
             {{"uri", kUri}, {"languageId", "python"}, {"version", 1}, {"text", text}}}});
  // Only the op's DDL findings (if any): nothing about down_revision yet.
  for (const Json& d : h.Diagnostics(kUri)) CHECK(d["code"] != "empty-down-revision");

  // Line 9 is `_tag = "🚀"; x = None`: replace `x = None` (UTF-16 columns 13..21) by a
  // plain assignment; then break the real down_revision.
  h.Notify("textDocument/didChange", {{"textDocument", {{"uri", kUri}, {"version", 2}}},
                                      {"contentChanges",
                                       {{{"range",
                                          {{"start", {{"line", 9}, {"character", 13}}},
                                           {"end", {{"line", 9}, {"character", 21}}}}},
                                         {"text", "y = 2"}},
                                        {{"range",
                                          {{"start", {{"line", 11}, {"character", 16}}},
                                           {"end", {{"line", 11}, {"character", 20}}}}},
                                         {"text", "\"\""}}}}});
  Json diags = h.Diagnostics(kUri);
  REQUIRE(diags.is_array());
  const Json* empty = nullptr;
  for (const Json& d : diags) {
    CHECK_MESSAGE(d["code"] != "parse-error",
                  d.dump());  // a misplaced UTF-16 range would break the syntax
    if (d["code"] == "empty-down-revision") empty = &d;
  }
  REQUIRE(empty != nullptr);
  CHECK((*empty)["severity"] == 1);  // error: Alembic refuses to load it
  CHECK((*empty)["source"] == "alembic-lint");
  CHECK((*empty)["range"]["start"] == Json{{"line", 11}, {"character", 16}});
  CHECK((*empty)["range"]["end"] == Json{{"line", 11}, {"character", 18}});
  CHECK((*empty)["message"].get<std::string>().find("\nhelp: ") != std::string::npos);
  // The last publication carries the document's version.
  const Json* last = nullptr;
  for (const Json& m : h.out) {
    if (m.value("method", "") == "textDocument/publishDiagnostics") last = &m;
  }
  REQUIRE(last != nullptr);
  CHECK((*last)["params"]["version"] == 2);

  Json hover = h.Request("textDocument/hover", {{"textDocument", {{"uri", kUri}}},
                                                {"position", {{"line", 11}, {"character", 17}}}});
  std::string md = hover["result"]["contents"]["value"];
  CHECK(md.find("empty-down-revision") != std::string::npos);
  CHECK(hover["result"]["range"] == (*empty)["range"]);

  Json lock = h.Request("textDocument/hover", {{"textDocument", {{"uri", kUri}}},
                                               {"position", {{"line", 17}, {"character", 8}}}});
  std::string lock_md = lock["result"]["contents"]["value"];
  // CREATE INDEX without CONCURRENTLY takes exactly SHARE on the table: not SHARE UPDATE
  // EXCLUSIVE, SHARE ROW EXCLUSIVE or ROW SHARE, which all contain the word.
  CHECK(lock_md.find("- `users`: **SHARE** lock") != std::string::npos);
  Json nothing = h.Request("textDocument/hover", {{"textDocument", {{"uri", kUri}}},
                                                  {"position", {{"line", 0}, {"character", 0}}}});
  CHECK(nothing["result"].is_null());

  Json actions =
      h.Request("textDocument/codeAction", {{"textDocument", {{"uri", kUri}}},
                                            {"range", (*empty)["range"]},
                                            {"context", {{"diagnostics", Json::array()}}}});
  REQUIRE(actions["result"].size() == 1);
  const Json& a = actions["result"][0];
  CHECK(a["kind"] == "quickfix");
  CHECK(a["isPreferred"] == true);
  const Json& edit = a["edit"]["changes"][kUri][0];
  CHECK(edit["newText"] == "None");
  CHECK(edit["range"] == (*empty)["range"]);
  Json refactor_only =
      h.Request("textDocument/codeAction",
                {{"textDocument", {{"uri", kUri}}},
                 {"range", (*empty)["range"]},
                 {"context", {{"diagnostics", Json::array()}, {"only", {"refactor"}}}}});
  CHECK(refactor_only["result"].empty());

  h.Notify("textDocument/didClose", {{"textDocument", {{"uri", kUri}}}});
  CHECK(h.Diagnostics(kUri).empty());

  CHECK(h.Request("shutdown", nullptr)["result"].is_null());
  h.Notify("exit", nullptr);
  CHECK(h.server.exit_code() == 0);
}

}  // namespace alint::lsp

namespace alint::lsp {

TEST_CASE("RunServer: an oversized message gets an error with a null id; the next ones are read") {
  MemoryFileSource disk;
  auto frame = [](const std::string& body) {
    return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  std::istringstream in("Content-Length: 500000000\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":9}" +
                        frame(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})") +
                        frame(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})") +
                        frame(R"({"jsonrpc":"2.0","method":"exit"})"));
  std::ostringstream out;
  CHECK(RunServer(in, out, disk) == 0);  // shutdown, then exit: both were read
  std::string text = out.str();
  CHECK(text.find(R"("error":{"code":-32600,"message":"Content-Length 500000000 is over the )"
                  R"(64 MiB limit; the message was skipped"},"id":null)") != std::string::npos);
  CHECK(text.find(R"("id":1,"jsonrpc":"2.0","result":{"capabilities")") != std::string::npos);
  CHECK(text.find(R"("id":2,"jsonrpc":"2.0","result":null)") != std::string::npos);
}

}  // namespace alint::lsp
