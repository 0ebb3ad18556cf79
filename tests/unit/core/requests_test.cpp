#include "core/requests.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <functional>
#include <thread>
#include <utility>

#include "core/error.h"
#include "core/esign_keys.h"
#include "crypto/certificate.h"
#include "crypto/key_custody.h"
#include "crypto/private_key.h"
#include "pdf/letter_inspector.h"
#include "support/expect_error.h"
#include "support/fake_clock.h"
#include "support/pdf_fixture.h"
#include "support/scratch_postgres.h"
#include "support/test_instance.h"

#include <openssl/x509.h>

namespace lontar {
namespace {

using testing::expect_error;

using testing::csr_for;
using testing::letter_pdf;

// Cheap Argon2 limits: these tests are about the procedure, not the cost.
crypto::PassphraseKeyCustody::Cost kFastCost{1, 8 * 1024 * 1024};

std::unique_ptr<testing::ScratchPostgres> scratch_for(const std::string& engine) {
  return engine == "postgresql" ? std::make_unique<testing::ScratchPostgres>() : nullptr;
}

// Every case runs on SQLite and on PostgreSQL: row locks and constraint errors differ.
class RequestServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  RequestServiceTest()
      : postgres_(scratch_for(GetParam())),
        test_(postgres_ ? postgres_->url() : "sqlite:lontar.db"),
        clock_(from_unix(1'790'000'000)),
        issuance_(test_.instance().store(), test_.instance().factory(), test_.instance().config().catalog, clock_,
                  random_),
        custody_(kFastCost),
        service_(test_.instance().store(), issuance_, test_.instance().factory(), test_.instance().config().catalog,
                 clock_, random_, letters_, custody_) {
    applicant_ = test_.add_account("5108010101900001", "Ni Luh Putu Ayu");
    other_ = test_.add_account("5108010101900002", "I Made Wirawan");
    verifier_ = test_.add_account("5108010101900003", "Kadek Verifikator", "UPT TIK", Role::verifier);
    verifier2_ = test_.add_account("5108010101900004", "Komang Verifikator", "UPT TIK", Role::verifier);
    helpdesk_ = test_.add_account("5108010101900005", "Putu Helpdesk", "UPT TIK", Role::helpdesk);
  }

  OpenedRequest open_lock(const Account& who, const std::string& product = "individual-1y") {
    NewRequest command;
    command.product_id = product;
    command.method = Method::lock;
    command.letter = letter_pdf();
    command.agreement_accepted = true;
    return service_.open(who, command);
  }

  std::vector<Notification> notices(const Account& who) {
    std::vector<Notification> out;
    test_.instance().store().read([&](StoreTransaction& tx) { out = tx.notifications().list_for_account(who.id); });
    return out;
  }

  std::unique_ptr<testing::ScratchPostgres> postgres_;
  testing::TestInstance test_;
  testing::FakeClock clock_;
  SystemRandom random_;
  IssuanceService issuance_;
  pdf::QpdfLetterInspector letters_;
  crypto::PassphraseKeyCustody custody_;
  RequestService service_;
  Account applicant_, other_, verifier_, verifier2_, helpdesk_;
};

TEST_P(RequestServiceTest, LockRequestGoesFromTokenToIssuedCertificate) {
  const auto opened = open_lock(applicant_);
  EXPECT_EQ(opened.request.state, RequestState::token_issued);
  EXPECT_EQ(opened.csr_token.size(), 24u);  // 20 symbols in groups of four
  EXPECT_NE(opened.request.token_sha256, opened.csr_token);  // only the hash is kept

  const auto key = crypto::PrivateKey::generate("ec-p256");
  const auto submitted = service_.submit_csr(applicant_, csr_for(key, "x", opened.csr_token), "");
  EXPECT_EQ(submitted.state, RequestState::submitted);
  EXPECT_EQ(submitted.key_description, "ECDSA P-256");

  const auto decided = service_.approve(verifier_, submitted.id);
  ASSERT_EQ(decided.state, RequestState::issued);
  EXPECT_EQ(decided.decided_by, verifier_.id);
  ASSERT_FALSE(decided.certificate_serial.empty());
  std::optional<CertificateRecord> cert;
  test_.instance().store().read(
      [&](StoreTransaction& tx) { cert = tx.certificates().find_by_serial(decided.certificate_serial); });
  ASSERT_TRUE(cert);
  EXPECT_EQ(cert->account_id, applicant_.id);
  EXPECT_EQ(cert->request_id, submitted.id);
  EXPECT_EQ(cert->key_sha256, key.public_info().spki_sha256);

  std::vector<std::string> kinds;
  for (const auto& n : notices(applicant_)) kinds.push_back(n.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"request.submitted", "request.approved", "request.issued"}));
  bool audited = false;
  test_.instance().store().read([&](StoreTransaction& tx) {
    audited = tx.audit().has_event_for("request.opened", "request:" + std::to_string(submitted.id)) &&
              tx.audit().has_event_for("request.issued", "request:" + std::to_string(submitted.id));
  });
  EXPECT_TRUE(audited);
}

TEST_P(RequestServiceTest, AcceptanceOfTheAgreementIsRequiredAndAudited) {
  NewRequest command{"individual-1y", Method::lock, letter_pdf(), false, ""};
  expect_error([&] { service_.open(applicant_, command); }, ErrorKind::policy, "agreement_required");
  command.agreement_accepted = true;
  const auto opened = service_.open(applicant_, command);
  std::string details;
  test_.instance().store().read([&](StoreTransaction& tx) {
    tx.audit().for_each([&](const AuditEvent& e) {
      if (e.action == "request.opened") details = e.details;
    });
  });
  EXPECT_NE(details.find("\"agreement_version\":\"2026-01\""), std::string::npos) << details;
  EXPECT_NE(details.find("agreement_accepted_at"), std::string::npos) << details;
}

TEST_P(RequestServiceTest, RenewalSupersedesThePreviousCertificate) {
  const auto first_key = crypto::PrivateKey::generate("ec-p256");
  const auto first = test_.instance().issuance().issue_for_operator(
      {applicant_.nik, "individual-1y", csr_for(first_key), "cli:test"});
  const auto opened = open_lock(applicant_);
  EXPECT_EQ(opened.request.kind, RequestKind::renewal);
  // Re-keying is mandatory: the old key is refused.
  expect_error([&] { service_.submit_csr(applicant_, csr_for(first_key, "x", opened.csr_token), ""); },
               ErrorKind::policy, "key_reused");
  const auto key = crypto::PrivateKey::generate("ec-p384");
  const auto submitted = service_.submit_csr(applicant_, csr_for(key, "x", opened.csr_token), "");
  const auto issued = service_.approve(verifier_, submitted.id);
  ASSERT_EQ(issued.state, RequestState::issued);
  std::optional<CertificateRecord> old;
  test_.instance().store().read([&](StoreTransaction& tx) { old = tx.certificates().find_by_serial(first.serial_hex); });
  EXPECT_EQ(old->status, CertificateStatus::superseded);
}

TEST_P(RequestServiceTest, TokensAreSingleUseOwnedAndShortLived) {
  const auto opened = open_lock(applicant_);
  const auto key = crypto::PrivateKey::generate("ec-p256");
  expect_error([&] { service_.submit_csr(applicant_, csr_for(key, "x", "AAAA-BBBB-CCCC-DDDD-EEEE"), ""); },
               ErrorKind::not_found, "token_unknown");
  expect_error([&] { service_.submit_csr(applicant_, csr_for(key), ""); }, ErrorKind::invalid_input,
               "csr_without_token");
  // Someone else's token, used by a logged-in applicant, is unknown to them.
  expect_error([&] { service_.submit_csr(other_, csr_for(key, "x", opened.csr_token), ""); }, ErrorKind::not_found,
               "token_unknown");
  // Lower case and without dashes is the same token.
  std::string typed;
  for (char c : opened.csr_token)
    if (c != '-') typed += static_cast<char>(std::tolower(c));
  const auto submitted = service_.submit_csr(std::nullopt, csr_for(key, "x", typed), "");
  // The same CSR again (a retry after a lost answer) returns the same request...
  EXPECT_EQ(service_.submit_csr(std::nullopt, csr_for(key, "x", opened.csr_token), "").id, submitted.id);
  // ...and another CSR with the used token is refused.
  const auto key2 = crypto::PrivateKey::generate("ec-p256");
  expect_error([&] { service_.submit_csr(std::nullopt, csr_for(key2, "x", opened.csr_token), ""); },
               ErrorKind::conflict, "token_used");
}

TEST_P(RequestServiceTest, AnExpiredTokenIsRefusedAndFreesTheSlot) {
  const auto opened = open_lock(applicant_);
  clock_.advance(std::chrono::hours(25));
  const auto key = crypto::PrivateKey::generate("ec-p256");
  expect_error([&] { service_.submit_csr(applicant_, csr_for(key, "x", opened.csr_token), ""); }, ErrorKind::policy,
               "token_expired");
  EXPECT_EQ(service_.for_owner(applicant_, opened.request.id).state, RequestState::expired);
  EXPECT_EQ(open_lock(applicant_).request.state, RequestState::token_issued);
}

TEST_P(RequestServiceTest, OneOpenRequestPerType) {
  open_lock(applicant_);
  expect_error([&] { open_lock(applicant_, "individual-2y"); }, ErrorKind::conflict, "open_request_exists");
}

TEST_P(RequestServiceTest, LettersMustBePdfsWithinTheLimit) {
  NewRequest command{"individual-1y", Method::lock, "<html>not a pdf</html>", true, ""};
  expect_error([&] { service_.open(applicant_, command); }, ErrorKind::invalid_input, "letter_not_pdf");
  command.letter = "%PDF-1.7\n garbage that does not parse";
  expect_error([&] { service_.open(applicant_, command); }, ErrorKind::invalid_input, "letter_not_pdf");
  command.letter = letter_pdf() + std::string(5 * 1024 * 1024, ' ');
  expect_error([&] { service_.open(applicant_, command); }, ErrorKind::invalid_input, "letter_too_large");
  // LOCK may bring the letter with the CSR; without any letter the CSR is refused.
  command.letter.clear();
  const auto opened = service_.open(applicant_, command);
  const auto key = crypto::PrivateKey::generate("ec-p256");
  expect_error([&] { service_.submit_csr(applicant_, csr_for(key, "x", opened.csr_token), ""); },
               ErrorKind::invalid_input, "letter_required");
  EXPECT_EQ(service_.submit_csr(applicant_, csr_for(key, "x", opened.csr_token), letter_pdf()).state,
            RequestState::submitted);
}

TEST_P(RequestServiceTest, OnlyOtherVerifiersDecide) {
  const auto opened = open_lock(verifier_);
  const auto key = crypto::PrivateKey::generate("ec-p256");
  const auto submitted = service_.submit_csr(verifier_, csr_for(key, "x", opened.csr_token), "");
  expect_error([&] { service_.approve(applicant_, submitted.id); }, ErrorKind::forbidden, "not_a_verifier");
  expect_error([&] { service_.approve(helpdesk_, submitted.id); }, ErrorKind::forbidden, "not_a_verifier");
  expect_error([&] { service_.approve(verifier_, submitted.id); }, ErrorKind::forbidden, "own_request");
  expect_error([&] { service_.reject(verifier_, submitted.id, "not my own"); }, ErrorKind::forbidden, "own_request");
  expect_error([&] { service_.reject(verifier2_, submitted.id, " "); }, ErrorKind::invalid_input, "reason_required");
  const auto rejected = service_.reject(verifier2_, submitted.id, "The letter is not signed by the dean.");
  EXPECT_EQ(rejected.state, RequestState::rejected);
  EXPECT_EQ(service_.for_owner(verifier_, submitted.id).decision_reason, "The letter is not signed by the dean.");
  expect_error([&] { service_.approve(verifier2_, submitted.id); }, ErrorKind::conflict, "already_decided");
  // Reading: not someone else's request as an applicant, but as a reviewer.
  expect_error([&] { service_.for_owner(applicant_, submitted.id); }, ErrorKind::not_found, "unknown_request");
  expect_error([&] { service_.for_reviewer(applicant_, submitted.id); }, ErrorKind::forbidden, "not_a_reviewer");
  EXPECT_EQ(service_.for_reviewer(helpdesk_, submitted.id).id, submitted.id);
}

TEST_P(RequestServiceTest, SealsNeedTwoDistinctVerifiers) {
  const auto opened = open_lock(applicant_, "seal-1y");
  const auto key = crypto::PrivateKey::generate("ec-p256");
  const auto submitted = service_.submit_csr(applicant_, csr_for(key, "x", opened.csr_token), "");
  EXPECT_EQ(service_.approve(verifier_, submitted.id).state, RequestState::submitted);
  expect_error([&] { service_.approve(verifier_, submitted.id); }, ErrorKind::conflict, "already_approved");
  EXPECT_EQ(service_.approvals(submitted.id).size(), 1u);
  EXPECT_EQ(service_.approve(verifier2_, submitted.id).state, RequestState::issued);
}

TEST_P(RequestServiceTest, ConcurrentApprovalsSettleToOneCertificate) {
  std::vector<Account> verifiers;
  for (int i = 0; i < 6; ++i)
    verifiers.push_back(
        test_.add_account("51080101019100" + std::to_string(10 + i), "Verifier " + std::to_string(i), "UPT TIK",
                          Role::verifier));
  const auto opened = open_lock(applicant_);
  const auto key = crypto::PrivateKey::generate("ec-p256");
  const auto submitted = service_.submit_csr(applicant_, csr_for(key, "x", opened.csr_token), "");
  std::atomic<int> won{0}, lost{0};
  std::barrier start(static_cast<std::ptrdiff_t>(verifiers.size()));
  std::vector<std::thread> threads;
  for (const auto& v : verifiers)
    threads.emplace_back([&, v] {
      start.arrive_and_wait();
      try {
        service_.approve(v, submitted.id);
        ++won;
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::conflict) ++lost;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), static_cast<int>(verifiers.size()) - 1);
  std::int64_t certificates = 0;
  test_.instance().store().read([&](StoreTransaction& tx) { certificates = tx.certificates().count(); });
  EXPECT_EQ(certificates, 1);
  EXPECT_EQ(service_.for_owner(applicant_, submitted.id).state, RequestState::issued);
}

// Two verifiers press "approve" at the same moment, fifty times over: each time one
// certificate and one clear "already decided".
TEST_P(RequestServiceTest, TwoVerifiersAtTheSameMomentFiftyTimes) {
  for (int round = 0; round < 50; ++round) {
    const auto opened = open_lock(applicant_);
    const auto key = crypto::PrivateKey::generate("ec-p256");
    const auto submitted = service_.submit_csr(applicant_, csr_for(key, "x", opened.csr_token), "");
    std::barrier start(2);
    std::atomic<int> won{0};
    std::vector<std::string> refusals(2);
    auto decide = [&](const Account& v, int slot) {
      start.arrive_and_wait();
      try {
        service_.approve(v, submitted.id);
        ++won;
      } catch (const Error& e) {
        refusals[slot] = e.code();
      }
    };
    std::thread first(decide, std::cref(verifier_), 0), second(decide, std::cref(verifier2_), 1);
    first.join();
    second.join();
    ASSERT_EQ(won.load(), 1) << "round " << round;
    EXPECT_EQ(refusals[0] + refusals[1], "already_decided") << "round " << round;
    std::vector<CertificateRecord> issued;
    test_.instance().store().read([&](StoreTransaction& tx) {
      for (const auto& c : tx.certificates().list_for_account(applicant_.id))
        if (c.request_id == submitted.id) issued.push_back(c);
    });
    ASSERT_EQ(issued.size(), 1u) << "round " << round;
  }
}

TEST_P(RequestServiceTest, ApprovedRequestsLeftByACrashAreIssuedExactlyOnce) {
  const auto opened = open_lock(applicant_);
  const auto key = crypto::PrivateKey::generate("ec-p256");
  auto request = service_.submit_csr(applicant_, csr_for(key, "x", opened.csr_token), "");
  // As if the process died right after the approval committed.
  test_.instance().store().write([&](StoreTransaction& tx) {
    auto approved = request;
    approved.state = RequestState::approved;
    ASSERT_TRUE(tx.requests().save(approved, RequestState::submitted));
  });
  EXPECT_EQ(service_.issue_approved(), 1);
  EXPECT_EQ(service_.issue_approved(), 0);
  std::int64_t certificates = 0;
  test_.instance().store().read([&](StoreTransaction& tx) { certificates = tx.certificates().count(); });
  EXPECT_EQ(certificates, 1);
  EXPECT_EQ(service_.for_owner(applicant_, request.id).state, RequestState::issued);
}

// A store that runs something of the test's just before one chosen write: the moment
// another worker would slip in between two transactions of one call.
class StoreWithAnInterruption final : public Store {
 public:
  explicit StoreWithAnInterruption(Store& inner) : inner_(inner) {}
  void before_write(int number, std::function<void()> interruption) {
    writes_ = 0;
    at_ = number;
    interruption_ = std::move(interruption);
  }
  void write(const Work& work) override {
    if (++writes_ == at_ && interruption_) std::exchange(interruption_, nullptr)();
    inner_.write(work);
  }
  void read(const Work& work) override { inner_.read(work); }

