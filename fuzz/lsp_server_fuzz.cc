// The language server fed framed messages: the input is a list of JSON-RPC bodies separated by
// "\n---\n"; each is framed with its Content-Length and the stream runs through RunServer after
// an `initialize`, over an in-memory repository with one migration open on disk.

#include <sstream>

#include "fuzz/fuzz_util.h"
#include "lint/lsp/protocol.h"
#include "lint/lsp/server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alint;
  MemoryFileSource fs;
  fuzz::AddBaseRepo(fs);
  fs.Add("/r/migrations/versions/a1_first.py",
         "\"\"\"first\n\nRevision ID: a1\nRevises:\n\"\"\"\nfrom alembic import op\n"
         "revision = 'a1'\ndown_revision = None\n\n\ndef upgrade():\n"
         "    op.create_index('ix', 't', ['c'])\n");
  std::ostringstream framed;
  lsp::WriteMessage(framed, R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"rootUri":)"
                            R"("file:///r","capabilities":{}}})");
  lsp::WriteMessage(framed, R"({"jsonrpc":"2.0","method":"initialized","params":{}})");
  for (std::string_view body : fuzz::Split(fuzz::AsText(data, size), "\n---\n")) {
    lsp::WriteMessage(framed, body);
  }
  std::istringstream in(framed.str());
  std::ostringstream out;
  int status = lsp::RunServer(in, out, fs);
  if (status != 0 && status != 1) fuzz::Fail("exit status not 0 or 1");
  return 0;
}
