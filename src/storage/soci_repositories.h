#pragma once

#include <soci/soci.h>

#include "core/store.h"
#include "storage/engine.h"
#include "storage/connection.h"

namespace lontar::storage {

class SociAccountRepository final : public AccountRepository {
 public:
  SociAccountRepository(PreparedStatements& prepared, Engine engine)
      : sql_(prepared.session()), prepared_(prepared), engine_(engine) {}
  std::int64_t insert(const Account& account) override;
  std::optional<Account> find_by_nik(std::string_view nik) override;
  std::optional<Account> find_by_id(std::int64_t id) override;
  std::vector<Account> find_by_ids(const std::vector<std::int64_t>& ids) override;
  std::vector<Account> list() override;
  std::vector<Account> search(std::string_view text, std::int64_t limit) override;
  void update(const Account& account) override;

 private:
  std::vector<Account> select(const std::string& where, const std::string& key_text, std::int64_t key_number,
                              const std::string& key_text2 = {});
  std::vector<Account> search_nik_prefix(const std::string& digits, std::int64_t limit);
  std::vector<Account> search_name_part(const std::string& text, std::int64_t limit);
  void index_name(std::int64_t id, const std::string& name, bool renamed);
  soci::session& sql_;
  PreparedStatements& prepared_;
  Engine engine_;
};

class SociRequestRepository final : public RequestRepository {
 public:
  SociRequestRepository(PreparedStatements& prepared, Engine engine)
      : sql_(prepared.session()), prepared_(prepared), engine_(engine) {}
  std::int64_t insert(const CertificateRequest& request) override;
  std::optional<CertificateRequest> find(std::int64_t id) override;
  std::optional<CertificateRequest> find_by_token(std::string_view token_sha256) override;
  std::vector<CertificateRequest> list_for_account(std::int64_t account_id) override;
  std::vector<CertificateRequest> queue(const QueueFilter& filter) override;
  std::vector<CertificateRequest> list_in_state(RequestState state, std::int64_t limit) override;
  bool transition(std::int64_t id, RequestState from, RequestState to, std::string_view reason,
                  std::int64_t at) override;
  bool save(const CertificateRequest& request, RequestState expected) override;
  void add_approval(const Approval& approval) override;
  std::vector<Approval> approvals(std::int64_t request_id) override;
  std::map<std::int64_t, std::size_t> approval_counts(const std::vector<std::int64_t>& request_ids) override;
  std::optional<std::int64_t> open_request_with_key(std::int64_t account_id, std::string_view key_sha256,
                                                    std::int64_t except_id) override;
  EsignKeyGuard key_guard(std::int64_t request_id) override;
  void save_key_guard(std::int64_t request_id, const EsignKeyGuard& guard) override;
  void set_sealed_token(std::int64_t id, std::string_view sealed) override;
  std::string sealed_token(std::int64_t id) override;

 private:
  std::vector<CertificateRequest> select(const std::string& tail, const std::string& key_text,
                                         std::int64_t key_number);
  soci::session& sql_;
  PreparedStatements& prepared_;
  Engine engine_;
};

class SociCertificateRepository final : public CertificateRepository {
 public:
  explicit SociCertificateRepository(PreparedStatements& prepared) : sql_(prepared.session()), prepared_(prepared) {}
  std::int64_t insert(const CertificateRecord& certificate) override;
  std::optional<CertificateRecord> find_by_serial(std::string_view serial_hex) override;
  std::vector<CertificateRecord> list_for_account(std::int64_t account_id) override;
  std::vector<CertificateRecord> list(std::int64_t limit) override;
  bool key_used_by_account(std::int64_t account_id, std::string_view key_sha256) override;
  std::vector<std::string> supersede(std::int64_t account_id, CertificateType type, std::int64_t at) override;
  std::int64_t count() override;
  std::vector<CertificateRecord> list_expiring(std::int64_t from, std::int64_t until) override;
  bool revoke(std::string_view serial_hex, std::string_view reason, std::int64_t at,
              std::int64_t invalidity_date) override;
  std::optional<CertificateStatusInfo> status(std::string_view serial_hex) override;
  void for_each_revoked(const std::function<void(const CertificateStatusInfo&)>& visit) override;

