#pragma once

#include <string>

#include "core/error.h"

namespace lontar::crypto {

// Drains the OpenSSL error queue into one line (OpenSSL never puts key material there).
std::string drain_openssl_errors();

// Throws Error(internal) naming the operation that failed and OpenSSL's reason.
[[noreturn]] void throw_openssl(const std::string& operation);

// Throws Error(invalid_input) with the user-facing `message`; OpenSSL's reason is
// dropped from the queue so it does not leak into a later, unrelated error.
[[noreturn]] void throw_invalid(const std::string& code, const std::string& message);

}  // namespace lontar::crypto
