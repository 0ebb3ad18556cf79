#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <soci/soci.h>

#include "core/error.h"
#include "storage/soci_store.h"
#include "support/temp_dir.h"

namespace lontar::storage {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  SociStore store_{DatabaseUrl::parse("sqlite:group.db", dir_.path())};

  void add_account(int i) {
    Account a;
    a.nik = std::to_string(5108010000000000LL + i);
    a.name = "user " + std::to_string(i);
    a.email = "u@x.id";
    store_.write([&](StoreTransaction& tx) {
      tx.accounts().insert(a);
      tx.audit().append({"t", "account.created", "account:" + a.nik, "{}"}, 1);
    });
  }
};

TEST_F(GroupCommitTest, ConcurrentWritersAreAllCommittedInFewerTransactions) {
  constexpr int kThreads = 8, kEach = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) add_account(t * kEach + i);
    });
  for (auto& th : threads) th.join();
  std::set<std::string> niks;
  AuditChainVerifier verifier;
  store_.read([&](StoreTransaction& tx) {
    for (const auto& a : tx.accounts().list()) niks.insert(a.nik);
    tx.audit().for_each([&](const AuditEvent& e) { verifier.feed(e); });
    const auto [seq, hash] = tx.audit().head();
    EXPECT_EQ(seq, kThreads * kEach);
    EXPECT_TRUE(verifier.finish(seq, hash).ok);
  });
  EXPECT_EQ(niks.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(store_.committed_work(), static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_LT(store_.commits(), store_.committed_work()) << "no two writers ever shared a commit";
}

TEST_F(GroupCommitTest, AFailingItemDoesNotSinkItsGroup) {
  constexpr int kThreads = 8, kEach = 50;
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int n = t * kEach + i;
        if (n % 5 == 0) {
          // Half written, then refused: nothing of it may remain.
          try {
            store_.write([&](StoreTransaction& tx) {
              Account a;
              a.nik = "9" + std::to_string(5108010000000000LL + n).substr(1);
              a.name = "doomed";
              a.email = "d@x.id";
              tx.accounts().insert(a);
              throw Error(ErrorKind::policy, "refused", "refused on purpose");
            });
          } catch (const Error& e) {
            EXPECT_EQ(e.code(), "refused");
            ++refused;
          }
        } else {
          add_account(n);
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(refused.load(), kThreads * kEach / 5);
  store_.read([&](StoreTransaction& tx) {
    const auto accounts = tx.accounts().list();
    EXPECT_EQ(accounts.size(), static_cast<size_t>(kThreads * kEach * 4 / 5));
    for (const auto& a : accounts) EXPECT_NE(a.name, "doomed");
  });
}

// The audit head is kept in memory for the length of a group: an item that appended
// events and then failed must leave no trace in the chain, and the next item links to
// the last event that stayed.
TEST_F(GroupCommitTest, TheAuditChainHoldsWhenItemsOfAGroupFail) {
  constexpr int kThreads = 8, kEach = 40;
  std::atomic<int> kept{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int n = t * kEach + i;
        try {
          store_.write([&](StoreTransaction& tx) {
            tx.audit().append({"t", "first", "item:" + std::to_string(n), "{}"}, 1);
            tx.audit().append({"t", "second", "item:" + std::to_string(n), "{}"}, 1);
            if (n % 3 == 0) throw Error(ErrorKind::policy, "refused", "refused after appending");
          });
          ++kept;
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), "refused");
        }
      }
    });
  for (auto& th : threads) th.join();
  AuditChainVerifier verifier;
  store_.read([&](StoreTransaction& tx) {
    tx.audit().for_each([&](const AuditEvent& e) {
      EXPECT_EQ(std::stoi(e.object.substr(5)) % 3 == 0, false) << "a refused item's event stayed";
      verifier.feed(e);
    });
    const auto [seq, hash] = tx.audit().head();
    EXPECT_EQ(seq, 2 * kept.load());
    const auto verdict = verifier.finish(seq, hash);
    EXPECT_TRUE(verdict.ok) << verdict.problem;
  });
  EXPECT_LT(store_.commits(), store_.committed_work()) << "the items never shared a group";
}

TEST_F(GroupCommitTest, ConstraintViolationReachesOnlyItsOwnCaller) {
  add_account(1);
  std::atomic<int> conflicts{0}, successes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        try {
          add_account(i % 2 == 0 ? 1 : 1000 + t * 20 + i);
          ++successes;
        } catch (const Error& e) {
          EXPECT_EQ(e.kind(), ErrorKind::conflict);
          ++conflicts;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(conflicts.load(), 40);
  EXPECT_EQ(successes.load(), 40);
}

TEST(DatabaseErrors, BoundValuesNeverReachTheMessage) {
  try {
    try {
      soci::soci_error error("disk I/O error");
      error.add_context("while executing \"INSERT INTO sessions\" with :csrf=\"SECRET-CSRF-TOKEN\"");
      throw error;
    } catch (...) {
      rethrow_as_error();
    }
    FAIL() << "nothing thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::internal);
    EXPECT_EQ(std::string(e.what()).find("SECRET"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("disk I/O error"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lontar::storage

namespace lontar::storage {
namespace {

// /metrics counts audit actions from the commit observer: an item rolled back inside a
// group must not be counted, even though it appended an event before failing.
TEST(CommitObserver, ReportsTheActionsOfCommittedWorkOnly) {
  testing::TempDir dir;
  std::mutex mutex;
  std::map<std::string, int> counted;
  int writes = 0;
  StoreOptions options;
  options.on_commit = [&](bool write, double seconds, const std::vector<std::string>& audited) {
    std::lock_guard lock(mutex);
    EXPECT_GE(seconds, 0.0);
    writes += write;
    for (const auto& action : audited) ++counted[action];
  };
  SociStore store(DatabaseUrl::parse("sqlite:observed.db", dir.path()), options);
  constexpr int kThreads = 6, kEach = 40;
  std::atomic<int> committed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const bool fail = (t * kEach + i) % 3 == 0;
        try {
          store.write([&](StoreTransaction& tx) {
            tx.audit().append({"t", fail ? "work.failed" : "work.done", "x", "{}"}, 1);
            if (fail) throw Error(ErrorKind::conflict, "refused", "refused on purpose");
          });
          ++committed;
        } catch (const Error&) {
        }
      }
    });
  for (auto& th : threads) th.join();
  store.read([](StoreTransaction& tx) { tx.audit().head(); });
  std::lock_guard lock(mutex);
  EXPECT_EQ(counted["work.done"], committed.load());
  EXPECT_EQ(counted["work.done"], kThreads * kEach - (kThreads * kEach + 2) / 3);
  EXPECT_EQ(counted.count("work.failed"), 0u) << "a rolled-back item's action was counted";
  EXPECT_GE(writes, 1);
}

}  // namespace
}  // namespace lontar::storage
