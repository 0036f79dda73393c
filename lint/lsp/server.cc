#include "lint/lsp/server.h"

#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "lint/lsp/hover.h"
#include "lint/lsp/protocol.h"

namespace alint::lsp {

namespace {

using Json = nlohmann::json;

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;

// Thrown inside a handler when params lack what the method needs; becomes InvalidParams.
struct ParamsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const Json& Field(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string RequireString(const Json& j, const char* key) {
  const Json& v = Field(j, key);
  if (!v.is_string()) throw ParamsError(fmt::format("`{}` must be a string", key));
  return v.get<std::string>();
}

uint32_t RequireUint(const Json& j, const char* key) {
  const Json& v = Field(j, key);
  if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > UINT32_MAX)
    throw ParamsError(fmt::format("`{}` must be a non-negative integer", key));
  return static_cast<uint32_t>(v.get<long long>());
}

Position RequirePosition(const Json& j) {
  if (!j.is_object()) throw ParamsError("a position must be an object");
  return Position{RequireUint(j, "line"), RequireUint(j, "character")};
}

Range RequireRange(const Json& j) {
  if (!j.is_object()) throw ParamsError("a range must be an object");
  return Range{RequirePosition(Field(j, "start")), RequirePosition(Field(j, "end"))};
}

// The local path of params.textDocument.uri, normalised.
std::string DocumentPath(const Json& params) {
  std::string uri = RequireString(Field(params, "textDocument"), "uri");
  std::optional<std::string> path = UriToPath(uri);
  if (!path) throw ParamsError(fmt::format("not a local file URI: {}", uri));
  return NormalizePath(*path);
}

Json ToJson(Position p) { return {{"line", p.line}, {"character", p.character}}; }
Json ToJson(const Range& r) { return {{"start", ToJson(r.start)}, {"end", ToJson(r.end)}}; }

bool Before(Position a, Position b) {
  return a.line < b.line || (a.line == b.line && a.character < b.character);
}

int LspSeverity(Severity s) {
  switch (s) {
    case Severity::kError:
      return 1;
    case Severity::kWarning:
      return 2;
    case Severity::kInfo:
      return 3;
  }
  return 2;
}

std::string Cwd() {
  std::error_code ec;
  auto p = std::filesystem::current_path(ec);
  return ec ? std::string() : p.generic_string();
}

void LogStderr(const std::string& text) {
  std::fprintf(stderr, "alembic-lint lsp: %s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace

Server::Server(const FileSource& disk, std::function<void(const std::string&)> send)
    : disk_(disk), send_(std::move(send)) {}

Server::~Server() = default;

void Server::Respond(const Json& id, Json result) {
  send_(Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}.dump(
      -1, ' ', false, Json::error_handler_t::replace));
}

void Server::RespondError(const Json& id, int code, const std::string& message) {
  send_(
      Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}}.dump(
          -1, ' ', false, Json::error_handler_t::replace));
}

void Server::RejectUnread(const std::string& why) {
  RespondError(nullptr, kInvalidRequest, why + "; the message was skipped");
}

void Server::Notify(const std::string& method, Json params) {
  send_(Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}}.dump(
      -1, ' ', false, Json::error_handler_t::replace));
}

void Server::LogToClient(int type, const std::string& text) {
  LogStderr(text);
  if (!initialized_) return;
  Notify("window/logMessage", {{"type", type}, {"message", text}});
  if (type == 1) Notify("window/showMessage", {{"type", type}, {"message", text}});
}