 private:
  std::vector<CertificateRecord> select(const std::string& tail, const std::string& key_text, std::int64_t key_number);
  soci::session& sql_;
  PreparedStatements& prepared_;
};

class SociBlobRepository final : public BlobRepository {
 public:
  explicit SociBlobRepository(soci::session& sql) : sql_(sql) {}
  std::string put(std::string_view content_type, std::string_view data) override;
  void put_as(std::string_view id, std::string_view content_type, std::string_view data) override;
  std::optional<Blob> get(std::string_view id) override;

 private:
  soci::session& sql_;
};

class SociAuditRepository final : public AuditRepository {
 public:
  SociAuditRepository(Connection& connection, Engine engine)
      : sql_(*connection.sql), prepared_(*connection.prepared), head_(connection.audit_head), engine_(engine) {}
  AuditEvent append(const AuditEntry& entry, std::int64_t at) override;
  void for_each(const std::function<void(const AuditEvent&)>& visit) override;
  std::pair<std::int64_t, std::string> head() override;
  bool has_event_for(std::string_view action, std::string_view object) override;

 private:
  void load_head();
  soci::session& sql_;
  PreparedStatements& prepared_;
  AuditHeadState& head_;
  Engine engine_;
};

class SociCaStateRepository final : public CaStateRepository {
 public:
  explicit SociCaStateRepository(PreparedStatements& prepared) : sql_(prepared.session()), prepared_(prepared) {}
  std::int64_t status_version() override;
  void bump_status_version() override;
  std::int64_t next_crl_number() override;
  std::optional<Lease> lock_lease(std::string_view name) override;
  void put_lease(std::string_view name, const Lease& lease) override;
  std::optional<ServiceKey> service_key(std::string_view name) override;
  bool replace_service_key(std::string_view name, std::string_view replaced_serial, const ServiceKey& key,
                           std::int64_t at) override;

 private:
  soci::session& sql_;
  PreparedStatements& prepared_;
};

class SociSessionRepository final : public SessionRepository {
 public:
  explicit SociSessionRepository(PreparedStatements& prepared) : sql_(prepared.session()), prepared_(prepared) {}
  void remove_for_account(std::int64_t account_id, std::string_view keep) override;
  void insert(const Session& session) override;
  std::optional<Session> find(std::string_view id_hash) override;
  void touch(std::string_view id_hash, std::int64_t at) override;
  void remove(std::string_view id_hash) override;

 private:
  soci::session& sql_;
  PreparedStatements& prepared_;
};

class SociNotificationRepository final : public NotificationRepository {
 public:
  explicit SociNotificationRepository(soci::session& sql) : sql_(sql) {}
  bool enqueue(const Notification& notification) override;
  std::vector<Notification> pending(int max_attempts, std::int64_t limit) override;
  std::vector<Notification> list_for_account(std::int64_t account_id) override;
  void mark_sent(std::int64_t id, std::int64_t at) override;
  void mark_failed(std::int64_t id, std::string_view error) override;

 private:
  std::vector<Notification> select(const std::string& tail, std::int64_t a, std::int64_t b);
  soci::session& sql_;
};

class SociIdempotencyRepository final : public IdempotencyRepository {
 public:
  explicit SociIdempotencyRepository(soci::session& sql) : sql_(sql) {}
  std::optional<IdempotentResponse> find(std::int64_t account_id, std::string_view key) override;
  void insert(const IdempotentResponse& response) override;

 private:
  soci::session& sql_;
};

class SociDocumentRepository final : public DocumentRepository {
 private:
  std::vector<SignedDocument> select(const std::string& tail, const std::string& key_text, int key_number);
  std::optional<SignedDocument> find_where(const std::string& column, std::string_view value);

 public:
  explicit SociDocumentRepository(PreparedStatements& prepared) : sql_(prepared.session()), prepared_(prepared) {}
  void insert(const SignedDocument& document) override;
  std::optional<SignedDocument> find(std::string_view id) override;
  std::optional<SignedDocument> find_by_sha256(std::string_view sha256) override;
  std::vector<SignedDocument> awaiting_previews(int limit) override;
  void set_previews(std::string_view id, int rendered) override;
  bool withdraw(std::string_view id, std::int64_t at, const std::string& reason, const std::string& by) override;

 private:
  soci::session& sql_;
  PreparedStatements& prepared_;
};

class SociCmpTransactionRepository final : public CmpTransactionRepository {
 public:
  explicit SociCmpTransactionRepository(soci::session& sql) : sql_(sql) {}
  void insert(const CmpTransaction& transaction) override;
  std::optional<CmpTransaction> find(std::string_view id) override;
  void update(std::string_view id, std::string_view state, std::int64_t request_id, std::int64_t at) override;

