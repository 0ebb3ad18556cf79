#include "storage/soci_repositories.h"

#include <algorithm>
#include <string>

namespace lontar::storage {

namespace {
// Eight values a row: 512 to a statement, well inside both engines' limits on bound values.
constexpr std::size_t kEventsPerStatement = 64;

struct HeadForAppend {
  std::int64_t seq = 0;
  std::string hash;
};
struct HeadUpdate {
  std::int64_t seq = 0;
  std::string hash;
};
}  // namespace

void SociAuditRepository::load_head() {
  if (head_.known) return;
  const bool postgres = engine_ == Engine::postgresql;
  auto& head = prepared_.get<HeadForAppend>([postgres](soci::session& sql, HeadForAppend& v) {
    // PostgreSQL: the row lock serialises appenders across servers until the commit.
    // SQLite: the write transaction (BEGIN IMMEDIATE) already does.
    return (sql.prepare << (postgres ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                                     : "SELECT seq, hash FROM audit_head WHERE id = 1"),
            soci::into(v.seq), soci::into(v.hash));
  });
  head.run_for_one_row();
  head_.seq = head.values.seq;
  head_.hash = head.values.hash;
  head_.known = true;
}

std::pair<std::int64_t, std::string> SociAuditRepository::head() {
  load_head();
  return {head_.seq, head_.hash};
}

AuditEvent SociAuditRepository::append(const AuditEntry& entry, std::int64_t at) {
  load_head();
  AuditEvent event;
  event.seq = head_.seq + 1;
  event.at = at;
  event.actor = entry.actor;
  event.action = entry.action;
  event.object = entry.object;
  event.details = entry.details;
  event.prev_hash = head_.hash;
  event.hash = audit_event_hash(event);
  head_.seq = event.seq;
  head_.hash = event.hash;
  head_.changed = true;
  head_.actions.push_back(entry.action);
  head_.unwritten.push_back(event);
  if (head_.unwritten.size() >= kEventsPerStatement) write_unwritten_events(sql_, head_);
  return event;
}

void write_unwritten_events(soci::session& sql, AuditHeadState& head) {
  auto& events = head.unwritten;
  for (std::size_t first = 0; first < events.size(); first += kEventsPerStatement) {
    const auto rows = std::min(kEventsPerStatement, events.size() - first);
    std::string text = "INSERT INTO audit_events (seq, at, actor, action, object, details, prev_hash, hash) VALUES ";
    for (std::size_t row = 0; row < rows; ++row) {
      const auto n = std::to_string(row);
      text += (row ? ", (" : "(") + (":seq" + n) + ", :at" + n + ", :actor" + n + ", :action" + n + ", :object" + n +
              ", :details" + n + ", :prev" + n + ", :hash" + n + ")";
    }
    auto insert = (sql.prepare << text);
    for (std::size_t row = first; row < first + rows; ++row) {
      auto& e = events[row];
      insert, soci::use(e.seq), soci::use(e.at), soci::use(e.actor), soci::use(e.action), soci::use(e.object),
          soci::use(e.details), soci::use(e.prev_hash), soci::use(e.hash);
    }
    soci::statement statement(insert);
    statement.execute(true);
  }
  events.clear();
}

void flush_audit_head(Connection& connection) {
  auto& head = connection.audit_head;
  write_unwritten_events(*connection.sql, head);
  if (head.changed) {
    auto& update = connection.prepared->get<HeadUpdate>([](soci::session& sql, HeadUpdate& v) {
      return (sql.prepare << "UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1", soci::use(v.seq),
              soci::use(v.hash));
    });
    update.values.seq = head.seq;
    update.values.hash = head.hash;
    update.run();
  }
  // The actions stay for the commit observer; the next BEGIN clears them.
  auto actions = std::move(head.actions);
  head = AuditHeadState{};
  head.actions = std::move(actions);
}

void SociAuditRepository::for_each(const std::function<void(const AuditEvent&)>& visit) {
  write_unwritten_events(sql_, head_);
  AuditEvent e;
  soci::statement st = (sql_.prepare << "SELECT seq, at, actor, action, object, details, prev_hash, hash FROM "
                                        "audit_events ORDER BY seq",
                        soci::into(e.seq), soci::into(e.at), soci::into(e.actor), soci::into(e.action),
                        soci::into(e.object), soci::into(e.details), soci::into(e.prev_hash), soci::into(e.hash));
  st.execute(false);
  while (st.fetch()) visit(e);
}

bool SociAuditRepository::has_event_for(std::string_view action, std::string_view object) {
  write_unwritten_events(sql_, head_);
  int n = 0;
  const std::string a(action), o(object);
  sql_ << "SELECT COUNT(*) FROM audit_events WHERE object = :object AND action = :action", soci::use(o), soci::use(a),
      soci::into(n);
  return n > 0;
}

}  // namespace lontar::storage
