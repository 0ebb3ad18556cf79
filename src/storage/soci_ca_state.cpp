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

}  // namespace lontar::storage
