#include "lint/cli/cli.h"

int main(int argc, char** argv) { return alint::RunCli(argc, argv); }