 private:
  Store& inner_;
  int writes_ = 0;
  int at_ = 0;
  std::function<void()> interruption_;
};

TEST_P(RequestServiceTest, AnApprovalThatLosesTheIssuanceToTheJobAnswersWhatTheJobIssued) {
  StoreWithAnInterruption store(test_.instance().store());
  IssuanceService issuance(store, test_.instance().factory(), test_.instance().config().catalog, clock_, random_);
  RequestService service(store, issuance, test_.instance().factory(), test_.instance().config().catalog, clock_,
                         random_, letters_, custody_);
  const auto opened = open_lock(applicant_);
  const auto key = crypto::PrivateKey::generate("ec-p256");
  const auto request = service_.submit_csr(applicant_, csr_for(key, "x", opened.csr_token), "");
  // Write 1 commits the approval; before write 2 (the verifier's own issuance) the
  // issuing job, on another server, finds the request approved and issues it.
  int issued_by_job = -1;
  store.before_write(2, [&] { issued_by_job = service_.issue_approved(); });
  const auto decided = service.approve(verifier_, request.id);
  EXPECT_EQ(issued_by_job, 1);
  ASSERT_EQ(decided.state, RequestState::issued);
  std::vector<CertificateRecord> certificates;
  test_.instance().store().read([&](StoreTransaction& tx) { certificates = tx.certificates().list_for_account(applicant_.id); });
  ASSERT_EQ(certificates.size(), 1u);  // the loser's signature was never recorded
  EXPECT_EQ(decided.certificate_serial, certificates[0].serial_hex);
  EXPECT_EQ(service_.for_owner(applicant_, request.id).certificate_serial, certificates[0].serial_hex);
  std::vector<std::string> kinds;
  for (const auto& n : notices(applicant_)) kinds.push_back(n.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"request.submitted", "request.approved", "request.issued"}));
}

