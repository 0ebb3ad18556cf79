#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lontar {

// Every account may apply for certificates; the role adds what else it may do.
enum class Role { applicant, verifier, helpdesk, admin, auditor };

const char* to_string(Role role) noexcept;
std::optional<Role> parse_role(std::string_view text) noexcept;

struct Account {
  std::int64_t id = 0;
  std::string nik;            // 16-digit national identity number (NIK)
  std::string name;
  std::string email;
  std::string organisation;
  std::string unit;
  std::string staff_number;   // NIP; may be empty
  Role role = Role::applicant;
  std::string password_hash;  // Argon2id, libsodium's encoded string
  bool locked = false;
  bool must_change_password = false;
  std::int64_t created_at = 0;
  int failed_logins = 0;          // consecutive failures since the last success
  std::int64_t locked_until = 0;  // temporary lock after repeated failures (unix seconds)
};

// Temporarily after repeated failed logins, or until the helpdesk lifts it.
bool is_locked(const Account& account, std::int64_t now) noexcept;
// Who may look accounts up and lift locks (the helpdesk; administrators too).
bool can_help(Role role) noexcept;
// An account that stands for a registration authority, not a person: nobody logs in
// with it and nobody resets its password.
bool is_registration_authority(const Account& account) noexcept;
inline constexpr std::string_view kRegistrationAuthorityPrefix = "ra:";
// How a person is named in the audit trail.
std::string audit_actor(const Account& account);

// Validation of what an administrator types; each returns an empty string when valid,
// otherwise a sentence saying what is wrong.
std::string check_nik(std::string_view nik);
std::string check_email(std::string_view email);
std::string check_person_name(std::string_view name);

}  // namespace lontar
