#pragma once

namespace lontar::cli {

// Exit codes: 0 success, 1 a user error (one plain line on stderr), 2 an internal error.
int run(int argc, char** argv);

}  // namespace lontar::cli
