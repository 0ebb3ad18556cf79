#include "storage/id_lists.h"
#include "storage/soci_repositories.h"

namespace lontar::storage {

namespace {
constexpr const char* kColumns =
    "id, account_id, product_id, cert_type, method, kind, state, decision_reason, created_at, updated_at, "
    "token_sha256, token_expires_at, csr_pem, key_description, key_sha256, letter_blob, agreement_version, "
    "submitted_at, custody_envelope, sealed_key, certificate_serial, decided_by";
}

namespace {
struct RequestInsert {
  CertificateRequest row;
  std::string type, method, kind, state;
  std::int64_t id = 0;
};
struct RequestSave {
  CertificateRequest row;
  std::string state, expected, kind;
};
// Where a statement reads one request row: the text columns parsed after each fetch.
struct RequestRow {
  CertificateRequest request;
  std::string type, method, kind, state;

  void bind_columns(soci::details::prepare_temp_type& statement) {
    auto& r = request;
    statement, soci::into(r.id), soci::into(r.account_id), soci::into(r.product_id), soci::into(type),
        soci::into(method), soci::into(kind), soci::into(state), soci::into(r.decision_reason),
        soci::into(r.created_at), soci::into(r.updated_at), soci::into(r.token_sha256), soci::into(r.token_expires_at),
        soci::into(r.csr_pem), soci::into(r.key_description), soci::into(r.key_sha256), soci::into(r.letter_blob),
        soci::into(r.agreement_version), soci::into(r.submitted_at), soci::into(r.custody_envelope),
        soci::into(r.sealed_key), soci::into(r.certificate_serial), soci::into(r.decided_by);
  }
  CertificateRequest completed() const {
    auto r = request;
    r.type = parse_certificate_type(type).value_or(CertificateType::individual);
    r.method = parse_method(method).value_or(Method::lock);
    r.kind = parse_request_kind(kind).value_or(RequestKind::new_certificate);
    r.state = parse_request_state(state).value_or(RequestState::draft);
    return r;
  }
};

struct QueueQuery {
  std::string type, method, product;
  std::int64_t limit = 0;
  RequestRow row;
};
}  // namespace

std::int64_t SociRequestRepository::insert(const CertificateRequest& request) {
  auto& insert = prepared_.get<RequestInsert>([](soci::session& sql, RequestInsert& v) {
    const auto& r = v.row;
    return (sql.prepare << "INSERT INTO requests (account_id, product_id, cert_type, method, kind, state, "
                           "decision_reason, created_at, updated_at, token_sha256, token_expires_at, csr_pem, "
                           "key_description, key_sha256, letter_blob, agreement_version, submitted_at, "
                           "custody_envelope, sealed_key, certificate_serial, decided_by) VALUES (:account, "
                           ":product, :type, :method, :kind, :state, :reason, :created, :updated, :token, "
                           ":token_expires, :csr, :keydesc, :keysha, :letter, :agreement, :submitted, :envelope, "
                           ":sealed, :serial, :decided) RETURNING id",
            soci::use(r.account_id), soci::use(r.product_id), soci::use(v.type), soci::use(v.method),
            soci::use(v.kind), soci::use(v.state), soci::use(r.decision_reason), soci::use(r.created_at),
            soci::use(r.updated_at), soci::use(r.token_sha256), soci::use(r.token_expires_at), soci::use(r.csr_pem),
            soci::use(r.key_description), soci::use(r.key_sha256), soci::use(r.letter_blob),
            soci::use(r.agreement_version), soci::use(r.submitted_at), soci::use(r.custody_envelope),
            soci::use(r.sealed_key), soci::use(r.certificate_serial), soci::use(r.decided_by), soci::into(v.id));
  });
  insert.values.row = request;
  insert.values.type = to_string(request.type);
  insert.values.method = to_string(request.method);
  insert.values.kind = to_string(request.kind);
  insert.values.state = to_string(request.state);
  insert.run_for_one_row();
  return insert.values.id;
}

// Each form of WHERE is prepared once per connection (a holder's requests on every visit
// to My Certificates, a request by id or token): `:text` and `:number`, in that order.
std::vector<CertificateRequest> SociRequestRepository::select(const std::string& tail, const std::string& key_text,
                                                              std::int64_t key_number) {
  return select_by_keys<RequestRow>(prepared_, std::string("SELECT ") + kColumns + " FROM requests " + tail, key_text,
                                    key_number);
}

std::optional<CertificateRequest> SociRequestRepository::find(std::int64_t id) {
  auto rows = select("WHERE id = :number", "", id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<CertificateRequest> SociRequestRepository::find_by_token(std::string_view token_sha256) {
  const std::string token(token_sha256);
  if (token.empty()) return std::nullopt;
  auto rows = select("WHERE token_sha256 = :text", token, 0);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<CertificateRequest> SociRequestRepository::list_for_account(std::int64_t account_id) {
  return select("WHERE account_id = :number ORDER BY id DESC", "", account_id);
}

// Every verifier's every page: prepared once per connection, so PostgreSQL plans it once
// and not per page (the filters' ORs made planning cost more than running it).
std::vector<CertificateRequest> SociRequestRepository::queue(const QueueFilter& filter) {
  auto& query = prepared_.get<QueueQuery>([](soci::session& sql, QueueQuery& v) {
    auto statement = (sql.prepare << std::string("SELECT ") + kColumns +
                                         " FROM requests WHERE state = 'submitted' AND (:type = '' OR cert_type = "
                                         ":type2) AND (:method = '' OR method = :method2) AND (:product = '' OR "
                                         "product_id = :product2) ORDER BY submitted_at, id LIMIT :limit");
    v.row.bind_columns(statement);
    statement, soci::use(v.type), soci::use(v.type), soci::use(v.method), soci::use(v.method), soci::use(v.product),
        soci::use(v.product), soci::use(v.limit);
    return statement;
  });
  auto& v = query.values;
  v.type = filter.type ? to_string(*filter.type) : "";
  v.method = filter.method ? to_string(*filter.method) : "";
  v.product = filter.product_id;
  v.limit = filter.limit;
  query.statement->execute(false);
  std::vector<CertificateRequest> out;
  while (query.statement->fetch()) out.push_back(v.row.completed());
  return out;
}

std::vector<CertificateRequest> SociRequestRepository::list_in_state(RequestState state, std::int64_t limit) {
  return select("WHERE state = :text ORDER BY id LIMIT :number", to_string(state), limit);
}

bool SociRequestRepository::transition(std::int64_t id, RequestState from, RequestState to, std::string_view reason,
                                       std::int64_t at) {
  const std::string from_text = to_string(from);
  const std::string to_text = to_string(to);
  const std::string reason_text(reason);
  soci::statement st = (sql_.prepare << "UPDATE requests SET state = :to, decision_reason = :reason, updated_at = :at "
                                        "WHERE id = :id AND state = :from",
                        soci::use(to_text), soci::use(reason_text), soci::use(at), soci::use(id),
                        soci::use(from_text));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool SociRequestRepository::save(const CertificateRequest& request, RequestState expected) {
  auto& update = prepared_.get<RequestSave>([](soci::session& sql, RequestSave& v) {
    const auto& r = v.row;
    return (sql.prepare << "UPDATE requests SET state = :state, kind = :kind, decision_reason = :reason, "
                           "updated_at = :updated, token_sha256 = :token, token_expires_at = :token_expires, "
                           "csr_pem = :csr, key_description = :keydesc, key_sha256 = :keysha, "
                           "letter_blob = :letter, agreement_version = :agreement, submitted_at = :submitted, "
                           "custody_envelope = :envelope, sealed_key = :sealed, certificate_serial = :serial, "
                           "decided_by = :decided WHERE id = :id AND state = :expected",
            soci::use(v.state), soci::use(v.kind), soci::use(r.decision_reason), soci::use(r.updated_at),
            soci::use(r.token_sha256), soci::use(r.token_expires_at), soci::use(r.csr_pem),
            soci::use(r.key_description), soci::use(r.key_sha256), soci::use(r.letter_blob),
            soci::use(r.agreement_version), soci::use(r.submitted_at), soci::use(r.custody_envelope),
            soci::use(r.sealed_key), soci::use(r.certificate_serial), soci::use(r.decided_by), soci::use(r.id),
            soci::use(v.expected));
  });
  update.values.row = request;
  update.values.state = to_string(request.state);
  update.values.kind = to_string(request.kind);
  update.values.expected = to_string(expected);
  update.run();
  return update.statement->get_affected_rows() == 1;
}

void SociRequestRepository::add_approval(const Approval& a) {
  sql_ << "INSERT INTO approvals (request_id, verifier_id, at) VALUES (:request, :verifier, :at)",
      soci::use(a.request_id), soci::use(a.verifier_id), soci::use(a.at);
}

std::vector<Approval> SociRequestRepository::approvals(std::int64_t request_id) {
  Approval a;
  soci::statement st = (sql_.prepare << "SELECT request_id, verifier_id, at FROM approvals WHERE request_id = :id "
                                        "ORDER BY at, verifier_id",
                        soci::into(a.request_id), soci::into(a.verifier_id), soci::into(a.at), soci::use(request_id));
  st.execute(false);
  std::vector<Approval> out;
  while (st.fetch()) out.push_back(a);
  return out;
}

namespace {
struct ApprovalCounts {
  std::string ids;
  std::int64_t request_id = 0;
  std::int64_t count = 0;
};
}  // namespace

// The verifier queue's page asks this on every view: one statement text for any count,
// prepared once per connection.
std::map<std::int64_t, std::size_t> SociRequestRepository::approval_counts(const std::vector<std::int64_t>& request_ids) {
  std::map<std::int64_t, std::size_t> out;
  const auto engine = engine_;
  auto& query = prepared_.get<ApprovalCounts>([engine](soci::session& sql, ApprovalCounts& v) {
    return (sql.prepare << "SELECT request_id, COUNT(*) FROM approvals WHERE " +
                               id_list_condition(engine, "request_id", ":ids") + " GROUP BY request_id",
            soci::into(v.request_id), soci::into(v.count), soci::use(v.ids));
  });
  for_each_id_chunk(request_ids, [&](std::span<const std::int64_t> chunk) {
    query.values.ids = id_list_text(engine_, chunk);
    query.statement->execute(false);
    while (query.statement->fetch()) out[query.values.request_id] = static_cast<std::size_t>(query.values.count);
  });
  return out;
}

std::optional<std::int64_t> SociRequestRepository::open_request_with_key(std::int64_t account_id,
                                                                        std::string_view key_sha256,
                                                                        std::int64_t except_id) {
  std::int64_t id = 0;
  const std::string key(key_sha256);
  sql_ << "SELECT id FROM requests WHERE account_id = :account AND key_sha256 = :key AND id <> :except "
          "AND state IN ('submitted', 'approved') LIMIT 1",
      soci::use(account_id), soci::use(key), soci::use(except_id), soci::into(id);
  if (!sql_.got_data()) return std::nullopt;
  return id;
}

EsignKeyGuard SociRequestRepository::key_guard(std::int64_t request_id) {
  EsignKeyGuard guard;
  sql_ << "SELECT failures, locked_at FROM esign_key_guards WHERE request_id = :id", soci::use(request_id),
      soci::into(guard.failures), soci::into(guard.locked_at);
  if (!sql_.got_data()) return {};
  return guard;
}

void SociRequestRepository::save_key_guard(std::int64_t request_id, const EsignKeyGuard& guard) {
  sql_ << "INSERT INTO esign_key_guards (request_id, failures, locked_at) VALUES (:id, :failures, :locked) "
          "ON CONFLICT (request_id) DO UPDATE SET failures = excluded.failures, locked_at = excluded.locked_at",
      soci::use(request_id), soci::use(guard.failures), soci::use(guard.locked_at);
}

void SociRequestRepository::set_sealed_token(std::int64_t id, std::string_view sealed) {
  const std::string value(sealed);
  sql_ << "UPDATE requests SET token_sealed = :sealed WHERE id = :id", soci::use(value), soci::use(id);
}

std::string SociRequestRepository::sealed_token(std::int64_t id) {
  std::string sealed;
  sql_ << "SELECT token_sealed FROM requests WHERE id = :id", soci::use(id), soci::into(sealed);
  return sql_.got_data() ? sealed : std::string();
}

}  // namespace lontar::storage
