#include "core/registration_authorities.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/account.h"
#include "core/error.h"

namespace lontar {

namespace {
std::string check_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return "An RA's name has 1 to 64 characters.";
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  if (!plain) return "An RA's name uses letters, digits, '-', '_' and '.' only (it appears in the audit trail).";
  return {};
}
}  // namespace

bool may_request(const RegistrationAuthority& ra, std::string_view product_id) {
  return ra.removed_at == 0 && std::find(ra.products.begin(), ra.products.end(), product_id) != ra.products.end();
}

std::string audit_actor(const RegistrationAuthority& ra) { return "ra:" + ra.name; }

RegistrationAuthority RegistrationAuthorities::add(const NewRegistrationAuthority& command) const {
  if (auto problem = check_name(command.name); !problem.empty())
    throw Error(ErrorKind::invalid_input, "bad_ra_name", problem);
  if (command.products.empty())
    throw Error(ErrorKind::invalid_input, "no_products", "Name the products this RA may request (--products).");
  for (const auto& id : command.products) products_.require(id);
  if (command.certificate_sha256.size() != 64)
    throw Error(ErrorKind::invalid_input, "bad_certificate", "The RA's certificate cannot be read.");
  const auto now = to_unix(clock_.now());
  RegistrationAuthority ra;
  ra.name = command.name;
  ra.certificate_pem = command.certificate_pem;
  ra.certificate_sha256 = command.certificate_sha256;
  ra.products = command.products;
  ra.created_at = now;
  store_.write([&](StoreTransaction& tx) {
    if (tx.registration_authorities().find_by_name(ra.name) ||
        tx.registration_authorities().find_by_certificate(ra.certificate_sha256))
      throw Error(ErrorKind::conflict, "ra_exists", "An RA with this name or certificate is registered already.");
    const std::string nik = std::string(kRegistrationAuthorityPrefix) + ra.name;
    auto account = tx.accounts().find_by_nik(nik);
    if (!account) {
      Account created;
      created.nik = nik;
      created.name = "Registration authority " + ra.name;
      created.role = Role::applicant;
      created.created_at = now;
      created.id = tx.accounts().insert(created);
      account = created;
    }
    ra.account_id = account->id;
    ra.id = tx.registration_authorities().insert(ra);
    tx.audit().append({command.actor, "registration_authority.added", "ra:" + ra.name,
                       nlohmann::json{{"certificate_sha256", ra.certificate_sha256}, {"products", ra.products}}.dump()},
                      now);
  });
  return ra;
}

void RegistrationAuthorities::remove(std::string_view name, const std::string& actor) const {
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    const auto ra = tx.registration_authorities().find_by_name(name);
    if (!ra || ra->removed_at != 0)
      throw Error(ErrorKind::not_found, "unknown_ra", "No registration authority is named " + std::string(name) + ".");
    tx.registration_authorities().remove(ra->id, now);
    tx.audit().append({actor, "registration_authority.removed", "ra:" + ra->name, "{}"}, now);
  });
}

std::vector<RegistrationAuthority> RegistrationAuthorities::list() const {
  std::vector<RegistrationAuthority> out;
  store_.read([&](StoreTransaction& tx) { out = tx.registration_authorities().list(); });
  return out;
}

std::optional<RegistrationAuthority> RegistrationAuthorities::by_name(std::string_view name) const {
  std::optional<RegistrationAuthority> out;
  store_.read([&](StoreTransaction& tx) { out = tx.registration_authorities().find_by_name(name); });
  return out;
}

std::optional<RegistrationAuthority> RegistrationAuthorities::by_certificate(std::string_view sha256) const {
  std::optional<RegistrationAuthority> out;
  store_.read([&](StoreTransaction& tx) { out = tx.registration_authorities().find_by_certificate(sha256); });
  return out;
}

}  // namespace lontar
