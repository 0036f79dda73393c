#pragma once
/// The commands behind the CLI. Each prints to stdout/stderr and returns the exit status.

#include <string>
#include <vector>

#include "lint/engine/settings.h"

namespace alint {

struct CheckArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string color = "auto";
  unsigned jobs = 0;
  LintSettings settings;
};

struct HeadsArgs {
  std::string path = ".";
  std::string format = "text";
};

int RunCheck(const CheckArgs& args);
int RunHeads(const HeadsArgs& args);
int RunRules(const std::string& format);
int RunExplain(const std::string& rule);

/// Colour decision for a stream: NO_COLOR wins, then --color, then isatty.
bool UseColor(const std::string& mode, int fd);

}  // namespace alint
