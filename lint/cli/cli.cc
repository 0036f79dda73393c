#include "lint/cli/cli.h"

#include <cstdio>

namespace alint {

int RunCli(int /*argc*/, char** /*argv*/) {
  std::fputs("alembic-lint: not implemented yet\n", stderr);
  return 2;
}

}  // namespace alint
