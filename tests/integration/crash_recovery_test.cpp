// SIGKILLs a process that issues certificates from four threads at random moments,
// twenty times, and checks after each kill that the database is intact: SQLite's
// integrity check passes, the audit chain verifies, and every certificate row has
// its audit event (and every issued request its certificate).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "support/test_instance.h"

extern char** environ;

namespace lontar {
namespace {

TEST(CrashRecovery, KillDuringIssuanceLeavesAConsistentDatabase) {
  testing::TempDir dir;
  InitOptions init;
  init.data = dir.path();
  initialise(init);
  {
    auto instance = Instance::open(dir.path(), {});
    Account a;
    a.nik = "5108010101900001";
    a.name = "Crash Test";
    a.email = "crash@undiksha.ac.id";
    instance->store().write([&](StoreTransaction& tx) { a.id = tx.accounts().insert(a); });
  }
  // issue_loop is built next to this test.
  const std::string tool = (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "issue_loop").string();
  ASSERT_TRUE(std::filesystem::exists(tool)) << tool;
  std::mt19937 random(std::random_device{}());
  std::int64_t previous_count = -1;
  int grew = 0;
  for (int round = 0; round < 20; ++round) {
    pid_t child = 0;
    std::string data = dir.path().string(), nik = "5108010101900001";
    char* args[] = {const_cast<char*>(tool.c_str()), data.data(), nik.data(), nullptr};
    int out[2];
    ASSERT_EQ(::pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    ASSERT_EQ(posix_spawn(&child, tool.c_str(), &actions, nullptr, args, environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    // Wait until the tool has decrypted the CA key and starts issuing, then kill it
    // somewhere in the stream of issuances and commits.
    char ready[6] = {};
    ASSERT_EQ(::read(out[0], ready, 5), 5) << "issue_loop did not start";
    ::close(out[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(30 + random() % 400));
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the issuing process ended by itself in round " << round;

    auto instance = Instance::open(dir.path(), {});
    ASSERT_EQ(instance->store().integrity_check(), "ok") << "round " << round;
    instance->store().read([&](StoreTransaction& tx) {
      AuditChainVerifier verifier;
      tx.audit().for_each([&](const AuditEvent& e) { verifier.feed(e); });
      const auto [seq, hash] = tx.audit().head();
      const auto verdict = verifier.finish(seq, hash);
      ASSERT_TRUE(verdict.ok) << "round " << round << ": " << verdict.problem;
      const auto account = tx.accounts().find_by_nik("5108010101900001");
      const auto certificates = tx.certificates().list_for_account(account->id);
      int valid = 0;
      for (const auto& c : certificates) {
        ASSERT_TRUE(tx.audit().has_event_for("certificate.issued", "certificate:" + c.serial_hex)) << c.serial_hex;
        const auto request = tx.requests().find(c.request_id);
        ASSERT_TRUE(request);
        EXPECT_EQ(request->state, RequestState::issued);
        valid += c.status == CertificateStatus::valid ? 1 : 0;
      }
      const auto requests = tx.requests().list_for_account(account->id);
      EXPECT_EQ(requests.size(), certificates.size()) << "an issued request without its certificate";
      EXPECT_LE(valid, 1);
      const auto count = static_cast<std::int64_t>(certificates.size());
      EXPECT_GE(count, previous_count) << "committed certificates disappeared";
      if (count > previous_count) ++grew;
      previous_count = count;
    });
  }
  EXPECT_GE(grew, 10) << "the kills rarely landed while issuing; the test proves little";
}

}  // namespace
}  // namespace lontar
