#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/account.h"
#include "core/audit.h"
#include "core/certificate_record.h"
#include "core/document.h"
#include "core/request.h"

namespace lontar {

// Repository ports. Each is bound to one open transaction (see Store) and throws
// Error(conflict) when a uniqueness rule is broken, Error(unavailable) when the
// database cannot be reached.

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  virtual std::int64_t insert(const Account& account) = 0;
  virtual std::optional<Account> find_by_nik(std::string_view nik) = 0;
  virtual std::optional<Account> find_by_id(std::int64_t id) = 0;
  // The accounts with these ids in one read, in no particular order; an unknown id is skipped.
  virtual std::vector<Account> find_by_ids(const std::vector<std::int64_t>& ids) = 0;
  virtual std::vector<Account> list() = 0;
  // Up to `limit` accounts whose NIK starts with `text`, or with a word of the name
  // starting with it (it may run on into the next words: "putu a"), any ASCII case
  // (helpdesk search), ordered by NIK or by name. A name part takes the first `limit`
  // matches of an index range, not the alphabetically first of all of them: a common
  // part matches a large share of the country, and sorting every match grows with it.
  virtual std::vector<Account> search(std::string_view text, std::int64_t limit) = 0;
  virtual void update(const Account& account) = 0;
};

struct EsignKeyGuard {
  int failures = 0;            // wrong passphrases since the last right one
  std::int64_t locked_at = 0;  // 0: usable
};

class RequestRepository {
 public:
  virtual ~RequestRepository() = default;
  virtual std::int64_t insert(const CertificateRequest& request) = 0;
  virtual std::optional<CertificateRequest> find(std::int64_t id) = 0;
  virtual std::optional<CertificateRequest> find_by_token(std::string_view token_sha256) = 0;
  virtual std::vector<CertificateRequest> list_for_account(std::int64_t account_id) = 0;
  // Submitted requests, oldest submission first.
  virtual std::vector<CertificateRequest> queue(const QueueFilter& filter) = 0;
  virtual std::vector<CertificateRequest> list_in_state(RequestState state, std::int64_t limit) = 0;
  // Compare-and-set: moves the request only if it is still in `from`; false otherwise.
  virtual bool transition(std::int64_t id, RequestState from, RequestState to, std::string_view reason,
                          std::int64_t at) = 0;
  // Compare-and-set: writes every mutable field of `request` only if the stored state is
  // still `expected`; false otherwise.
  virtual bool save(const CertificateRequest& request, RequestState expected) = 0;
  // Throws Error(conflict) when this verifier already approved the request.
  virtual void add_approval(const Approval& approval) = 0;
  virtual std::vector<Approval> approvals(std::int64_t request_id) = 0;
  // How many approvals each of these requests has, in one read; a request with none is absent.
  virtual std::map<std::int64_t, std::size_t> approval_counts(const std::vector<std::int64_t>& request_ids) = 0;
  // Wrong passphrases counted against the eSign key an issued request holds.
  virtual EsignKeyGuard key_guard(std::int64_t request_id) = 0;
  virtual void save_key_guard(std::int64_t request_id, const EsignKeyGuard& guard) = 0;
  // The open request (submitted or approved) of the account that already carries this
  // key, other than `except_id`; nullopt when there is none.
  virtual std::optional<std::int64_t> open_request_with_key(std::int64_t account_id, std::string_view key_sha256,
                                                            std::int64_t except_id) = 0;
  // The CSR token sealed by the TokenVault ("" when none was kept).
  virtual void set_sealed_token(std::int64_t id, std::string_view sealed) = 0;
  virtual std::string sealed_token(std::int64_t id) = 0;
};

