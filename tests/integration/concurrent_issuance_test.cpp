// 1,000 issuances from 8 threads give 1,000 distinct serials, each recorded once with
// its audit event, on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "support/scratch_postgres.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

class ConcurrentIssuanceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ConcurrentIssuanceTest, ThousandIssuancesFromEightThreadsGiveDistinctSerials) {
  std::unique_ptr<testing::ScratchPostgres> postgres;
  if (GetParam() == "postgresql") postgres = std::make_unique<testing::ScratchPostgres>();
  testing::TestInstance test(postgres ? postgres->url() : "sqlite:lontar.db");
  constexpr int kThreads = 8, kEach = 125, kAccounts = 8;
  for (int a = 0; a < kAccounts; ++a) test.add_account("51080101019000" + std::to_string(10 + a));

  // Keys and CSRs first, so the threads spend their time issuing.
  std::vector<std::string> csrs;
  for (int i = 0; i < kThreads * kEach; ++i)
    csrs.push_back(testing::csr_for(crypto::PrivateKey::generate("ec-p256"), "n" + std::to_string(i)));

  std::vector<std::vector<std::string>> serials(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      auto issuance = test.instance().issuance();
      for (int i = 0; i < kEach; ++i) {
        const int n = t * kEach + i;
        try {
          const auto nik = "51080101019000" + std::to_string(10 + n % kAccounts);
          serials[t].push_back(issuance.issue_for_operator({nik, "individual-1y", csrs[n], "test"}).serial_hex);
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);

  std::set<std::string> distinct;
  for (const auto& list : serials) distinct.insert(list.begin(), list.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kEach));

  test.instance().store().read([&](StoreTransaction& tx) {
    EXPECT_EQ(tx.certificates().count(), kThreads * kEach);
    for (const auto& serial : distinct) {
      ASSERT_TRUE(tx.certificates().find_by_serial(serial)) << serial;
      ASSERT_TRUE(tx.audit().has_event_for("certificate.issued", "certificate:" + serial)) << serial;
    }
    AuditChainVerifier verifier;
    tx.audit().for_each([&](const AuditEvent& e) { verifier.feed(e); });
    const auto [seq, hash] = tx.audit().head();
    const auto verdict = verifier.finish(seq, hash);
    EXPECT_TRUE(verdict.ok) << verdict.problem;
  });
  // With eight renewals per account racing, exactly one certificate per account stays valid.
  test.instance().store().read([&](StoreTransaction& tx) {
    for (const auto& account : tx.accounts().list()) {
      int valid = 0;
      for (const auto& c : tx.certificates().list_for_account(account.id))
        valid += c.status == CertificateStatus::valid ? 1 : 0;
      EXPECT_EQ(valid, 1) << account.nik;
    }
  });
}

INSTANTIATE_TEST_SUITE_P(Engines, ConcurrentIssuanceTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace lontar
