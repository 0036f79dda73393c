// The language server's wire layer: Content-Length framing read from a byte stream.

#include <sstream>

#include "fuzz/fuzz_util.h"
#include "lint/lsp/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alint;
  std::istringstream in(std::string(fuzz::AsText(data, size)));
  // Every call consumes input or reports the end: more calls than bytes is a hang.
  for (size_t calls = 0;; ++calls) {
    if (calls > size + 2) fuzz::Fail("ReadMessage does not make progress");
    lsp::ReadResult r = lsp::ReadMessage(in);
    if (r.status == lsp::ReadStatus::kEof) break;
    if (r.status == lsp::ReadStatus::kMessage && r.body.size() > size) {
      fuzz::Fail("a message body longer than the input");
    }
  }
  std::optional<std::string> path = lsp::UriToPath(fuzz::AsText(data, size));
  if (path) (void)lsp::PathToUri(*path);
  return 0;
}
