#include "core/revocation.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/error.h"
#include "support/expect_error.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

TEST(RevocationReason, ParsesRfcAndFriendlySpellings) {
  EXPECT_EQ(parse_revocation_reason("keyCompromise"), RevocationReason::key_compromise);
  EXPECT_EQ(parse_revocation_reason("key-compromise"), RevocationReason::key_compromise);
  EXPECT_EQ(parse_revocation_reason("AFFILIATION_CHANGED"), RevocationReason::affiliation_changed);
  EXPECT_EQ(parse_revocation_reason("cessationOfOperation"), RevocationReason::cessation_of_operation);
  EXPECT_EQ(parse_revocation_reason("certificateHold"), std::nullopt);  // no suspension
  EXPECT_EQ(parse_revocation_reason("bored"), std::nullopt);
  EXPECT_EQ(reason_code(RevocationReason::superseded), 4);
  EXPECT_STREQ(to_string(RevocationReason::privilege_withdrawn), "privilegeWithdrawn");
}

class RevocationServiceTest : public ::testing::Test {
 protected:
  RevokeCommand command(const std::string& serial, RevocationReason reason, std::optional<std::int64_t> requester,
                        bool admin) {
    RevokeCommand c;
    c.serial_hex = serial;
    c.reason = reason;
    c.actor = "test";
    c.requester_account_id = requester;
    c.requester_is_admin = admin;
    return c;
  }
  std::int64_t status_version() {
    std::int64_t v = 0;
    test_.instance().store().read([&](StoreTransaction& tx) { v = tx.ca_state().status_version(); });
    return v;
  }

  testing::TestInstance test_;
  Account holder_ = test_.add_account("5108010101900001");
  Account other_ = test_.add_account("5108010101900002", "I Made Lain");
  CertificateRecord certificate_ = test_.instance().issuance().issue_for_operator(
      {holder_.nik, "individual-1y", testing::csr_for(crypto::PrivateKey::generate("ec-p256")), "t"});
  RevocationService service_{test_.instance().store(), test_.instance().clock()};
};

TEST_F(RevocationServiceTest, HolderRevokesOwnCertificateFinallyAndAudited) {
  const auto before = status_version();
  const auto record =
      service_.revoke(command(certificate_.serial_hex, RevocationReason::key_compromise, holder_.id, false));
  EXPECT_EQ(record.status, CertificateStatus::revoked);
  EXPECT_EQ(status_version(), before + 1);
  test_.instance().store().read([&](StoreTransaction& tx) {
    const auto status = tx.certificates().status(certificate_.serial_hex);
    ASSERT_TRUE(status);
    EXPECT_EQ(status->status, CertificateStatus::revoked);
    EXPECT_EQ(status->revocation_reason, "keyCompromise");
    EXPECT_GT(status->revoked_at, 0);
    EXPECT_TRUE(tx.audit().has_event_for("certificate.revoked", "certificate:" + certificate_.serial_hex));
  });
  testing::expect_error(
      [&] { service_.revoke(command(certificate_.serial_hex, RevocationReason::unspecified, std::nullopt, true)); },
      ErrorKind::conflict, "already_revoked");
}

TEST_F(RevocationServiceTest, SomeoneElsesCertificateLooksLikeNoCertificate) {
  // Another applicant cannot revoke a certificate that is not theirs.
  testing::expect_error(
      [&] { service_.revoke(command(certificate_.serial_hex, RevocationReason::key_compromise, other_.id, false)); },
      ErrorKind::not_found, "unknown_certificate");
  test_.instance().store().read([&](StoreTransaction& tx) {
    EXPECT_EQ(tx.certificates().status(certificate_.serial_hex)->status, CertificateStatus::valid);
  });
}

TEST_F(RevocationServiceTest, OnlyAdministratorsClaimCaCompromise) {
  EXPECT_THROW(service_.revoke(command(certificate_.serial_hex, RevocationReason::ca_compromise, holder_.id, false)),
               Error);
  EXPECT_NO_THROW(service_.revoke(command(certificate_.serial_hex, RevocationReason::ca_compromise, std::nullopt, true)));
}

TEST_F(RevocationServiceTest, InvalidityDateInTheFutureIsRefused) {
  auto c = command(certificate_.serial_hex, RevocationReason::key_compromise, std::nullopt, true);
  c.invalidity_date = to_unix(std::chrono::system_clock::now()) + 86400;
  EXPECT_THROW(service_.revoke(c), Error);
}

TEST_F(RevocationServiceTest, ConcurrentRevocationsSettleToOne) {
  std::atomic<int> succeeded{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      try {
        service_.revoke(command(certificate_.serial_hex, RevocationReason::affiliation_changed, std::nullopt, true));
        ++succeeded;
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::conflict) ++conflicts;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(succeeded.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
}

}  // namespace
}  // namespace lontar
