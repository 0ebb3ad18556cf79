#include "storage/soci_repositories.h"

namespace lontar::storage {

void SociSessionRepository::insert(const Session& s) {
  sql_ << "INSERT INTO sessions (id_hash, account_id, csrf, created_at, last_seen) VALUES (:id, :account, :csrf, "
          ":created, :seen)",
      soci::use(s.id_hash), soci::use(s.account_id), soci::use(s.csrf), soci::use(s.created_at),
      soci::use(s.last_seen);
}

namespace {
struct SessionByHash {
  Session session;
};
}  // namespace

// Read by every signed-in request: prepared once per connection.
std::optional<Session> SociSessionRepository::find(std::string_view id_hash) {
  auto& query = prepared_.get<SessionByHash>([](soci::session& sql, SessionByHash& v) {
    auto& s = v.session;
    return (sql.prepare << "SELECT account_id, csrf, created_at, last_seen FROM sessions WHERE id_hash = :id",
            soci::use(s.id_hash), soci::into(s.account_id), soci::into(s.csrf), soci::into(s.created_at),
            soci::into(s.last_seen));
  });
  query.values.session.id_hash = std::string(id_hash);
  if (!query.run_for_one_row()) return std::nullopt;
  return query.values.session;
}

void SociSessionRepository::touch(std::string_view id_hash, std::int64_t at) {
  const std::string id(id_hash);
  sql_ << "UPDATE sessions SET last_seen = :at WHERE id_hash = :id", soci::use(at), soci::use(id);
}

void SociSessionRepository::remove(std::string_view id_hash) {
  const std::string id(id_hash);
  sql_ << "DELETE FROM sessions WHERE id_hash = :id", soci::use(id);
}

void SociSessionRepository::remove_for_account(std::int64_t account_id, std::string_view keep) {
  const std::string kept(keep);
  sql_ << "DELETE FROM sessions WHERE account_id = :account AND id_hash <> :keep", soci::use(account_id),
      soci::use(kept);
}

}  // namespace lontar::storage