TEST_P(RequestServiceTest, EsignKeyIsMadeAfterApprovalAndOpensOnlyWithThePassphrase) {
  NewRequest command{"individual-1y", Method::esign, letter_pdf(), true, "short"};
  expect_error([&] { service_.open(applicant_, command); }, ErrorKind::invalid_input, "weak_passphrase");
  command.passphrase = "Kunci-Rahasia-Saya-2026";
  const auto opened = service_.open(applicant_, command);
  EXPECT_TRUE(opened.csr_token.empty());
  EXPECT_EQ(opened.request.state, RequestState::submitted);
  EXPECT_EQ(opened.request.custody_envelope.find(command.passphrase), std::string::npos);
  const auto issued = service_.approve(verifier_, opened.request.id);
  ASSERT_EQ(issued.state, RequestState::issued);
  ASSERT_FALSE(issued.sealed_key.empty());

  const auto der = custody_.open(issued.custody_envelope, issued.sealed_key, command.passphrase);
  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(der.data());
  crypto::OsslPtr<EVP_PKEY> key(d2i_AutoPrivateKey(nullptr, &cursor, static_cast<long>(der.size())));
  ASSERT_TRUE(key);
  std::optional<CertificateRecord> cert;
  test_.instance().store().read(
      [&](StoreTransaction& tx) { cert = tx.certificates().find_by_serial(issued.certificate_serial); });
  ASSERT_TRUE(cert);
  EXPECT_EQ(crypto::spki_sha256_hex(key.get()), cert->key_sha256);
  expect_error([&] { custody_.open(issued.custody_envelope, issued.sealed_key, "Kunci-Rahasia-Saya-2027"); },
               ErrorKind::unauthenticated, "wrong_passphrase");
}