void Server::Handle(std::string_view body) {
  Json msg = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (msg.is_discarded()) {
    LogStderr("ignoring a message that is not JSON");
    RespondError(nullptr, kParseError, "the message is not valid JSON");
    return;
  }
  if (!msg.is_object()) {
    RespondError(nullptr, kInvalidRequest, "a message must be a JSON object");
    return;
  }
  const Json& method = Field(msg, "method");
  const Json* id = nullptr;
  if (msg.contains("id")) {
    id = &msg["id"];
    if (!id->is_number_integer() && !id->is_string()) {
      RespondError(nullptr, kInvalidRequest, "`id` must be an integer or a string");
      return;
    }
  }
  if (!method.is_string()) {
    // A response to one of our requests (client/registerCapability): nothing to do.
    if (id && (msg.contains("result") || msg.contains("error"))) return;
    RespondError(id ? *id : Json(nullptr), kInvalidRequest, "`method` must be a string");
    return;
  }
  const Json& params = Field(msg, "params");
  Dispatch(method.get<std::string>(), params, id);
}

void Server::Dispatch(const std::string& method, const Json& params, const Json* id) {
  if (method == "exit") {
    exited_ = true;
    return;
  }
  if (!initialized_ && method != "initialize") {
    if (id) RespondError(*id, kServerNotInitialized, "the server is not initialized yet");
    return;
  }
  if (shutdown_) {
    if (id) RespondError(*id, kInvalidRequest, "the server is shutting down");
    return;
  }
  try {
    if (id) {
      if (method == "initialize") {
        if (initialized_) {
          RespondError(*id, kInvalidRequest, "initialize was already received");
          return;
        }
        Respond(*id, Initialize(params));
      } else if (method == "shutdown") {
        shutdown_ = true;
        Respond(*id, nullptr);
      } else if (method == "textDocument/hover") {
        Respond(*id, Hover(params));
      } else if (method == "textDocument/codeAction") {
        Respond(*id, CodeAction(params));
      } else {
        RespondError(*id, kMethodNotFound, fmt::format("method not supported: {}", method));
      }
      return;
    }
    if (method == "initialized") {
      Initialized();
    } else if (method == "textDocument/didOpen") {
      DidOpen(params);
    } else if (method == "textDocument/didChange") {
      DidChange(params);
    } else if (method == "textDocument/didSave") {
      DidSave(params);
    } else if (method == "textDocument/didClose") {
      DidClose(params);
    } else if (method == "workspace/didChangeWatchedFiles") {
      DidChangeWatchedFiles(params);
    }
    // Other notifications ($/cancelRequest, $/setTrace, didChangeConfiguration) are ignored.
  } catch (const ParamsError& e) {
    LogStderr(fmt::format("{}: invalid params: {}", method, e.what()));
    if (id) RespondError(*id, kInvalidParams, e.what());
  } catch (const std::exception& e) {
    LogStderr(fmt::format("{}: internal error: {}", method, e.what()));
    if (id) RespondError(*id, kInternalError, e.what());
  }
  Publish();
}

