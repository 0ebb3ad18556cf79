#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

// Writes the audit head back if the transaction appended events; call before COMMIT.
void flush_audit_head(Connection& connection);

}  // namespace lontar::storage
