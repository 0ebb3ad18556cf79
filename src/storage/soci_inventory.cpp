#include "storage/soci_repositories.h"

namespace lontar::storage {

namespace {
std::int64_t count_of(soci::session& sql, const std::string& query) {
  std::int64_t n = 0;
  sql << query, soci::into(n);
  return n;
}

void stream_column(soci::session& sql, const std::string& query, const std::function<void(const std::string&)>& visit) {
  std::string value;
  soci::statement st = (sql.prepare << query, soci::into(value));
  st.execute(false);
  while (st.fetch()) visit(value);
}
}  // namespace

Inventory SociInventoryRepository::count() {
  if (head_) write_unwritten_events(sql_, *head_);
  Inventory out;
  out.accounts = count_of(sql_, "SELECT COUNT(*) FROM accounts");
  out.requests = count_of(sql_, "SELECT COUNT(*) FROM requests");
  out.certificates = count_of(sql_, "SELECT COUNT(*) FROM certificates");
  out.revoked_certificates = count_of(sql_, "SELECT COUNT(*) FROM certificates WHERE status <> 'valid'");
  out.documents = count_of(sql_, "SELECT COUNT(*) FROM documents");
  out.audit_events = count_of(sql_, "SELECT COUNT(*) FROM audit_events");
  out.crl_number = count_of(sql_, "SELECT crl_number FROM ca_state WHERE id = 1");
  return out;
}

void SociInventoryRepository::for_each_certificate_serial(const std::function<void(const std::string&)>& visit) {
  stream_column(sql_, "SELECT serial FROM certificates", visit);
}

void SociInventoryRepository::for_each_document_sha256(const std::function<void(const std::string&)>& visit) {
  stream_column(sql_, "SELECT DISTINCT sha256 FROM documents", visit);
}

void SociInventoryRepository::raise_crl_number(std::int64_t number) {
  const std::int64_t floor = number;
  sql_ << "UPDATE ca_state SET crl_number = :to WHERE id = 1 AND crl_number < :floor", soci::use(number, "to"),
      soci::use(floor, "floor");
}

OperationalGauges SociInventoryRepository::operational(std::int64_t now, std::int64_t expiry_window_seconds) {
  OperationalGauges out;
  soci::indicator oldest_null = soci::i_ok;
  sql_ << "SELECT COUNT(*), MIN(submitted_at) FROM requests WHERE state = 'submitted'",
      soci::into(out.requests_waiting), soci::into(out.oldest_waiting_since, oldest_null);
  if (oldest_null == soci::i_null) out.oldest_waiting_since = 0;
  out.requests_approved = count_of(sql_, "SELECT COUNT(*) FROM requests WHERE state = 'approved'");
  const std::int64_t until = now + expiry_window_seconds;
  sql_ << "SELECT COUNT(*) FROM certificates WHERE status = 'valid' AND not_after >= :now AND not_after < :until",
      soci::into(out.certificates_expiring), soci::use(now, "now"), soci::use(until, "until");
  out.outbox_backlog = count_of(sql_, "SELECT COUNT(*) FROM notifications WHERE sent_at = 0");
  return out;
}

}  // namespace lontar::storage
