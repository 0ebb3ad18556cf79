#pragma once

#include <functional>
#include <string>

#include "core/error.h"

namespace lontar::testing {

// The Error `action` throws. Records a test failure, and returns an internal error,
// when it throws none.
Error thrown_by(const std::function<void()>& action);

// Expects `action` to throw an Error of `kind` with `code`; returns its message.
std::string expect_error(const std::function<void()>& action, ErrorKind kind, const std::string& code);

}  // namespace lontar::testing
