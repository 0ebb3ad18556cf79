#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "core/store.h"
#include "storage/engine.h"

namespace soci {
class session;
}

namespace lontar::storage {

struct Connection;

struct StoreOptions {
  std::size_t readers = 4;
  // Most work items committed by one transaction (and one fsync).
  std::size_t max_group = 512;
  // SQLite's soft heap limit for the whole process (0: SQLite's own default, none).
  // Without it each connection's page cache grows up to its cache_size with the file.
  std::size_t sqlite_memory_mib = 0;
  // Told after every commit: whether it wrote, how long since BEGIN, and the audit
  // actions it appended (the server counts them for /metrics).
  std::function<void(bool write, double seconds, const std::vector<std::string>& audited)> on_commit;
};

// Store on SOCI. Writes go through one connection with group commit: the first
// writer to arrive leads, runs every queued work item in one transaction, each in
// its own savepoint, and commits once; the others wait for that commit. Reads use a
// small pool of connections.
class SociStore final : public Store {
 public:
  SociStore(const DatabaseUrl& url, StoreOptions options = {});
  ~SociStore() override;
  SociStore(const SociStore&) = delete;
  SociStore& operator=(const SociStore&) = delete;

  void write(const Work& work) override;
  void read(const Work& work) override;

  Engine engine() const noexcept { return engine_; }
  // Commits made by write() and the work items they carried (group size = ratio).
  std::uint64_t commits() const noexcept { return commits_.load(); }
  std::uint64_t committed_work() const noexcept { return committed_work_.load(); }
  // SQLite's memory in this process (caches, statements) and the limit it keeps near;
  // both 0 on PostgreSQL, whose memory is the server's.
  std::int64_t memory_in_use() const;
  std::int64_t memory_limit() const;
  // "ok" or SQLite's list of problems; PostgreSQL checks itself and reports "ok".
  std::string integrity_check();

 private:
  struct Pending {
    const Work* work;
    std::exception_ptr error;
    bool done = false;
  };

  void run_group(std::vector<Pending*>& group);
  void run_alone(Pending& pending);
  void begin_write();
  void report(bool write, std::chrono::steady_clock::time_point began, const std::vector<std::string>& audited) const;
  std::unique_ptr<soci::session> connect() const;
  std::unique_ptr<Connection> acquire_reader();
  void release_reader(std::unique_ptr<Connection> connection);

  DatabaseUrl url_;
  Engine engine_;
  StoreOptions options_;

  std::unique_ptr<Connection> writer_;
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Pending*> queue_;
  bool leader_active_ = false;
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> committed_work_{0};

  std::mutex readers_mutex_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  std::size_t readers_open_ = 0;
};

// Turns a database exception into a typed Error: conflict for constraint
// violations, unavailable for busy or lost connections, internal otherwise.
[[noreturn]] void rethrow_as_error();

}  // namespace lontar::storage