// Passphrases guessed through signing are counted per key: after the limit the key is
// locked (audited, the holder told), even the right passphrase is refused, and the
// helpdesk releases it.
TEST_P(RequestServiceTest, AnEsignKeyLocksAfterTooManyWrongPassphrases) {
  NewRequest command{"individual-1y", Method::esign, letter_pdf(), true, "Kunci-Rahasia-Saya-2026"};
  const auto issued = service_.approve(verifier_, service_.open(applicant_, command).request.id);
  ASSERT_EQ(issued.state, RequestState::issued);
  EsignKeys keys(test_.instance().store(), custody_, clock_, 3);
  EXPECT_FALSE(keys.open(applicant_, CertificateType::individual, command.passphrase).key_der.empty());
  for (int i = 0; i < 2; ++i)
    expect_error([&] { keys.open(applicant_, CertificateType::individual, "Tebakan-Salah-2026"); },
                 ErrorKind::unauthenticated, "wrong_passphrase");
  expect_error([&] { keys.open(applicant_, CertificateType::individual, "Tebakan-Salah-2027"); }, ErrorKind::forbidden,
               "esign_key_locked");
  expect_error([&] { keys.open(applicant_, CertificateType::individual, command.passphrase); }, ErrorKind::forbidden,
               "esign_key_locked");
  EXPECT_EQ(notices(applicant_).back().kind, "esign.key_locked");
  expect_error([&] { keys.release(Actor::person(other_), applicant_.nik); }, ErrorKind::forbidden, "forbidden");
  EXPECT_EQ(keys.release(Actor::person(helpdesk_), applicant_.nik), 1);
  EXPECT_EQ(keys.release(Actor::person(helpdesk_), applicant_.nik), 0);
  EXPECT_FALSE(keys.open(applicant_, CertificateType::individual, command.passphrase).key_der.empty());
  bool audited = false;
  test_.instance().store().read([&](StoreTransaction& tx) {
    audited = tx.audit().has_event_for("esign.key_locked", "certificate:" + issued.certificate_serial) &&
              tx.audit().has_event_for("esign.key_released", "certificate:" + issued.certificate_serial);
  });
  EXPECT_TRUE(audited);
}

