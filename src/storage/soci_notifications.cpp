#include "storage/soci_repositories.h"

namespace lontar::storage {

bool SociNotificationRepository::enqueue(const Notification& n) {
  soci::statement st =
      (sql_.prepare << "INSERT INTO notifications (account_id, kind, recipient, subject, body, dedupe_key, "
                       "created_at) VALUES (:account, :kind, :recipient, :subject, :body, :dedupe, :created) "
                       "ON CONFLICT (dedupe_key) DO NOTHING",
       soci::use(n.account_id), soci::use(n.kind), soci::use(n.recipient), soci::use(n.subject), soci::use(n.body),
       soci::use(n.dedupe_key), soci::use(n.created_at));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<Notification> SociNotificationRepository::select(const std::string& tail, std::int64_t a,
                                                             std::int64_t b) {
  Notification n;
  soci::statement st =
      (sql_.prepare << "SELECT id, account_id, kind, recipient, subject, body, dedupe_key, created_at, sent_at, "
                       "attempts, last_error FROM notifications " + tail,
       soci::into(n.id), soci::into(n.account_id), soci::into(n.kind), soci::into(n.recipient), soci::into(n.subject),
       soci::into(n.body), soci::into(n.dedupe_key), soci::into(n.created_at), soci::into(n.sent_at),
       soci::into(n.attempts), soci::into(n.last_error), soci::use(a), soci::use(b));
  st.execute(false);
  std::vector<Notification> out;
  while (st.fetch()) out.push_back(n);
  return out;
}

std::vector<Notification> SociNotificationRepository::pending(int max_attempts, std::int64_t limit) {
  return select("WHERE sent_at = 0 AND attempts < :attempts ORDER BY id LIMIT :limit", max_attempts, limit);
}

std::vector<Notification> SociNotificationRepository::list_for_account(std::int64_t account_id) {
  return select("WHERE account_id = :account AND id > :after ORDER BY id", account_id, 0);
}

void SociNotificationRepository::mark_sent(std::int64_t id, std::int64_t at) {
  sql_ << "UPDATE notifications SET sent_at = :at, attempts = attempts + 1, last_error = '' WHERE id = :id",
      soci::use(at), soci::use(id);
}

void SociNotificationRepository::mark_failed(std::int64_t id, std::string_view error) {
  const std::string text(error.substr(0, 500));
  sql_ << "UPDATE notifications SET attempts = attempts + 1, last_error = :error WHERE id = :id", soci::use(text),
      soci::use(id);
}

}  // namespace lontar::storage
