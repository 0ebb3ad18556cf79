#include "storage/soci_store.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include "core/error.h"
#include "storage/migrations.h"
#include "storage/connection.h"
#include "storage/soci_repositories.h"

namespace lontar::storage {

// SOCI's what() appends the statement and its bound values (a password hash, a session
// hash, a CSRF token); only the database's own message goes into an error or a log.
void rethrow_as_error() {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const soci::sqlite3_soci_error& e) {
    const int primary = e.result() & 0xff;
    if (primary == SQLITE_CONSTRAINT)
      throw Error(ErrorKind::conflict, "constraint", "The change conflicts with existing data.");
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
      throw Error(ErrorKind::unavailable, "database_busy", "The database is busy; try again in a moment.");
    throw Error(ErrorKind::internal, "database_error", "Database error: " + e.get_error_message());
  } catch (const soci::postgresql_soci_error& e) {
    const auto state = e.sqlstate();
    if (state.starts_with("23") || state == "40001" || state == "40P01")
      throw Error(ErrorKind::conflict, "constraint", "The change conflicts with existing data.");
    // 22021: not UTF-8 or a NUL byte; 22P05: a character the database's encoding lacks.
    // Text is checked where it enters (forms, JSON); this keeps whatever slips past a 400.
    if (state == "22021" || state == "22P05")
      throw Error(ErrorKind::invalid_input, "bad_text",
                  "The text holds characters that cannot be stored (invalid UTF-8 or a NUL byte).");
    if (state.starts_with("08") || state.starts_with("57"))
      throw Error(ErrorKind::unavailable, "database_unavailable", "The database cannot be reached; try again later.");
    throw Error(ErrorKind::internal, "database_error", "Database error: " + e.get_error_message());
  } catch (const soci::soci_error& e) {
    if (e.get_error_category() == soci::soci_error::connection_error)
      throw Error(ErrorKind::unavailable, "database_unavailable", "The database cannot be reached; try again later.");
    if (e.get_error_category() == soci::soci_error::constraint_violation)
      throw Error(ErrorKind::conflict, "constraint", "The change conflicts with existing data.");
    throw Error(ErrorKind::internal, "database_error", "Database error: " + e.get_error_message());
  }
}

std::unique_ptr<soci::session> SociStore::connect() const {
  try {
    if (engine_ == Engine::sqlite) {
      auto session = std::make_unique<soci::session>(soci::sqlite3, url_.connect);
      *session << "PRAGMA busy_timeout = 30000";
      *session << "PRAGMA journal_mode = WAL";
      // FULL: a commit that returned survives power loss, not only a crash.
      *session << "PRAGMA synchronous = FULL";
      *session << "PRAGMA foreign_keys = ON";
      // Savepoint and statement journals in memory: on disk, every work item of a group
      // commit wrote the pages it was about to change to a temporary file first.
      *session << "PRAGMA temp_store = MEMORY";
      *session << "PRAGMA cache_size = -65536";  // KiB: the most one connection may cache
      // The limit is the process's, over every connection: under it, caches recycle
      // their oldest pages instead of growing, so memory stops growing with the file.
      if (options_.sqlite_memory_mib > 0) {
        const auto bytes = static_cast<sqlite_api::sqlite3_int64>(options_.sqlite_memory_mib) * 1024 * 1024;
        sqlite_api::sqlite3_soft_heap_limit64(bytes);
      }
      return session;
    }
    auto session = std::make_unique<soci::session>(soci::postgresql, url_.connect);
    // Keeps server NOTICEs ("already exists, skipping") off the user's terminal.
    *session << "SET client_min_messages TO warning";
    return session;
  } catch (const soci::soci_error& e) {
    throw Error(ErrorKind::unavailable, "database_unavailable",
                "Cannot open the database " + url_.display + ": " + e.get_error_message());
  }
}

SociStore::SociStore(const DatabaseUrl& url, StoreOptions options)
    : url_(url), engine_(url.engine), options_(options) {
  writer_ = std::make_unique<Connection>(connect());
  try {
    migrate(*writer_->sql, engine_);
  } catch (...) {
    rethrow_as_error();
  }
}

SociStore::~SociStore() = default;

std::int64_t SociStore::memory_in_use() const {
  return engine_ == Engine::sqlite ? sqlite_api::sqlite3_memory_used() : 0;
}

std::int64_t SociStore::memory_limit() const {
  return engine_ == Engine::sqlite ? sqlite_api::sqlite3_soft_heap_limit64(-1) : 0;
}

namespace {
struct Savepoint {};
struct ReleaseSavepoint {};

// Statements without values, run once per work item of a group: prepared once.
template <class Tag>
void run_fixed(Connection& connection, const char* sql_text) {
  connection.prepared->get<Tag>([sql_text](soci::session& sql, Tag&) { return (sql.prepare << sql_text); }).run();
}
}  // namespace

void SociStore::report(bool write, std::chrono::steady_clock::time_point began,
                       const std::vector<std::string>& audited) const {
  if (!options_.on_commit) return;
  options_.on_commit(write, std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count(), audited);
}

void SociStore::begin_write() {
  writer_->audit_head = AuditHeadState{};
  if (engine_ == Engine::sqlite) {
    *writer_->sql << "BEGIN IMMEDIATE";
  } else {
    *writer_->sql << "BEGIN";
  }
}

