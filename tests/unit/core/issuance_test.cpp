#include "core/issuance.h"

#include <gtest/gtest.h>

#include <deque>

#include "core/error.h"
#include "support/fake_clock.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

// Hands out scripted bytes first, then counts upward, so serial collisions can be forced.
class ScriptedRandom final : public RandomSource {
 public:
  std::deque<std::uint8_t> script;
  std::uint8_t counter = 1;
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) {
      if (!script.empty()) {
        b = script.front();
        script.pop_front();
      } else {
        b = counter++;
      }
    }
  }
};

class IssuanceTest : public ::testing::Test {
 protected:
  struct Snapshot {
    std::int64_t certificates;
    std::int64_t audit_events;
    bool operator==(const Snapshot&) const = default;
  };
  Snapshot snapshot() {
    Snapshot s{};
    test_.instance().store().read([&](StoreTransaction& tx) {
      s.certificates = tx.certificates().count();
      s.audit_events = tx.audit().head().first;
    });
    return s;
  }
  CertificateRecord issue(const std::string& csr, const std::string& product = "individual-2y",
                          const std::string& nik = "5108010101900001") {
    return test_.instance().issuance().issue_for_operator({nik, product, csr, "cli:test"});
  }
  void expect_refused(const std::string& csr, ErrorKind kind, const std::string& code, const std::string& message,
                      const std::string& product = "individual-2y", const std::string& nik = "5108010101900001") {
    const auto before = snapshot();
    try {
      issue(csr, product, nik);
      FAIL() << "issued although it should be refused: " << code;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), kind);
      EXPECT_EQ(e.code(), code);
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
    EXPECT_EQ(snapshot(), before) << "a refused issuance wrote something";
  }

  testing::TestInstance test_;
  Account account_ = test_.add_account("5108010101900001");
};

TEST_F(IssuanceTest, RecordsCertificateRequestAndAuditTogether) {
  const auto record = issue(testing::csr_for(crypto::PrivateKey::generate("ec-p256")));
  test_.instance().store().read([&](StoreTransaction& tx) {
    const auto stored = tx.certificates().find_by_serial(record.serial_hex);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->pem, record.pem);
    EXPECT_EQ(stored->status, CertificateStatus::valid);
    const auto request = tx.requests().find(stored->request_id);
    ASSERT_TRUE(request);
    EXPECT_EQ(request->state, RequestState::issued);
    EXPECT_EQ(request->kind, RequestKind::new_certificate);
    EXPECT_TRUE(tx.audit().has_event_for("certificate.issued", "certificate:" + record.serial_hex));
  });
}

TEST_F(IssuanceTest, ValidityFollowsTheProduct) {
  const auto record = issue(testing::csr_for(crypto::PrivateKey::generate("ec-p256")), "individual-1y");
  EXPECT_NEAR(static_cast<double>(record.not_after - record.not_before), 365.0 * 86400, 120.0);
}

TEST_F(IssuanceTest, ValidityNeverOutlivesTheIssuingCa) {
  const auto& factory = test_.instance().factory();
  // Eleven months before the issuing CA expires, a two-year product is cut short.
  testing::FakeClock clock(factory.issuer_not_after() - std::chrono::days{330});
  IssuanceService service(test_.instance().store(), factory, test_.instance().config().catalog, clock,
                          test_.instance().random());
  const auto record = service.issue_for_operator(
      {"5108010101900001", "individual-2y", testing::csr_for(crypto::PrivateKey::generate("ec-p256")), "t"});
  EXPECT_EQ(record.not_after, to_unix(factory.issuer_not_after()));
}