// One CMP transaction (RFC 4210 §5.1.1 transactionID), from its first request to its
// confirmation; the first request is kept so that a later pollReq or certConf can be
// answered by any server.
struct CmpTransaction {
  std::string id;             // transactionID, hex
  std::string body;           // "ir", "cr", "p10cr", "kur", "rr", "genm"
  std::int64_t request_id = 0;
  std::string holder_serial;  // the certificate that signed it, when signature-protected
  std::string registration_authority;  // the RA that signed it, by name, when one did
  std::string request_der;    // base64
  std::string state;          // "waiting", "issued", "rejected", "confirmed", "closed"
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

class CmpTransactionRepository {
 public:
  virtual ~CmpTransactionRepository() = default;
  // Throws Error(conflict, "constraint") when the id was used before.
  virtual void insert(const CmpTransaction& transaction) = 0;
  virtual std::optional<CmpTransaction> find(std::string_view id) = 0;
  virtual void update(std::string_view id, std::string_view state, std::int64_t request_id, std::int64_t at) = 0;
};

class CertificateRepository {
 public:
  virtual ~CertificateRepository() = default;
  virtual std::int64_t insert(const CertificateRecord& certificate) = 0;
  virtual std::optional<CertificateRecord> find_by_serial(std::string_view serial_hex) = 0;
  virtual std::vector<CertificateRecord> list_for_account(std::int64_t account_id) = 0;
  virtual std::vector<CertificateRecord> list(std::int64_t limit) = 0;
  virtual bool key_used_by_account(std::int64_t account_id, std::string_view key_sha256) = 0;
  // Marks every still-valid certificate of that account and type as superseded; returns their serials.
  virtual std::vector<std::string> supersede(std::int64_t account_id, CertificateType type, std::int64_t at) = 0;
  virtual std::int64_t count() = 0;
  // Valid certificates whose notAfter lies in [from, until).
  virtual std::vector<CertificateRecord> list_expiring(std::int64_t from, std::int64_t until) = 0;
  // Compare-and-set from valid to revoked; false when it was no longer valid.
  virtual bool revoke(std::string_view serial_hex, std::string_view reason, std::int64_t at,
                      std::int64_t invalidity_date) = 0;
  virtual std::optional<CertificateStatusInfo> status(std::string_view serial_hex) = 0;
  // Every revoked or superseded certificate, streamed (in no particular order).
  virtual void for_each_revoked(const std::function<void(const CertificateStatusInfo&)>& visit) = 0;
};

// CA-wide counters shared by every process on the database.
class CaStateRepository {
 public:
  virtual ~CaStateRepository() = default;
  // Grows with every status change; the status services poll it to refresh.
  virtual std::int64_t status_version() = 0;
  virtual void bump_status_version() = 0;
  // RFC 5280 §5.2.3: monotonically increasing CRL numbers.
  virtual std::int64_t next_crl_number() = 0;
  // The holder of a cluster-wide lease (jobs that run on one server at a time), locked
  // for this transaction; nullopt when nobody ever held it.
  struct Lease {
    std::string holder;
    std::int64_t until = 0;
  };
  virtual std::optional<Lease> lock_lease(std::string_view name) = 0;
  // Throws Error(conflict) when another server created the lease at the same moment.
  virtual void put_lease(std::string_view name, const Lease& lease) = 0;
  // A service key every server of the cluster signs with (the OCSP responder's): its
  // certificate and its key encrypted under the CA passphrase, as PEM.
  struct ServiceKey {
    std::string serial;  // the certificate's, in hex
    std::string certificate_pem;
    std::string encrypted_key_pem;
  };
  virtual std::optional<ServiceKey> service_key(std::string_view name) = 0;
  // Replaces NAME's key only while the one kept is still `replaced_serial` (empty: none
  // kept yet); false when another server replaced it first, which then stands.
  virtual bool replace_service_key(std::string_view name, std::string_view replaced_serial, const ServiceKey& key,
                                   std::int64_t at) = 0;
};

struct Blob {
  std::string id;  // hex SHA-256 of the content, or the name put_as gave it
  std::string content_type;
  std::string data;
};

class BlobRepository {
 public:
  virtual ~BlobRepository() = default;
  virtual std::string put(std::string_view content_type, std::string_view data) = 0;  // returns id
  // Under a name derived from other content (a page preview of a document): kept once,
  // later puts under the same name change nothing.
  virtual void put_as(std::string_view id, std::string_view content_type, std::string_view data) = 0;
  virtual std::optional<Blob> get(std::string_view id) = 0;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  // Links the entry to the current head of the chain and makes it the new head.
  virtual AuditEvent append(const AuditEntry& entry, std::int64_t at) = 0;
  virtual void for_each(const std::function<void(const AuditEvent&)>& visit) = 0;
  virtual std::pair<std::int64_t, std::string> head() = 0;
  virtual bool has_event_for(std::string_view action, std::string_view object) = 0;
};

struct Session {
  std::string id_hash;  // hex SHA-256 of the token the browser holds
  std::int64_t account_id = 0;
  std::string csrf;
  std::int64_t created_at = 0;
  std::int64_t last_seen = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual void insert(const Session& session) = 0;
  virtual std::optional<Session> find(std::string_view id_hash) = 0;
  virtual void touch(std::string_view id_hash, std::int64_t at) = 0;
  virtual void remove(std::string_view id_hash) = 0;
  // Ends every session (and so every bearer token) of the account but `keep` (the id
  // hash of the session making the change; empty: all of them).
  virtual void remove_for_account(std::int64_t account_id, std::string_view keep) = 0;
};

// A message to a person, written in the same transaction as the event it reports
// and sent later (transactional outbox).
struct Notification {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string kind;        // request.submitted, request.approved, ..., certificate.expiring
  std::string recipient;   // e-mail address
  std::string subject;
  std::string body;
  std::string dedupe_key;  // a second notice with the same key is dropped
  std::int64_t created_at = 0;
  std::int64_t sent_at = 0;
  int attempts = 0;
  std::string last_error;
};

class NotificationRepository {
 public:
  virtual ~NotificationRepository() = default;
  // False when a notice with the same dedupe key exists already.
  virtual bool enqueue(const Notification& notification) = 0;
  virtual std::vector<Notification> pending(int max_attempts, std::int64_t limit) = 0;
  virtual std::vector<Notification> list_for_account(std::int64_t account_id) = 0;
  virtual void mark_sent(std::int64_t id, std::int64_t at) = 0;
  virtual void mark_failed(std::int64_t id, std::string_view error) = 0;
};

// The answer to a mutating API call made with an Idempotency-Key, replayed on retry.
struct IdempotentResponse {
  std::int64_t account_id = 0;
  std::string key;
  std::string fingerprint;  // method, path and SHA-256 of the body
  int status = 0;
  std::string body;
  std::int64_t created_at = 0;
};

class IdempotencyRepository {
 public:
  virtual ~IdempotencyRepository() = default;
  virtual std::optional<IdempotentResponse> find(std::int64_t account_id, std::string_view key) = 0;
  // Throws Error(conflict) when the key is taken.
  virtual void insert(const IdempotentResponse& response) = 0;
};

class DocumentRepository {
 public:
  virtual ~DocumentRepository() = default;
  virtual void insert(const SignedDocument& document) = 0;
  virtual std::optional<SignedDocument> find(std::string_view id) = 0;
  virtual std::optional<SignedDocument> find_by_sha256(std::string_view sha256) = 0;
  // Documents whose page previews are not rendered yet, oldest first.
  virtual std::vector<SignedDocument> awaiting_previews(int limit) = 0;
  virtual void set_previews(std::string_view id, int rendered) = 0;
  // False when it was withdrawn already.
  virtual bool withdraw(std::string_view id, std::int64_t at, const std::string& reason, const std::string& by) = 0;
};

// A registration authority this CA issues for (`lontar ra add`): its signing
// certificate (pinned by hash) and the products it may request.
struct RegistrationAuthority {
  std::int64_t id = 0;
  std::string name;
  std::int64_t account_id = 0;  // the RA's own account: what it requested is kept under it
  std::string certificate_sha256;
  std::string certificate_pem;
  std::vector<std::string> products;
  std::int64_t created_at = 0;
  std::int64_t removed_at = 0;  // 0 while it may request
};

class RegistrationAuthorityRepository {
 public:
  virtual ~RegistrationAuthorityRepository() = default;
  // Throws Error(conflict, "constraint") for a name or certificate registered before.
  virtual std::int64_t insert(const RegistrationAuthority& ra) = 0;
  virtual std::optional<RegistrationAuthority> find_by_certificate(std::string_view sha256) = 0;
  virtual std::optional<RegistrationAuthority> find_by_name(std::string_view name) = 0;
  virtual std::vector<RegistrationAuthority> list() = 0;
  virtual void remove(std::int64_t id, std::int64_t at) = 0;
};

// RA mode: what this instance asked of its upstream CA. An order's transactionID is
// written before the first message is sent, so a retry after a crash asks again in the
// same transaction instead of opening a second one.
struct UpstreamOrder {
  std::int64_t request_id = 0;
  std::string transaction_id;  // hex
  std::string state;           // "sending", "stored", "refused"
  int attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::int64_t leased_until = 0;
  std::string last_error;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A revocation or supersession to be told to the upstream CA (an outbox row).
struct UpstreamRevocation {
  std::string serial_hex;
  int reason = 0;  // RFC 5280 CRLReason
  std::string state;  // "pending", "done"
  int attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::string last_error;
};

class UpstreamRepository {
 public:
  virtual ~UpstreamRepository() = default;
  virtual std::optional<UpstreamOrder> find_order(std::int64_t request_id) = 0;
  // Throws Error(conflict, "constraint") when the request has an order already.
  virtual void insert_order(const UpstreamOrder& order) = 0;
  virtual void update_order(const UpstreamOrder& order) = 0;
  // Takes the order for one sender until `until`; false when another holds it or it is
  // not due yet.
  virtual bool lease_order(std::int64_t request_id, std::int64_t now, std::int64_t until) = 0;
  virtual void queue_revocation(std::string_view serial_hex, int reason, std::int64_t at) = 0;
  virtual std::vector<UpstreamRevocation> due_revocations(std::int64_t now, std::int64_t limit) = 0;
  virtual void update_revocation(const UpstreamRevocation& revocation, std::int64_t at) = 0;
};

// What a data folder holds, counted and listed for backups and `lontar check`.
struct Inventory {
  std::int64_t accounts = 0;
  std::int64_t requests = 0;
  std::int64_t certificates = 0;
  std::int64_t revoked_certificates = 0;  // revoked or superseded
  std::int64_t documents = 0;
  std::int64_t audit_events = 0;
  std::int64_t crl_number = 0;  // the last CRL number handed out
};

// The work waiting now, for /metrics.
struct OperationalGauges {
  std::int64_t requests_waiting = 0;       // submitted, before a verifier decided
  std::int64_t oldest_waiting_since = 0;   // its submission time (unix), 0 when none waits
  std::int64_t requests_approved = 0;      // approved, not issued yet
  std::int64_t certificates_expiring = 0;  // valid, ending within the window
  std::int64_t outbox_backlog = 0;         // notices not sent yet
};

class InventoryRepository {
 public:
  virtual ~InventoryRepository() = default;
  virtual Inventory count() = 0;
  // Every certificate's serial, and every registered document's SHA-256, streamed.
  virtual void for_each_certificate_serial(const std::function<void(const std::string&)>& visit) = 0;
  virtual void for_each_document_sha256(const std::function<void(const std::string&)>& visit) = 0;
  // Moves the CRL counter to at least `number` (never back).
  virtual void raise_crl_number(std::int64_t number) = 0;
  virtual OperationalGauges operational(std::int64_t now, std::int64_t expiry_window_seconds) = 0;
};

class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;
  virtual AccountRepository& accounts() = 0;
  virtual RequestRepository& requests() = 0;
  virtual CertificateRepository& certificates() = 0;
  virtual BlobRepository& blobs() = 0;
  virtual AuditRepository& audit() = 0;
  virtual CaStateRepository& ca_state() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual NotificationRepository& notifications() = 0;
  virtual IdempotencyRepository& idempotency() = 0;
  virtual DocumentRepository& documents() = 0;
  virtual CmpTransactionRepository& cmp_transactions() = 0;
  virtual RegistrationAuthorityRepository& registration_authorities() = 0;
  virtual UpstreamRepository& upstream() = 0;
  virtual InventoryRepository& inventory() = 0;
};

// The unit of work. write() runs `work` inside one transaction and commits it
// durably before returning; an exception from `work` rolls back only that work.
// Concurrent writers may be committed together (group commit), and `work` may be
// run again after a failed group, so it must touch nothing but the transaction
// and its own outputs.
class Store {
 public:
  using Work = std::function<void(StoreTransaction&)>;
  virtual ~Store() = default;
  virtual void write(const Work& work) = 0;
  virtual void read(const Work& work) = 0;
};

}  // namespace lontar
