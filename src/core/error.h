#pragma once

#include <stdexcept>
#include <string>

namespace lontar {

// What went wrong, as far as a caller needs to know to react. The HTTP layer maps
// each kind to one status; the CLI maps user-facing kinds to exit code 1.
enum class ErrorKind {
  invalid_input,    // the caller sent something malformed
  policy,           // well-formed, but the product or procedure forbids it
  not_found,
  conflict,         // state changed under the caller, or a uniqueness rule
  unauthenticated,
  forbidden,
  unavailable,      // a dependency (database, key) cannot be reached right now
  rate_limited,     // the caller asked too often; try again later
  internal,         // a bug or an environment failure; the user sees a generic text
};

const char* to_string(ErrorKind kind) noexcept;

// A typed error. `code` is stable and machine readable ("csr_bad_signature");
// what() is a plain sentence the user can act on and never contains a secret.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string code, const std::string& message)
      : std::runtime_error(message), kind_(kind), code_(std::move(code)) {}

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& code() const noexcept { return code_; }
  bool is_user_error() const noexcept {
    return kind_ != ErrorKind::internal && kind_ != ErrorKind::unavailable;
  }

 private:
  ErrorKind kind_;
  std::string code_;
};

}  // namespace lontar
