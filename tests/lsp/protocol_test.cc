#include "lint/lsp/protocol.h"

#include <doctest/doctest.h>

#include <malloc.h>

#include <sstream>
#include <streambuf>

namespace alint::lsp {

namespace {

std::string Frame(const std::string& body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

TEST_CASE("ReadMessage reads framed bodies back to back, whatever other headers say") {
  std::istringstream in(Frame("{\"a\":1}") +
                        "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
                        "content-length: 2\r\n\r\n[]" +
                        "Content-Length: 3\n\n{ }");
  ReadResult r = ReadMessage(in);
  CHECK(r.status == ReadStatus::kMessage);
  CHECK(r.body == "{\"a\":1}");
  r = ReadMessage(in);
  CHECK(r.status == ReadStatus::kMessage);
  CHECK(r.body == "[]");
  r = ReadMessage(in);  // bare "\n" line ends
  CHECK(r.status == ReadStatus::kMessage);
  CHECK(r.body == "{ }");
  CHECK(ReadMessage(in).status == ReadStatus::kEof);
}

TEST_CASE("ReadMessage skips a header block it cannot use and recovers") {
  std::istringstream in("garbage line\r\n\r\nContent-Length: x1\r\n\r\n" + Frame("{}"));
  ReadResult r = ReadMessage(in);
  CHECK(r.status == ReadStatus::kBadHeader);
  CHECK(r.error.find("garbage") != std::string::npos);
  r = ReadMessage(in);
  CHECK(r.status == ReadStatus::kBadHeader);
  CHECK(r.error.find("x1") != std::string::npos);
  r = ReadMessage(in);
  CHECK(r.status == ReadStatus::kMessage);
  CHECK(r.body == "{}");
}

TEST_CASE("ReadMessage: a body cut short is the end of the stream, not a message") {
  std::istringstream in("Content-Length: 10\r\n\r\n{\"a\"");
  CHECK(ReadMessage(in).status == ReadStatus::kEof);
  std::istringstream huge("Content-Length: 99999999999999\r\n\r\n");
  CHECK(ReadMessage(huge).status == ReadStatus::kBadHeader);
}

TEST_CASE("WriteMessage frames with the byte length") {
  std::ostringstream out;
  WriteMessage(out, "{\"m\":\"é\"}");
  CHECK(out.str() == "Content-Length: 10\r\n\r\n{\"m\":\"é\"}");
}

TEST_CASE("file URIs decode and encode") {
  CHECK(UriToPath("file:///a/b%20c.py") == "/a/b c.py");
  CHECK(UriToPath("file://localhost/x/y.py") == "/x/y.py");
  CHECK(UriToPath("FILE:///x%C3%A9.py") == "/x\xC3\xA9.py");
  CHECK_FALSE(UriToPath("untitled:Untitled-1").has_value());
  CHECK_FALSE(UriToPath("file://server/share/x.py").has_value());
  CHECK_FALSE(UriToPath("file:///a%2").has_value());
  CHECK_FALSE(UriToPath("file:///a%zz").has_value());
  CHECK(PathToUri("/a/b c#1é.py") == "file:///a/b%20c%231%C3%A9.py");
  for (std::string p : {"/x/y z/ü.py", "/a/%41.py", "/plain/path_1-2.~py"})
    CHECK(UriToPath(PathToUri(p)) == p);
}

TEST_CASE("positions count UTF-16 code units") {
  // "🚀" is 4 bytes / 2 UTF-16 units, "é" 2 bytes / 1 unit.
  SourceFile f(0, "t.py", "a\nx = \"\xF0\x9F\x9A\x80\xC3\xA9\"; y = 1\n");
  uint32_t y = static_cast<uint32_t>(f.text.find("y ="));
  Position p = ToPosition(f, y);
  CHECK(p.line == 1);
  CHECK(p.character == 11);  // x = " (5) + 2 + 1 + "; (2) + space (1)
  CHECK(ToOffset(f.lines, f.text, p) == y);
  Range r = ToRange(f, y, y + 5);
  CHECK(r.end.character == 16);
  CHECK(ToPosition(f, 1000).line == 2);                    // clamped to the end
  CHECK(ToOffset(f.lines, f.text, Position{0, 99}) == 1);  // clamped to the line end
}

}  // namespace alint::lsp

namespace alint::lsp {

namespace {

// A stream that hands out `data` and, when it runs dry, records how many bytes glibc has
// mapped for large blocks: what the reader allocated before it saw the end.
class ProbeBuf : public std::streambuf {
 public:
  explicit ProbeBuf(std::string data) : data_(std::move(data)) {
    setg(data_.data(), data_.data(), data_.data() + data_.size());
  }
  size_t mapped_at_end = 0;

 protected:
  int_type underflow() override {
    mapped_at_end = mallinfo2().hblkhd;
    return traits_type::eof();
  }

 private:
  std::string data_;
};

}  // namespace

TEST_CASE("ReadMessage: memory follows the bytes received, not the declared length") {
  size_t before = mallinfo2().hblkhd;
  ProbeBuf buf("Content-Length: 60000000\r\n\r\n{\"jsonrpc\":\"2.0\"}");
  std::istream in(&buf);
  CHECK(ReadMessage(in).status == ReadStatus::kEof);
  CHECK(buf.mapped_at_end < before + (1 << 20));  // not the 57 MiB declared
  // Over the limit: a bad header, flagged so that the server can answer it.
  std::istringstream huge("Content-Length: 500000000\r\n\r\n");
  ReadResult r = ReadMessage(huge);
  CHECK(r.status == ReadStatus::kBadHeader);
  CHECK(r.too_large);
  CHECK(r.error == "Content-Length 500000000 is over the 64 MiB limit");
}

TEST_CASE("ReadMessage resynchronises on the next header after a bad one") {
  const std::string valid = Frame("{\"id\":1}") + Frame("{\"id\":2}");
  // A lying length over the limit, its few bytes glued to the next header.
  std::istringstream a("Content-Length: 500000000\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":0}" + valid);
  // A body sent under an unusable header, also without a line break of its own.
  std::istringstream b("Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":0}" + valid);
  // A long run of garbage (over the header line limit) before a header.
  std::istringstream c("Content-Length: 1x\r\n\r\n" + std::string(200000, 'g') + valid);
  for (std::istringstream* in : {&a, &b, &c}) {
    CHECK(ReadMessage(*in).status == ReadStatus::kBadHeader);
    ReadResult r = ReadMessage(*in);
    CHECK(r.status == ReadStatus::kMessage);
    CHECK(r.body == "{\"id\":1}");
    r = ReadMessage(*in);
    CHECK(r.status == ReadStatus::kMessage);
    CHECK(r.body == "{\"id\":2}");
    CHECK(ReadMessage(*in).status == ReadStatus::kEof);
  }
}

}  // namespace alint::lsp
