#pragma once

#include <string>
#include <string_view>

namespace lontar {

// Argon2id (libsodium crypto_pwhash_str, interactive limits: 64 MiB, 2 passes).
std::string hash_password(std::string_view password);
bool verify_password(std::string_view encoded_hash, std::string_view password);

// Empty when acceptable, otherwise a sentence saying what is missing.
std::string check_password_strength(std::string_view password);

}  // namespace lontar
