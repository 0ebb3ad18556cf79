// Renewal with the current certificate (RequestService::renew, renew_esign) and the
// sealed CSR tokens CMP's MAC needs (TokenVault, cmp_secret).
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/requests.h"
#include "core/token_vault.h"
#include "crypto/key_custody.h"
#include "crypto/private_key.h"
#include "crypto/proven_key.h"
#include "pdf/letter_inspector.h"
#include "support/expect_error.h"
#include "support/fake_clock.h"
#include "support/pdf_fixture.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

using testing::csr_for;
using testing::expect_error;

crypto::PassphraseKeyCustody::Cost kFastCost{1, 8 * 1024 * 1024};

class RenewalTest : public ::testing::Test {
 protected:
  RenewalTest()
      : catalog_(test_.instance().config().catalog),
        clock_(from_unix(1'790'000'000)),
        issuance_(test_.instance().store(), test_.instance().factory(), catalog_, clock_, random_),
        custody_(kFastCost),
        vault_(TokenVault::new_key(random_)),
        service_(test_.instance().store(), issuance_, test_.instance().factory(), catalog_, clock_, random_, letters_,
                 custody_) {
    service_.use_token_vault(vault_);
    holder_ = test_.add_account("5108010101900001", "Ni Luh Putu Ayu");
    current_ = issuance_.issue_for_operator({holder_.nik, "individual-1y", csr_for(key_), "cli:test"});
  }

  Product& product() {
    for (auto& p : catalog_.products)
      if (p.id == "individual-1y") return p;
    throw std::logic_error("no individual-1y product");
  }
  void into_window() { clock_.advance(std::chrono::seconds(current_.not_after - to_unix(clock_.now()) - 10 * 86400)); }
  crypto::ProvenKey new_key() {
    keys_.push_back(crypto::PrivateKey::generate("ec-p256"));
    return crypto::ProvenKey::from_key(keys_.back().get());
  }
  CertificateRecord reread(const std::string& serial) {
    std::optional<CertificateRecord> found;
    test_.instance().store().read([&](StoreTransaction& tx) { found = tx.certificates().find_by_serial(serial); });
    return *found;
  }
  std::int64_t renewals() {
    std::int64_t count = 0;
    test_.instance().store().read([&](StoreTransaction& tx) {
      for (const auto& r : tx.requests().list_for_account(holder_.id)) count += r.kind == RequestKind::renewal;
    });
    return count;
  }

  testing::TestInstance test_{"sqlite:lontar.db"};
  ProductCatalog catalog_;
  testing::FakeClock clock_;
  SystemRandom random_;
  IssuanceService issuance_;
  pdf::QpdfLetterInspector letters_;
  crypto::PassphraseKeyCustody custody_;
  TokenVault vault_;
  RequestService service_;
  Account holder_;
  crypto::PrivateKey key_ = crypto::PrivateKey::generate("ec-p256");
  CertificateRecord current_;
  std::vector<crypto::PrivateKey> keys_;
};

TEST_F(RenewalTest, OutsideTheWindowIsRefusedAndWritesNothing) {
  expect_error([&] { service_.renew(current_, new_key(), "test"); }, ErrorKind::policy, "outside_renewal_window");
  EXPECT_EQ(renewals(), 0);
  EXPECT_EQ(service_.renewal_opens_at(current_), current_.not_after - 60 * 86400);
}

TEST_F(RenewalTest, TheVerifierPolicyQueuesTheRenewal) {
  into_window();
  const auto renewal = service_.renew(current_, new_key(), "test");
  EXPECT_EQ(renewal.state, RequestState::submitted);
  EXPECT_EQ(renewal.kind, RequestKind::renewal);
  EXPECT_EQ(renewal.method, Method::lock);
  EXPECT_EQ(reread(current_.serial_hex).status, CertificateStatus::valid) << "superseded only once issued";
}

TEST_F(RenewalTest, TheAutomaticPolicyIssuesAtOnceAndSupersedes) {
  product().renewal = RenewalPolicy::automatic;
  into_window();
  const auto renewal = service_.renew(current_, new_key(), "test");
  ASSERT_EQ(renewal.state, RequestState::issued);
  EXPECT_EQ(reread(current_.serial_hex).status, CertificateStatus::superseded);
  EXPECT_EQ(reread(renewal.certificate_serial).subject, current_.subject);
}

TEST_F(RenewalTest, AChangedHolderGoesToAVerifierEvenUnderTheAutomaticPolicy) {
  product().renewal = RenewalPolicy::automatic;
  into_window();
  auto changed = holder_;
  changed.name = "Ni Luh Putu Ayu Lestari";
  test_.instance().store().write([&](StoreTransaction& tx) { tx.accounts().update(changed); });
  EXPECT_EQ(service_.renew(current_, new_key(), "test").state, RequestState::submitted);
}

TEST_F(RenewalTest, OnlyAValidCertificateRenewsAndNeverWithItsOwnKey) {
  into_window();
  expect_error([&] { service_.renew(current_, crypto::ProvenKey::from_key(key_.get()), "test"); }, ErrorKind::policy,
               "key_reused");
  auto revoked = current_;
  revoked.status = CertificateStatus::revoked;
  expect_error([&] { service_.renew(revoked, new_key(), "test"); }, ErrorKind::policy, "certificate_not_valid");
  clock_.advance(std::chrono::seconds(11 * 86400));
  expect_error([&] { service_.renew(current_, new_key(), "test"); }, ErrorKind::policy, "certificate_not_valid");
  EXPECT_EQ(renewals(), 0);
}

TEST_F(RenewalTest, TheSameKeyAgainResumesTheRenewalInsteadOfOpeningAnother) {
  into_window();
  const auto key = new_key();
  const auto first = service_.renew(current_, key, "test");
  EXPECT_EQ(service_.renew(current_, key, "test").id, first.id);
  expect_error([&] { service_.renew(current_, new_key(), "test"); }, ErrorKind::conflict, "open_request_exists");
  EXPECT_EQ(renewals(), 1);
}

TEST_F(RenewalTest, AnOpenedTokenIsSealedForTheMacAndOpensOnlyWithItsVault) {
  auto other = test_.add_account("5108010101900002", "I Made Wirawan");
  NewRequest command{"individual-1y", Method::lock, testing::letter_pdf(), true, ""};
  const auto opened = service_.open(other, command);
  EXPECT_EQ(service_.cmp_secret(opened.request.id), opened.csr_token);
  EXPECT_EQ(service_.cmp_secret(opened.request.id + 1000), std::nullopt);
  std::string sealed;
  test_.instance().store().read([&](StoreTransaction& tx) { sealed = tx.requests().sealed_token(opened.request.id); });
  EXPECT_EQ(sealed.find(opened.csr_token), std::string::npos) << "not kept in clear";
  EXPECT_EQ(TokenVault(TokenVault::new_key(random_)).open(sealed), std::nullopt) << "another vault's key";
  sealed[sealed.size() / 2] = sealed[sealed.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(vault_.open(sealed), std::nullopt) << "a changed seal";
  const auto replaced = service_.replace_token(other, opened.request.id);
  EXPECT_EQ(service_.cmp_secret(opened.request.id), replaced) << "a replaced token is sealed again";
}

}  // namespace
}  // namespace lontar
