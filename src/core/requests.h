#pragma once

#include <chrono>
#include <functional>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/account.h"
#include "core/issuance.h"
#include "core/esign_keys.h"
#include "core/key_custody.h"
#include "core/request.h"
#include "core/token_vault.h"
#include "core/upstream.h"

namespace lontar {

struct RequestPolicy {
  std::chrono::seconds token_lifetime{24 * 3600};   // SPEC §3 default
  std::size_t letter_max_bytes = 5 * 1024 * 1024;
  std::string agreement_version = "2026-01";
  int esign_attempts = 5;  // wrong passphrases in a row before an eSign key is locked
  std::string portal_url;  // where notices send the holder (the public URL)
};

struct NewRequest {
  std::string product_id;
  Method method = Method::lock;
  std::string letter;           // PDF; for LOCK it may come later with the CSR
  bool agreement_accepted = false;
  std::string passphrase;       // eSign only; used once, never stored
};

struct OpenedRequest {
  CertificateRequest request;
  std::string csr_token;  // LOCK: shown to the applicant once
};

// What a CSR token tells its holder before they generate a key (LOCK step 4).
struct TokenDetails {
  CertificateRequest request;
  Account applicant;
  std::optional<CertificateRecord> certificate;  // once issued
};

// A request as staff see it: with its applicant and the approvals so far.
struct ReviewedRequest {
  CertificateRequest request;
  std::optional<Account> applicant;
  std::size_t approvals = 0;
};

// The oldest waiting requests, at most the filter's limit; `more` says others wait
// beyond them (the verifier works through these first, or narrows the filter).
struct QueuePage {
  std::vector<ReviewedRequest> requests;
  bool more = false;
};

// The procedure of SPEC §1 as state changes: open a request (LOCK with a CSR token, or
// eSign with a passphrase envelope), submit the CSR and letter, decide, issue. Each
// change is one transaction with its audit event and notifications; authorization
// (whose request, which role) is decided here, not in the HTTP layer.
class RequestService final {
 public:
  RequestService(Store& store, const IssuanceService& issuance, const CertificateFactory& factory,
                 const ProductCatalog& products, const Clock& clock, RandomSource& random,
                 const LetterInspector& letters, const KeyCustody& custody, RequestPolicy policy = {})
      : store_(store), issuance_(issuance), factory_(factory), products_(products), clock_(clock), random_(random),
        letters_(letters), custody_(custody), policy_(std::move(policy)) {}

  const RequestPolicy& policy() const { return policy_; }

  OpenedRequest open(const Account& applicant, const NewRequest& command);
  // LOCK: the token inside the CSR's challengePassword names the request. `applicant`
  // is the logged-in holder on the portal path, or nullopt when the token alone is the
  // credential (the LOCK tool); either way the token must match.
  // `csr` is parsed once, by the caller; `request_id`, when the address named a request,
  // must be the one the token belongs to.
  CertificateRequest submit_csr(const std::optional<Account>& applicant, const SigningRequest& csr,
                                std::string_view letter, std::optional<std::int64_t> request_id = std::nullopt);
  // Parses `csr` (PEM or DER, untrusted) and submits it.
  CertificateRequest submit_csr(const std::optional<Account>& applicant, std::string_view csr,
                                std::string_view letter);
  TokenDetails redeem(std::string_view token);

  // CMP (RFC 4210). Tokens are also kept sealed from now on, for password-based MAC.
  void use_token_vault(const TokenVault& vault) { vault_ = &vault; }
  // The CSR token of LOCK request `id` (whatever its state), for checking a MAC; nullopt
  // when none was kept.
  std::optional<std::string> cmp_secret(std::int64_t id) const;
  // An ir/cr/p10cr whose MAC the request's token made: the key it proved goes to the
  // verifiers, as a CSR with that token would.
  CertificateRequest submit_key(std::int64_t id, std::string_view token, const SigningRequest& key);
  // A renewal signed with `current` (a kur, or the portal's Renew): a new request for the
  // same account and product with a new key, queued for a verifier or, under the
  // product's automatic policy when nothing changed, issued at once. Refused outside the
  // product's renewal window and for a certificate that is not valid now.
  CertificateRequest renew(const CertificateRecord& current, const SigningRequest& key, std::string_view via);
  // The one-click renewal of an eSign certificate: `passphrase` must open the current key
  // (counted against it like a signature's), and seals the new one, made on the server
  // at issuance.
  CertificateRequest renew_esign(const EsignKeys& keys, const Account& holder, const CertificateRecord& current,
                                 std::string_view passphrase);
  // The certificate a holder's renewal would replace and since when it may be renewed.
  std::int64_t renewal_opens_at(const CertificateRecord& current) const;
  // A request named by a protocol transaction the caller has already authenticated
  // (CMP's pollReq, certConf), with its certificate once issued.
  std::optional<TokenDetails> for_transaction(std::int64_t id) const;
  // A fresh CSR token for the applicant's own unused LOCK request; the old one stops
  // working. For an answer that was lost: the database keeps no token to show again.
  // Throws conflict "token_not_replaceable" once the token was used.
  std::string replace_token(const Account& applicant, std::int64_t id);
  // The request a token names, in whatever state (the LOCK tool's status calls).
  // Throws not_found "token_unknown".
  TokenDetails by_token(std::string_view token) const;
  CertificateRequest cancel(const Account& applicant, std::int64_t id);

