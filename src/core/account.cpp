#include "core/account.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace lontar {

namespace {
constexpr std::array<std::pair<Role, const char*>, 5> kRoleNames{{
    {Role::applicant, "applicant"},
    {Role::verifier, "verifier"},
    {Role::helpdesk, "helpdesk"},
    {Role::admin, "admin"},
    {Role::auditor, "auditor"},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

const char* to_string(Role role) noexcept {
  for (const auto& [r, name] : kRoleNames)
    if (r == role) return name;
  return "applicant";
}

bool is_locked(const Account& account, std::int64_t now) noexcept {
  return account.locked || account.locked_until > now;
}

bool can_help(Role role) noexcept { return role == Role::helpdesk || role == Role::admin; }

bool is_registration_authority(const Account& account) noexcept {
  return account.nik.starts_with(kRegistrationAuthorityPrefix);
}

std::string audit_actor(const Account& account) { return "nik:" + account.nik; }

std::optional<Role> parse_role(std::string_view text) noexcept {
  for (const auto& [r, name] : kRoleNames)
    if (text == name) return r;
  return std::nullopt;
}

std::string check_nik(std::string_view nik) {
  if (nik.size() != 16 || !std::all_of(nik.begin(), nik.end(), is_digit))
    return "A NIK has exactly 16 digits.";
  return {};
}

// Deliberately stricter than RFC 5321: the address goes into certificates as an
// rfc822Name, so only plain ASCII local parts and dotted domains are accepted.
std::string check_email(std::string_view email) {
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string_view::npos || at == 0 || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string_view::npos)
    return "The e-mail address must look like name@example.ac.id.";
  const auto ok_local = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._+-").find(c) != std::string_view::npos;
  };
  const auto ok_domain = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  };
  const auto local = email.substr(0, at);
  const auto domain = email.substr(at + 1);
  if (!std::all_of(local.begin(), local.end(), ok_local) ||
      !std::all_of(domain.begin(), domain.end(), ok_domain) || domain.find('.') == std::string_view::npos ||
      domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return "The e-mail address must look like name@example.ac.id.";
  return {};
}

std::string check_person_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return "A name has between 1 and 128 characters.";
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return "A name must not contain control characters.";
  return {};
}

}  // namespace lontar