TEST_F(IssuanceTest, RefusesAfterTheIssuingCaExpired) {
  const auto& factory = test_.instance().factory();
  testing::FakeClock clock(factory.issuer_not_after() + std::chrono::days{1});
  IssuanceService service(test_.instance().store(), factory, test_.instance().config().catalog, clock,
                          test_.instance().random());
  const auto before = snapshot();
  try {
    service.issue_for_operator(
        {"5108010101900001", "individual-2y", testing::csr_for(crypto::PrivateKey::generate("ec-p256")), "t"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "issuer_expired");
  }
  EXPECT_EQ(snapshot(), before);
}

TEST_F(IssuanceTest, RenewalSupersedesThePreviousCertificateOfTheType) {
  const auto first = issue(testing::csr_for(crypto::PrivateKey::generate("ec-p256")));
  const auto seal_holder = issue(testing::csr_for(crypto::PrivateKey::generate("ec-p256")), "seal-1y");
  const auto second = issue(testing::csr_for(crypto::PrivateKey::generate("ec-p256")), "individual-1y");
  test_.instance().store().read([&](StoreTransaction& tx) {
    EXPECT_EQ(tx.certificates().find_by_serial(first.serial_hex)->status, CertificateStatus::superseded);
    EXPECT_EQ(tx.certificates().find_by_serial(first.serial_hex)->revocation_reason, "superseded");
    EXPECT_EQ(tx.certificates().find_by_serial(second.serial_hex)->status, CertificateStatus::valid);
    EXPECT_EQ(tx.certificates().find_by_serial(seal_holder.serial_hex)->status, CertificateStatus::valid);
    EXPECT_EQ(tx.requests().find(second.request_id)->kind, RequestKind::renewal);
    EXPECT_TRUE(tx.audit().has_event_for("certificate.superseded", "certificate:" + first.serial_hex));
  });
}

TEST_F(IssuanceTest, SealIsNamedAfterTheUnitWithoutPersonalData) {
  const auto record = issue(testing::csr_for(crypto::PrivateKey::generate("ec-p384")), "seal-1y");
  EXPECT_EQ(record.subject, "CN=UPT TIK,OU=UPT TIK,O=Universitas Pendidikan Ganesha,C=ID");
  EXPECT_EQ(record.pem.find("5108010101900001"), std::string::npos);
}

TEST_F(IssuanceTest, RefusesKeyAlreadyCertifiedForTheAccount) {
  const auto key = crypto::PrivateKey::generate("ec-p256");
  issue(testing::csr_for(key));
  expect_refused(testing::csr_for(key, "again"), ErrorKind::policy, "key_reused", "newly generated key");
}

TEST_F(IssuanceTest, RefusesRsa1024) {
  crypto::PrivateKey weak(crypto::OsslPtr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024})));
  expect_refused(testing::csr_for(weak), ErrorKind::policy, "key_not_allowed",
                 "does not accept a RSA 1024 key; it accepts ECDSA P-256, ECDSA P-384, RSA 2048-4096");
}

TEST_F(IssuanceTest, RefusesUnsupportedCurve) {
  crypto::PrivateKey k1(crypto::OsslPtr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1")));
  expect_refused(testing::csr_for(k1), ErrorKind::policy, "key_not_allowed", "ECDSA secp256k1");
}

TEST_F(IssuanceTest, RefusesRsa2048ForASealProduct) {
  expect_refused(testing::csr_for(crypto::PrivateKey::generate("rsa-2048")), ErrorKind::policy, "key_not_allowed",
                 "RSA 3072-4096", "seal-2y");
}

TEST_F(IssuanceTest, RefusesUnknownProduct) {
  expect_refused(testing::csr_for(crypto::PrivateKey::generate("ec-p256")), ErrorKind::not_found, "unknown_product",
                 "no product named 'gold-10y'", "gold-10y");
}

TEST_F(IssuanceTest, RefusesUnknownNik) {
  expect_refused(testing::csr_for(crypto::PrivateKey::generate("ec-p256")), ErrorKind::not_found, "unknown_account",
                 "No account has the NIK 9999999999999999", "individual-2y", "9999999999999999");
}

TEST_F(IssuanceTest, RefusesMalformedCsrWithoutWriting) {
  expect_refused("not a csr", ErrorKind::invalid_input, "csr_unreadable", "not a readable certificate request");
}

TEST_F(IssuanceTest, SerialCollisionIsRetriedWithAFreshSerial) {
  ScriptedRandom random;
  std::vector<std::uint8_t> same(16, 0x5a);
  random.script.insert(random.script.end(), same.begin(), same.end());
  random.script.insert(random.script.end(), same.begin(), same.end());
  SystemClock clock;
  IssuanceService service(test_.instance().store(), test_.instance().factory(), test_.instance().config().catalog,
                          clock, random);
  const auto first = service.issue_for_operator(
      {"5108010101900001", "individual-2y", testing::csr_for(crypto::PrivateKey::generate("ec-p256")), "t"});
  const auto second = service.issue_for_operator(
      {"5108010101900001", "seal-2y", testing::csr_for(crypto::PrivateKey::generate("ec-p256")), "t"});
  EXPECT_EQ(first.serial_hex, "5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A");
  EXPECT_NE(second.serial_hex, first.serial_hex);
  EXPECT_EQ(snapshot().certificates, 2);
}

}  // namespace
}  // namespace lontar
