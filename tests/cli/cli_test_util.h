#pragma once
// Runs the built alembic-lint binary (ALINT_BINARY) and captures stdout and the exit status.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace alint::testing {

struct Run {
  int status = -1;
  std::string out;
};

/// `args` is appended to the binary's path as shell words; stderr goes to stdout when
/// `with_stderr`, else to /dev/null; it runs in `cwd` when given.
inline Run RunBinary(const std::string& args, bool with_stderr = false,
                     const std::string& cwd = "") {
  Run r;
  std::string cmd = (cwd.empty() ? std::string() : "cd '" + cwd + "' && ") + "'" +
                    std::string(ALINT_BINARY) + "' " + args +
                    (with_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace alint::testing
