#include "support/expect_error.h"

#include <gtest/gtest.h>

namespace lontar::testing {

Error thrown_by(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an error, but the action succeeded";
  return Error(ErrorKind::internal, "nothing_thrown", "nothing was thrown");
}

std::string expect_error(const std::function<void()>& action, ErrorKind kind, const std::string& code) {
  const auto e = thrown_by(action);
  EXPECT_EQ(e.kind(), kind) << e.what();
  EXPECT_EQ(e.code(), code) << e.what();
  return e.what();
}

}  // namespace lontar::testing