TEST_P(RequestServiceTest, ExpiryNoticesAreQueuedOncePerThreshold) {
  const auto key = crypto::PrivateKey::generate("ec-p256");
  const auto cert = test_.instance().issuance().issue_for_operator(
      {applicant_.nik, "individual-1y", csr_for(key), "cli:test"});
  // Jump to 10 days before notAfter: the 30-day notice, once.
  clock_ = testing::FakeClock(from_unix(cert.not_after - 10 * 86400));
  EXPECT_EQ(service_.notify_expiring(), 1);
  service_.notify_expiring();
  EXPECT_EQ(notices(applicant_).size(), 1u);
  clock_.advance(std::chrono::days(4));  // 6 days left: the 7-day notice
  service_.notify_expiring();
  EXPECT_EQ(notices(applicant_).size(), 2u);
}

// One key, one certificate: the second of two open requests with the same key could
// never be issued, so it is refused when the key is submitted.
TEST_P(RequestServiceTest, OneKeyCannotSitOnTwoOpenRequests) {
  const auto individual = open_lock(applicant_);
  const auto seal = open_lock(applicant_, "seal-1y");
  const auto key = crypto::PrivateKey::generate("ec-p256");
  const auto first = service_.submit_csr(applicant_, csr_for(key, "x", individual.csr_token), "");
  const auto message = expect_error([&] { service_.submit_csr(applicant_, csr_for(key, "x", seal.csr_token), ""); },
                                    ErrorKind::policy, "key_on_other_request");
  EXPECT_NE(message.find("#" + std::to_string(first.id)), std::string::npos) << message;
  const auto other_key = crypto::PrivateKey::generate("ec-p256");
  EXPECT_EQ(service_.submit_csr(applicant_, csr_for(other_key, "x", seal.csr_token), "").state,
            RequestState::submitted);
}

