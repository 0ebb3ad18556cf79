#include <sstream>

#include "storage/soci_repositories.h"

namespace lontar::storage {

namespace {
constexpr const char* kColumns =
    "SELECT id, name, account_id, certificate_sha256, certificate_pem, products, created_at, removed_at "
    "FROM registration_authorities ";

std::string joined(const std::vector<std::string>& products) {
  std::string out;
  for (const auto& p : products) out += (out.empty() ? "" : " ") + p;
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream words(text);
  for (std::string word; words >> word;) out.push_back(word);
  return out;
}

std::vector<RegistrationAuthority> select(soci::session& sql, const std::string& tail, const std::string& key) {
  RegistrationAuthority ra;
  std::string products;
  auto query = (sql.prepare << kColumns + tail, soci::into(ra.id), soci::into(ra.name), soci::into(ra.account_id),
                soci::into(ra.certificate_sha256), soci::into(ra.certificate_pem), soci::into(products),
                soci::into(ra.created_at), soci::into(ra.removed_at));
  if (tail.find(":key") != std::string::npos) query, soci::use(key);
  soci::statement st(query);
  st.execute(false);
  std::vector<RegistrationAuthority> out;
  while (st.fetch()) {
    ra.products = split(products);
    out.push_back(ra);
  }
  return out;
}
}  // namespace

std::int64_t SociRegistrationAuthorityRepository::insert(const RegistrationAuthority& ra) {
  std::int64_t id = 0;
  const std::string products = joined(ra.products);
  sql_ << "INSERT INTO registration_authorities (name, account_id, certificate_sha256, certificate_pem, products, "
          "created_at) VALUES (:name, :account, :sha, :pem, :products, :created) RETURNING id",
      soci::use(ra.name), soci::use(ra.account_id), soci::use(ra.certificate_sha256), soci::use(ra.certificate_pem),
      soci::use(products), soci::use(ra.created_at), soci::into(id);
  return id;
}

std::optional<RegistrationAuthority> SociRegistrationAuthorityRepository::find_by_certificate(std::string_view sha256) {
  auto rows = select(sql_, "WHERE certificate_sha256 = :key", std::string(sha256));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<RegistrationAuthority> SociRegistrationAuthorityRepository::find_by_name(std::string_view name) {
  auto rows = select(sql_, "WHERE name = :key", std::string(name));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<RegistrationAuthority> SociRegistrationAuthorityRepository::list() {
  return select(sql_, "ORDER BY name", "");
}

void SociRegistrationAuthorityRepository::remove(std::int64_t id, std::int64_t at) {
  sql_ << "UPDATE registration_authorities SET removed_at = :at WHERE id = :id AND removed_at = 0", soci::use(at),
      soci::use(id);
}

}  // namespace lontar::storage