void SociStore::write(const Work& work) {
  Pending me{&work, nullptr, false};
  std::unique_lock lock(queue_mutex_);
  queue_.push_back(&me);
  while (!me.done) {
    if (leader_active_) {
      queue_cv_.wait(lock);
      continue;
    }
    leader_active_ = true;
    std::vector<Pending*> group;
    while (!queue_.empty() && group.size() < options_.max_group) {
      group.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    run_group(group);
    lock.lock();
    leader_active_ = false;
    queue_cv_.notify_all();
  }
  if (me.error) std::rethrow_exception(me.error);
}

void SociStore::run_group(std::vector<Pending*>& group) {
  if (group.size() == 1) {
    run_alone(*group.front());
    return;
  }
  const auto began = std::chrono::steady_clock::now();
  try {
    begin_write();
  } catch (...) {
    for (auto* p : group) run_alone(*p);
    return;
  }
  try {
    for (auto* p : group) {
      // The items before have succeeded: their events go out now, so that a failing item
      // takes back only its own (the savepoint below) and the copy of the head is small.
      write_unwritten_events(*writer_->sql, writer_->audit_head);
      run_fixed<Savepoint>(*writer_, "SAVEPOINT work");
      // The head as it was, to go back to if this item fails (its actions by count:
      // copying the list per item would cost a group quadratic time).
      auto actions = std::move(writer_->audit_head.actions);
      const AuditHeadState head_before = writer_->audit_head;
      writer_->audit_head.actions = std::move(actions);
      const auto actions_before = writer_->audit_head.actions.size();
      try {
        SociTransaction tx(*writer_, engine_);
        (*p->work)(tx);
        run_fixed<ReleaseSavepoint>(*writer_, "RELEASE SAVEPOINT work");
      } catch (...) {
        try {
          rethrow_as_error();
        } catch (...) {
          p->error = std::current_exception();
        }
        writer_->prepared->forget();
        auto kept = std::move(writer_->audit_head.actions);
        kept.resize(actions_before);
        writer_->audit_head = head_before;
        writer_->audit_head.actions = std::move(kept);
        *writer_->sql << "ROLLBACK TO SAVEPOINT work";
        *writer_->sql << "RELEASE SAVEPOINT work";
      }
    }
    flush_audit_head(*writer_);
    *writer_->sql << "COMMIT";
  } catch (...) {
    // The group as a whole failed (commit or savepoint handling): roll back and give
    // every item its own transaction, so one bad item cannot sink the others.
    writer_->prepared->forget();
    try {
      *writer_->sql << "ROLLBACK";
    } catch (...) {
    }
    for (auto* p : group) {
      p->error = nullptr;
      run_alone(*p);
    }
    return;
  }
  ++commits_;
  committed_work_ += group.size();
  report(true, began, writer_->audit_head.actions);
  for (auto* p : group) p->done = true;
}

void SociStore::run_alone(Pending& pending) {
  const auto began = std::chrono::steady_clock::now();
  try {
    begin_write();
    try {
      SociTransaction tx(*writer_, engine_);
      (*pending.work)(tx);
      flush_audit_head(*writer_);
      *writer_->sql << "COMMIT";
      ++commits_;
      ++committed_work_;
      report(true, began, writer_->audit_head.actions);
    } catch (...) {
      writer_->prepared->forget();
      try {
        *writer_->sql << "ROLLBACK";
      } catch (...) {
      }
      throw;
    }
  } catch (...) {
    try {
      rethrow_as_error();
    } catch (...) {
      pending.error = std::current_exception();
    }
  }
  pending.done = true;
}

std::unique_ptr<Connection> SociStore::acquire_reader() {
  std::unique_lock lock(readers_mutex_);
  readers_cv_.wait(lock, [&] { return !idle_readers_.empty() || readers_open_ < options_.readers; });
  if (!idle_readers_.empty()) {
    auto session = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return session;
  }
  ++readers_open_;
  lock.unlock();
  try {
    return std::make_unique<Connection>(connect());
  } catch (...) {
    std::lock_guard again(readers_mutex_);
    --readers_open_;
    readers_cv_.notify_one();
    throw;
  }
}

void SociStore::release_reader(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(readers_mutex_);
  if (connection) {
    idle_readers_.push_back(std::move(connection));
  } else {
    --readers_open_;
  }
  readers_cv_.notify_one();
}

void SociStore::read(const Work& work) {
  auto connection = acquire_reader();
  auto& session = *connection->sql;
  const auto began = std::chrono::steady_clock::now();
  try {
    session << "BEGIN";
    connection->audit_head = AuditHeadState{};
    try {
      SociTransaction tx(*connection, engine_);
      work(tx);
      flush_audit_head(*connection);
      session << "COMMIT";
      report(false, began, connection->audit_head.actions);
    } catch (...) {
      connection->prepared->forget();
      try {
        session << "ROLLBACK";
      } catch (...) {
        connection.reset();  // a broken connection is not returned to the pool
      }
      throw;
    }
  } catch (...) {
    release_reader(std::move(connection));
    rethrow_as_error();
  }
  release_reader(std::move(connection));
}

std::string SociStore::integrity_check() {
  if (engine_ != Engine::sqlite) return "ok";
  auto connection = acquire_reader();
  std::string result;
  std::string line;
  {
    soci::statement st = (connection->sql->prepare << "PRAGMA integrity_check", soci::into(line));
    st.execute(false);
    while (st.fetch()) result += (result.empty() ? "" : "\n") + line;
  }
  release_reader(std::move(connection));
  return result;
}

}  // namespace lontar::storage
