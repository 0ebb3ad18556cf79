#include "cli/cli.h"

int main(int argc, char** argv) { return lontar::cli::run(argc, argv); }