  // Returns the request after the decision: submitted (waiting for a second verifier),
  // or issued. Throws conflict when it was decided meanwhile.
  CertificateRequest approve(const Account& verifier, std::int64_t id);
  CertificateRequest reject(const Account& verifier, std::int64_t id, std::string_view reason);

  // RA mode: approved requests go to `upstream` instead of being issued here; an
  // upstream that cannot be reached is asked again after `retry`, doubled per failure.
  // A worker holds an order for `lease` (longer than one exchange may take): a worker
  // that died is replaced after it.
  void forward_to(const UpstreamCa& upstream, std::chrono::seconds retry, std::chrono::seconds lease);
  bool forwards() const { return upstream_ != nullptr; }
  // RA mode: tells the upstream CA the revocations and supersessions made here (the
  // outbox that RevocationService and renewals fill). Returns how many it told.
  int forward_revocations();

  // The durable issuing job: every approved request gets its certificate exactly once,
  // also after a crash between approval and issuance. Returns how many it issued.
  int issue_approved();
  // Moves LOCK requests whose token passed its lifetime unused to `expired`.
  int expire_tokens();
  // Queues notices for certificates expiring in 30, 7 and 1 days (each once).
  int notify_expiring();

  // Reads, with the same authorization as the changes.
  CertificateRequest for_owner(const Account& applicant, std::int64_t id) const;
  CertificateRequest for_reviewer(const Account& reviewer, std::int64_t id) const;
  // One's own request, or any request for a reviewer.
  CertificateRequest visible_to(const Account& account, std::int64_t id) const;
  // The recommendation letter (PDF bytes) of a request visible to `account`.
  std::string letter(const Account& account, std::int64_t id) const;
  // For a reviewer, with the applicant; for the owner, their own.
  ReviewedRequest review(const Account& reviewer, std::int64_t id) const;
  ReviewedRequest view(const Account& account, std::int64_t id) const;
  QueuePage queue(const Account& reviewer, const QueueFilter& filter) const;
  std::vector<CertificateRequest> list_own(const Account& applicant) const;
  std::vector<Approval> approvals(std::int64_t id) const;

  static std::string hash_token(std::string_view token);
  std::string new_token();

 private:
  // Returns the request as issued, or as rejected when the CA refuses the request itself.
  CertificateRequest issue(const CertificateRequest& request, const Account& owner);
  void issue_recorded(const CertificateRequest& request, const Account& owner, const Product& product,
                      const SigningRequest& csr, const std::string& sealed_key, CertificateRequest& updated);
  CertificateRequest refuse_issuance(const CertificateRequest& request, const Account& owner,
                                     const std::string& reason);
  CertificateRequest forward(const CertificateRequest& request, const Account& owner);
  std::optional<CertificateRequest> take_order(const CertificateRequest& request, const Product& product);
  CertificateRequest keep_upstream(const CertificateRequest& request, const Account& owner, const Product& product,
                                   const SigningRequest& key, const UpstreamCertificate& issued);
  void settle_order(std::int64_t request_id, const std::string& state, const std::string& error,
                    std::int64_t retry_in);
  std::string new_transaction_id();
  const Product& product_for(const Account& applicant, std::string_view product_id, Method method) const;
  CertificateRequest submit_redeemed(TokenDetails details, const std::optional<Account>& applicant,
                                     const SigningRequest& csr, std::string_view letter,
                                     std::optional<std::int64_t> request_id, const char* via);
  std::optional<TokenDetails> details_where(
      const std::function<std::optional<CertificateRequest>(StoreTransaction&)>& find) const;
  const Product& renewable_product(const CertificateRecord& current, Method method) const;
  CertificateRequest open_renewal(const CertificateRecord& current, const Product& product, CertificateRequest r,
                                  std::string_view via);
  void audit_renewal(StoreTransaction& tx, const CertificateRequest& r, const CertificateRecord& current,
                     const Account& owner, bool automatic, std::string_view via, std::int64_t now);
  bool holder_unchanged(const CertificateRecord& current, const Account& owner, const Product& product) const;

  Store& store_;
  const IssuanceService& issuance_;
  const CertificateFactory& factory_;
  const ProductCatalog& products_;
  const Clock& clock_;
  RandomSource& random_;
  const LetterInspector& letters_;
  const KeyCustody& custody_;
  RequestPolicy policy_;
  const TokenVault* vault_ = nullptr;
  const UpstreamCa* upstream_ = nullptr;
  std::chrono::seconds upstream_retry_{30};
  std::chrono::seconds upstream_lease_{120};
};

// Roles that may read other people's requests; only verifiers decide them.
bool can_review(Role role) noexcept;
bool can_decide(Role role) noexcept;

}  // namespace lontar