// An approved request the CA can no longer issue (its key was certified meanwhile by
// an operator) ends as rejected with the reason, instead of being retried for ever.
TEST_P(RequestServiceTest, AnApprovedRequestThatCannotBeIssuedEndsRejected) {
  const auto opened = open_lock(applicant_);
  const auto key = crypto::PrivateKey::generate("ec-p256");
  const auto csr = csr_for(key, "x", opened.csr_token);
  const auto submitted = service_.submit_csr(applicant_, csr, "");
  issuance_.issue_for_operator({applicant_.nik, "seal-1y", csr_for(key, "x"), "operator"});
  const auto decided = service_.approve(verifier_, submitted.id);
  EXPECT_EQ(decided.state, RequestState::rejected);
  EXPECT_NE(decided.decision_reason.find("could not issue"), std::string::npos) << decided.decision_reason;
  EXPECT_EQ(service_.issue_approved(), 0);
  std::optional<CertificateRequest> stored;
  bool audited = false;
  test_.instance().store().read([&](StoreTransaction& tx) {
    stored = tx.requests().find(submitted.id);
    audited = tx.audit().has_event_for("request.issuance_refused", "request:" + std::to_string(submitted.id));
  });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, RequestState::rejected);
  EXPECT_TRUE(audited);
  EXPECT_EQ(notices(applicant_).back().kind, "request.rejected");
}

