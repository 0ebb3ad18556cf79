#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/audit.h"
#include "storage/prepared_statements.h"

namespace lontar::storage {

// The audit chain's head as this connection's open transaction sees it. Read once
// per transaction and written back once before it commits, instead of a read and a
// write per event: a group commit of many issuances appends many events.
struct AuditHeadState {
  bool known = false;
  bool changed = false;
  std::int64_t seq = 0;
  std::string hash;
  std::vector<std::string> actions;  // appended in this transaction, for the commit observer
  // Appended and chained, not yet sent: written many rows to a statement before anything
  // reads the events and before the commit, since a round trip per event is what a
  // bulk of appends (a group commit, a load of millions) would otherwise wait on.
  std::vector<AuditEvent> unwritten;
};

// One database connection, the statements prepared on it (destroyed first), and the
// state its open transaction keeps.
struct Connection {
  explicit Connection(std::unique_ptr<soci::session> session)
      : sql(std::move(session)), prepared(std::make_unique<PreparedStatements>(*sql)) {}
  std::unique_ptr<soci::session> sql;
  std::unique_ptr<PreparedStatements> prepared;
  AuditHeadState audit_head;
};

// Sends the events appended but not yet written (AuditHeadState::unwritten).
void write_unwritten_events(soci::session& sql, AuditHeadState& head);

// Writes the unwritten events and the audit head back if the transaction appended
// events; call before COMMIT.
void flush_audit_head(Connection& connection);

}  // namespace lontar::storage
