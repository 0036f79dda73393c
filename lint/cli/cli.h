#pragma once

namespace alint {

/// The whole command line: parses arguments, runs the command, returns the exit code
/// (0 clean, 1 findings at or above --fail-on, 2 usage/config/internal error).
int RunCli(int argc, char** argv);

}  // namespace alint