// The queue shows the oldest waiting requests up to its limit and says whether more
// wait beyond them; staff see it, applicants do not.
TEST_P(RequestServiceTest, TheQueueShowsTheOldestAndSaysWhetherMoreWait) {
  const auto third = test_.add_account("5108010101900006", "Gede Ketiga");
  std::vector<std::int64_t> waiting;
  for (const Account* who : std::initializer_list<const Account*>{&other_, &applicant_, &third}) {
    const auto opened = open_lock(*who);
    const auto key = crypto::PrivateKey::generate("ec-p256");
    waiting.push_back(service_.submit_csr(*who, csr_for(key, "x", opened.csr_token), "").id);
    clock_.advance(std::chrono::seconds{60});
  }
  QueueFilter filter;
  filter.limit = 2;
  auto page = service_.queue(verifier_, filter);
  ASSERT_EQ(page.requests.size(), 2u);
  EXPECT_EQ(page.requests[0].request.id, waiting[0]);
  EXPECT_EQ(page.requests[1].request.id, waiting[1]);
  EXPECT_EQ(page.requests[0].applicant->name, "I Made Wirawan");
  EXPECT_TRUE(page.more);

  filter.limit = 3;
  page = service_.queue(verifier_, filter);
  EXPECT_EQ(page.requests.size(), 3u);
  EXPECT_FALSE(page.more);

  // Deciding one leaves two: they fit a page of two.
  service_.approve(verifier_, waiting[0]);
  filter.limit = 2;
  page = service_.queue(verifier_, filter);
  ASSERT_EQ(page.requests.size(), 2u);
  EXPECT_EQ(page.requests[0].request.id, waiting[1]);
  EXPECT_FALSE(page.more);

  EXPECT_EQ(service_.queue(helpdesk_, filter).requests.size(), 2u);  // helpdesk answers applicants' questions
  expect_error([&] { service_.queue(applicant_, filter); }, ErrorKind::forbidden, "not_a_reviewer");
}

INSTANTIATE_TEST_SUITE_P(Engines, RequestServiceTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace lontar