 private:
  soci::session& sql_;
};

class SociRegistrationAuthorityRepository final : public RegistrationAuthorityRepository {
 public:
  explicit SociRegistrationAuthorityRepository(soci::session& sql) : sql_(sql) {}
  std::int64_t insert(const RegistrationAuthority& ra) override;
  std::optional<RegistrationAuthority> find_by_certificate(std::string_view sha256) override;
  std::optional<RegistrationAuthority> find_by_name(std::string_view name) override;
  std::vector<RegistrationAuthority> list() override;
  void remove(std::int64_t id, std::int64_t at) override;

 private:
  soci::session& sql_;
};

class SociUpstreamRepository final : public UpstreamRepository {
 public:
  explicit SociUpstreamRepository(soci::session& sql) : sql_(sql) {}
  std::optional<UpstreamOrder> find_order(std::int64_t request_id) override;
  void insert_order(const UpstreamOrder& order) override;
  void update_order(const UpstreamOrder& order) override;
  bool lease_order(std::int64_t request_id, std::int64_t now, std::int64_t until) override;
  void queue_revocation(std::string_view serial_hex, int reason, std::int64_t at) override;
  std::vector<UpstreamRevocation> due_revocations(std::int64_t now, std::int64_t limit) override;
  void update_revocation(const UpstreamRevocation& revocation, std::int64_t at) override;

 private:
  soci::session& sql_;
};

class SociInventoryRepository final : public InventoryRepository {
 public:
  explicit SociInventoryRepository(Connection& connection) : sql_(*connection.sql), head_(&connection.audit_head) {}
  // Outside a store's transaction (an export's snapshot): no appended events to send first.
  explicit SociInventoryRepository(soci::session& sql) : sql_(sql) {}
  Inventory count() override;
  void for_each_certificate_serial(const std::function<void(const std::string&)>& visit) override;
  void for_each_document_sha256(const std::function<void(const std::string&)>& visit) override;
  void raise_crl_number(std::int64_t number) override;
  OperationalGauges operational(std::int64_t now, std::int64_t expiry_window_seconds) override;

 private:
  soci::session& sql_;
  AuditHeadState* head_ = nullptr;
};

// All repositories bound to one connection inside one open transaction.
class SociTransaction final : public StoreTransaction {
 public:
  SociTransaction(Connection& connection, Engine engine)
      : accounts_(*connection.prepared, engine), requests_(*connection.prepared, engine), certificates_(*connection.prepared),
        blobs_(*connection.sql), audit_(connection, engine), ca_state_(*connection.prepared),
        sessions_(*connection.prepared), notifications_(*connection.sql), idempotency_(*connection.sql),
        documents_(*connection.prepared), cmp_transactions_(*connection.sql),
        registration_authorities_(*connection.sql), upstream_(*connection.sql), inventory_(connection) {}
  AccountRepository& accounts() override { return accounts_; }
  RequestRepository& requests() override { return requests_; }
  CertificateRepository& certificates() override { return certificates_; }
  BlobRepository& blobs() override { return blobs_; }
  AuditRepository& audit() override { return audit_; }
  CaStateRepository& ca_state() override { return ca_state_; }
  SessionRepository& sessions() override { return sessions_; }
  NotificationRepository& notifications() override { return notifications_; }
  IdempotencyRepository& idempotency() override { return idempotency_; }
  DocumentRepository& documents() override { return documents_; }
  CmpTransactionRepository& cmp_transactions() override { return cmp_transactions_; }
  RegistrationAuthorityRepository& registration_authorities() override { return registration_authorities_; }
  UpstreamRepository& upstream() override { return upstream_; }
  InventoryRepository& inventory() override { return inventory_; }

 private:
  SociAccountRepository accounts_;
  SociRequestRepository requests_;
  SociCertificateRepository certificates_;
  SociBlobRepository blobs_;
  SociAuditRepository audit_;
  SociCaStateRepository ca_state_;
  SociSessionRepository sessions_;
  SociNotificationRepository notifications_;
  SociIdempotencyRepository idempotency_;
  SociDocumentRepository documents_;
  SociCmpTransactionRepository cmp_transactions_;
  SociRegistrationAuthorityRepository registration_authorities_;
  SociUpstreamRepository upstream_;
  SociInventoryRepository inventory_;
};

}  // namespace lontar::storage
