#include "storage/soci_repositories.h"

namespace lontar::storage {

std::int64_t SociRequestRepository::insert(const CertificateRequest& r) {
  std::int64_t id = 0;
  const std::string type = to_string(r.type);
  const std::string method = to_string(r.method);
  const std::string kind = to_string(r.kind);
  const std::string state = to_string(r.state);
  sql_ << "INSERT INTO requests (account_id, product_id, cert_type, method, kind, state, decision_reason, "
          "created_at, updated_at) VALUES (:account, :product, :type, :method, :kind, :state, :reason, :created, "
          ":updated) RETURNING id",
      soci::use(r.account_id), soci::use(r.product_id), soci::use(type), soci::use(method), soci::use(kind),
      soci::use(state), soci::use(r.decision_reason), soci::use(r.created_at), soci::use(r.updated_at),
      soci::into(id);
  return id;
}

std::vector<CertificateRequest> SociRequestRepository::select(const std::string& where, std::int64_t key) {
  CertificateRequest r;
  std::string type, method, kind, state;
  soci::statement st = (sql_.prepare << "SELECT id, account_id, product_id, cert_type, method, kind, state, "
                                        "decision_reason, created_at, updated_at FROM requests " + where,
                        soci::into(r.id), soci::into(r.account_id), soci::into(r.product_id), soci::into(type),
                        soci::into(method), soci::into(kind), soci::into(state), soci::into(r.decision_reason),
                        soci::into(r.created_at), soci::into(r.updated_at), soci::use(key));
  st.execute(false);
  std::vector<CertificateRequest> out;
  while (st.fetch()) {
    r.type = parse_certificate_type(type).value_or(CertificateType::individual);
    r.method = parse_method(method).value_or(Method::lock);
    r.kind = parse_request_kind(kind).value_or(RequestKind::new_certificate);
    r.state = parse_request_state(state).value_or(RequestState::draft);
    out.push_back(r);
  }
  return out;
}

std::optional<CertificateRequest> SociRequestRepository::find(std::int64_t id) {
  auto rows = select("WHERE id = :key", id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<CertificateRequest> SociRequestRepository::list_for_account(std::int64_t account_id) {
  return select("WHERE account_id = :key ORDER BY id DESC", account_id);
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

}  // namespace lontar::storage
