#include "storage/soci_repositories.h"

namespace lontar::storage {

std::int64_t SociCaStateRepository::status_version() {
  std::int64_t version = 0;
  sql_ << "SELECT status_version FROM ca_state WHERE id = 1", soci::into(version);
  return version;
}

namespace {
struct StatusVersionBump {};
}  // namespace

void SociCaStateRepository::bump_status_version() {
  prepared_
      .get<StatusVersionBump>([](soci::session& sql, StatusVersionBump&) {
        return (sql.prepare << "UPDATE ca_state SET status_version = status_version + 1 WHERE id = 1");
      })
      .run();
}

std::int64_t SociCaStateRepository::next_crl_number() {
  std::int64_t number = 0;
  // The UPDATE takes the row lock (PostgreSQL) or holds the write lock (SQLite), so two
  // servers never hand out the same number.
  sql_ << "UPDATE ca_state SET crl_number = crl_number + 1 WHERE id = 1";
  sql_ << "SELECT crl_number FROM ca_state WHERE id = 1", soci::into(number);
  return number;
}

std::optional<CaStateRepository::Lease> SociCaStateRepository::lock_lease(std::string_view name) {
  const std::string key(name);
  Lease lease;
  // PostgreSQL: FOR UPDATE holds the row until the commit; SQLite's write transaction
  // already excludes every other writer.
  const bool postgres = sql_.get_backend_name() == "postgresql";
  sql_ << std::string("SELECT holder, leased_until FROM job_leases WHERE name = :name") + (postgres ? " FOR UPDATE" : ""),
      soci::into(lease.holder), soci::into(lease.until), soci::use(key);
  if (!sql_.got_data()) return std::nullopt;
  return lease;
}

void SociCaStateRepository::put_lease(std::string_view name, const Lease& lease) {
  const std::string key(name);
  sql_ << "INSERT INTO job_leases (name, holder, leased_until) VALUES (:name, :holder, :until) "
          "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, leased_until = excluded.leased_until",
      soci::use(key), soci::use(lease.holder), soci::use(lease.until);
}

std::optional<CaStateRepository::ServiceKey> SociCaStateRepository::service_key(std::string_view name) {
  const std::string key_name(name);
  ServiceKey key;
  sql_ << "SELECT serial, certificate, encrypted_key FROM service_keys WHERE name = :name", soci::use(key_name),
      soci::into(key.serial), soci::into(key.certificate_pem), soci::into(key.encrypted_key_pem);
  if (!sql_.got_data()) return std::nullopt;
  return key;
}

// A compare-and-set on the serial, so two servers renewing at once (a lease that ran out
// mid-renewal) leave one key, not whichever wrote last.
bool SociCaStateRepository::replace_service_key(std::string_view name, std::string_view replaced_serial,
                                                const ServiceKey& key, std::int64_t at) {
  const std::string key_name(name);
  const std::string replaced(replaced_serial);
  if (replaced.empty()) {
    soci::statement st = (sql_.prepare << "INSERT INTO service_keys (name, serial, certificate, encrypted_key, "
                                          "replaced_at) VALUES (:name, :serial, :certificate, :key, :at) "
                                          "ON CONFLICT (name) DO NOTHING",
                          soci::use(key_name), soci::use(key.serial), soci::use(key.certificate_pem),
                          soci::use(key.encrypted_key_pem), soci::use(at));
    st.execute(true);
    return st.get_affected_rows() == 1;
  }
  soci::statement st = (sql_.prepare << "UPDATE service_keys SET serial = :serial, certificate = :certificate, "
                                        "encrypted_key = :key, replaced_at = :at WHERE name = :name AND serial = :old",
                        soci::use(key.serial), soci::use(key.certificate_pem), soci::use(key.encrypted_key_pem),
                        soci::use(at), soci::use(key_name), soci::use(replaced));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace lontar::storage
