#include "storage/soci_repositories.h"

namespace lontar::storage {

std::pair<std::int64_t, std::string> SociAuditRepository::head() {
  std::int64_t seq = 0;
  std::string hash;
  sql_ << "SELECT seq, hash FROM audit_head WHERE id = 1", soci::into(seq), soci::into(hash);
  return {seq, hash};
}

AuditEvent SociAuditRepository::append(const AuditEntry& entry, std::int64_t at) {
  std::int64_t last_seq = 0;
  std::string last_hash;
  // PostgreSQL: the row lock serialises appenders across servers. SQLite: the
  // write transaction (BEGIN IMMEDIATE) already does.
  sql_ << (engine_ == Engine::postgresql ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                                         : "SELECT seq, hash FROM audit_head WHERE id = 1"),
      soci::into(last_seq), soci::into(last_hash);
  AuditEvent event;
  event.seq = last_seq + 1;
  event.at = at;
  event.actor = entry.actor;
  event.action = entry.action;
  event.object = entry.object;
  event.details = entry.details;
  event.prev_hash = last_hash;
  event.hash = audit_event_hash(event);
  sql_ << "INSERT INTO audit_events (seq, at, actor, action, object, details, prev_hash, hash) VALUES (:seq, :at, "
          ":actor, :action, :object, :details, :prev, :hash)",
      soci::use(event.seq), soci::use(event.at), soci::use(event.actor), soci::use(event.action),
      soci::use(event.object), soci::use(event.details), soci::use(event.prev_hash), soci::use(event.hash);
  sql_ << "UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1", soci::use(event.seq), soci::use(event.hash);
  return event;
}

void SociAuditRepository::for_each(const std::function<void(const AuditEvent&)>& visit) {
  AuditEvent e;
  soci::statement st = (sql_.prepare << "SELECT seq, at, actor, action, object, details, prev_hash, hash FROM "
                                        "audit_events ORDER BY seq",
                        soci::into(e.seq), soci::into(e.at), soci::into(e.actor), soci::into(e.action),
                        soci::into(e.object), soci::into(e.details), soci::into(e.prev_hash), soci::into(e.hash));
  st.execute(false);
  while (st.fetch()) visit(e);
}

bool SociAuditRepository::has_event_for(std::string_view action, std::string_view object) {
  int n = 0;
  const std::string a(action), o(object);
  sql_ << "SELECT COUNT(*) FROM audit_events WHERE object = :object AND action = :action", soci::use(o), soci::use(a),
      soci::into(n);
  return n > 0;
}

}  // namespace lontar::storage