Json Server::Initialize(const Json& params) {
  std::string root;
  const Json& folders = Field(params, "workspaceFolders");
  if (folders.is_array() && !folders.empty() && Field(folders[0], "uri").is_string()) {
    if (auto p = UriToPath(Field(folders[0], "uri").get<std::string>())) root = *p;
  }
  if (root.empty() && Field(params, "rootUri").is_string()) {
    if (auto p = UriToPath(Field(params, "rootUri").get<std::string>())) root = *p;
  }
  if (root.empty() && Field(params, "rootPath").is_string())
    root = Field(params, "rootPath").get<std::string>();
  if (root.empty()) root = Cwd();
  root = NormalizePath(root);

  const Json& caps = Field(params, "capabilities");
  const Json& watch =
      Field(Field(Field(caps, "workspace"), "didChangeWatchedFiles"), "dynamicRegistration");
  watch_files_ = watch.is_boolean() && watch.get<bool>();
  const Json& related =
      Field(Field(Field(caps, "textDocument"), "publishDiagnostics"), "relatedInformation");
  related_info_ = related.is_boolean() && related.get<bool>();

  LintSession::Options options;
  options.display_base = root;
  session_ = std::make_unique<LintSession>(disk_, options);
  initialized_ = true;
  LogStderr(fmt::format("initialized (root {})", root));

  Json capabilities = {
      {"positionEncoding", "utf-16"},
      {"textDocumentSync",
       {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"hoverProvider", true},
      {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
  };
  return {{"capabilities", capabilities},
          {"serverInfo", {{"name", "alembic-lint"}, {"version", ALINT_VERSION}}}};
}

void Server::Initialized() {
  if (!watch_files_) return;
  Json watchers = Json::array();
  for (const char* glob : {"**/*.py", "**/*.ini", "**/pyproject.toml", "**/.alembic-lint.toml"})
    watchers.push_back({{"globPattern", glob}});
  send_(Json{{"jsonrpc", "2.0"},
             {"id", fmt::format("alembic-lint-{}", next_request_id_++)},
             {"method", "client/registerCapability"},
             {"params",
              {{"registrations",
                {{{"id", "alembic-lint-watched-files"},
                  {"method", "workspace/didChangeWatchedFiles"},
                  {"registerOptions", {{"watchers", watchers}}}}}}}}}
            .dump());
}

void Server::DidOpen(const Json& params) {
  std::string path = DocumentPath(params);
  const Json& doc = Field(params, "textDocument");
  std::string text = RequireString(doc, "text");
  uris_[path] = RequireString(doc, "uri");
  if (Field(doc, "version").is_number_integer()) versions_[path] = Field(doc, "version").get<int>();
  session_->Open(path, std::move(text));
}

void Server::DidChange(const Json& params) {
  std::string path = DocumentPath(params);
  const Json& changes = Field(params, "contentChanges");
  if (!changes.is_array()) throw ParamsError("`contentChanges` must be an array");
  const std::string* current = session_->Text(path);
  std::string text = current ? *current : std::string();
  bool known = current != nullptr;
  for (const Json& change : changes) {
    std::string new_text = RequireString(change, "text");
    const Json& range = Field(change, "range");
    if (range.is_null()) {
      text = std::move(new_text);
      known = true;
      continue;
    }
    if (!known) throw ParamsError("an incremental change for a document that is not open");
    Range r = RequireRange(range);
    LineIndex lines(text);
    uint32_t begin = ToOffset(lines, text, r.start);
    uint32_t end = ToOffset(lines, text, r.end);
    if (end < begin) std::swap(begin, end);
    text.replace(begin, end - begin, new_text);
  }
  if (!known) return;
  if (Field(Field(params, "textDocument"), "version").is_number_integer())
    versions_[path] = Field(Field(params, "textDocument"), "version").get<int>();
  if (!uris_.count(path)) uris_[path] = RequireString(Field(params, "textDocument"), "uri");
  if (current) {
    session_->Change(path, std::move(text));
  } else {
    session_->Open(path, std::move(text));
  }
}

void Server::DidSave(const Json& params) { session_->Save(DocumentPath(params)); }

void Server::DidClose(const Json& params) {
  std::string path = DocumentPath(params);
  versions_.erase(path);
  session_->Close(path);
}

void Server::DidChangeWatchedFiles(const Json& params) {
  const Json& changes = Field(params, "changes");
  if (!changes.is_array()) throw ParamsError("`changes` must be an array");
  for (const Json& change : changes) {
    if (!Field(change, "uri").is_string()) continue;
    std::optional<std::string> path = UriToPath(Field(change, "uri").get<std::string>());
    if (path) session_->DiskChanged(NormalizePath(*path));
  }
}

Json Server::Hover(const Json& params) {
  std::string path = DocumentPath(params);
  Position pos = RequirePosition(Field(params, "position"));
  std::optional<LintSession::FileView> view = session_->View(path);
  if (!view) return nullptr;
  const SourceFile& file = *view->file;
  uint32_t offset = ToOffset(file.lines, file.text, pos);
  std::optional<HoverText> diag = DiagnosticHover(session_->DiagnosticsOf(path), offset);
  std::optional<HoverText> lock;
  if (view->migration->full)
    lock = LockHover(*view->migration, file, offset, *view->settings, view->env);
  if (!diag && !lock) return nullptr;
  std::string md;
  Range range;
  if (diag) {
    md = diag->markdown;
    range = diag->range;
  }
  if (lock) {
    if (!md.empty()) md += "\n---\n\n";
    md += lock->markdown;
    if (!diag) range = lock->range;
  }
  return {{"contents", {{"kind", "markdown"}, {"value", md}}}, {"range", ToJson(range)}};
}

Json Server::CodeAction(const Json& params) {
  std::string path = DocumentPath(params);
  Range want = RequireRange(Field(params, "range"));
  const Json& only = Field(Field(params, "context"), "only");
  if (only.is_array()) {
    bool quickfix = false;
    for (const Json& k : only) {
      if (!k.is_string()) continue;
      std::string kind = k.get<std::string>();
      quickfix = quickfix || kind == "quickfix" || kind.empty();
    }
    if (!quickfix) return Json::array();
  }
  Json actions = Json::array();
  for (const Diagnostic& d : session_->DiagnosticsOf(path)) {
    if (!d.fix) continue;
    if (Before(want.end, d.range.start) || Before(d.range.end, want.start)) continue;
    Json changes = Json::object();
    for (const TextEdit& e : d.fix->edits) {
      changes[UriFor(e.path)].push_back({{"range", ToJson(e.range)}, {"newText", e.new_text}});
    }
    actions.push_back({{"title", fmt::format("{} ({})", d.fix->title, d.rule)},
                       {"kind", "quickfix"},
                       {"diagnostics", Json::array({DiagnosticJson(d)})},
                       {"isPreferred", d.fix->preferred},
                       {"edit", {{"changes", changes}}}});
  }
  return actions;
}

std::string Server::UriFor(const std::string& path) const {
  auto it = uris_.find(path);
  return it != uris_.end() ? it->second : PathToUri(path);
}

Json Server::DiagnosticJson(const Diagnostic& d) const {
  std::string message = d.message;
  if (d.help) message += "\nhelp: " + *d.help;
  Json j = {{"range", ToJson(d.range)},
            {"severity", LspSeverity(d.severity)},
            {"code", d.rule},
            {"source", "alembic-lint"},
            {"message", message}};
  if (related_info_ && !d.related.empty()) {
    Json related = Json::array();
    for (const RelatedLocation& r : d.related) {
      related.push_back({{"location", {{"uri", UriFor(r.path)}, {"range", ToJson(r.range)}}},
                         {"message", r.message}});
    }
    j["relatedInformation"] = related;
  }
  return j;
}

void Server::Publish() {
  if (!session_) return;
  for (const LogMessage& m : session_->TakeLog()) LogToClient(m.type, m.text);
  for (const auto& [path, diags] : session_->TakeChanged()) {
    Json list = Json::array();
    for (const Diagnostic& d : diags) list.push_back(DiagnosticJson(d));
    Json params = {{"uri", UriFor(path)}, {"diagnostics", list}};
    auto v = versions_.find(path);
    if (v != versions_.end() && session_->Text(path)) params["version"] = v->second;
    Notify("textDocument/publishDiagnostics", std::move(params));
  }
}

int RunServer(std::istream& in, std::ostream& out, const FileSource& disk) {
  Server server(disk, [&](const std::string& body) { WriteMessage(out, body); });
  while (!server.exited()) {
    ReadResult r = ReadMessage(in);
    if (r.status == ReadStatus::kEof) {
      LogStderr("the client closed the connection");
      break;
    }
    if (r.status == ReadStatus::kBadHeader) {
      LogStderr(fmt::format("skipping a malformed message header ({})", r.error));
      // The request's id is unknown without reading it: JSON-RPC answers with a null id.
      if (r.too_large) server.RejectUnread(r.error);
      continue;
    }
    server.Handle(r.body);
  }
  return server.exit_code();
}

int RunLsp() {
  // A client that goes away must end the server through EOF, not kill it mid-write.
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  DiskFileSource disk;
  return RunServer(std::cin, std::cout, disk);
}

}  // namespace alint::lsp
