#include "storage/soci_repositories.h"

namespace lontar::storage {

namespace {
constexpr const char* kColumns =
    "id, serial, account_id, request_id, product_id, cert_type, subject, key_description, key_sha256, not_before, "
    "not_after, issued_at, status, revoked_at, revocation_reason, invalidity_date, pem";


struct CertificateInsert {
  CertificateRecord row;
  std::string type, status;
  std::int64_t id = 0;
};
struct Supersede {
  std::int64_t at = 0, account_id = 0;
  std::string type, serial;
};
struct KeyUse {
  std::int64_t account_id = 0;
  std::string key;
  int found = 0;
};
// Where a statement reads one certificate row: the text columns parsed after each fetch.
struct CertificateRow {
  CertificateRecord record;
  std::string type, status;

  void bind_columns(soci::details::prepare_temp_type& statement) {
    auto& c = record;
    statement, soci::into(c.id), soci::into(c.serial_hex), soci::into(c.account_id), soci::into(c.request_id),
        soci::into(c.product_id), soci::into(type), soci::into(c.subject), soci::into(c.key_description),
        soci::into(c.key_sha256), soci::into(c.not_before), soci::into(c.not_after), soci::into(c.issued_at),
        soci::into(status), soci::into(c.revoked_at), soci::into(c.revocation_reason), soci::into(c.invalidity_date),
        soci::into(c.pem);
  }
  CertificateRecord completed() const {
    auto c = record;
    c.type = parse_certificate_type(type).value_or(CertificateType::individual);
    c.status = parse_certificate_status(status).value_or(CertificateStatus::valid);
    return c;
  }
};
}  // namespace

std::int64_t SociCertificateRepository::insert(const CertificateRecord& c) {
  auto& insert = prepared_.get<CertificateInsert>([](soci::session& sql, CertificateInsert& v) {
    const auto& r = v.row;
    return (sql.prepare << "INSERT INTO certificates (serial, account_id, request_id, product_id, cert_type, "
                           "subject, key_description, key_sha256, not_before, not_after, issued_at, status, "
                           "revoked_at, revocation_reason, pem) VALUES (:serial, :account, :request, :product, "
                           ":type, :subject, :keydesc, :keysha, :nb, :na, :issued, :status, :revoked, :reason, "
                           ":pem) RETURNING id",
            soci::use(r.serial_hex), soci::use(r.account_id), soci::use(r.request_id), soci::use(r.product_id),
            soci::use(v.type), soci::use(r.subject), soci::use(r.key_description), soci::use(r.key_sha256),
            soci::use(r.not_before), soci::use(r.not_after), soci::use(r.issued_at), soci::use(v.status),
            soci::use(r.revoked_at), soci::use(r.revocation_reason), soci::use(r.pem), soci::into(v.id));
  });
  insert.values.row = c;
  insert.values.type = to_string(c.type);
  insert.values.status = to_string(c.status);
  insert.run_for_one_row();
  return insert.values.id;
}

// Each form of WHERE is prepared once per connection: a holder's certificates on every
// visit to My Certificates, a serial's row.
std::vector<CertificateRecord> SociCertificateRepository::select(const std::string& tail, const std::string& key_text,
                                                                 std::int64_t key_number) {
  return select_by_keys<CertificateRow>(prepared_, std::string("SELECT ") + kColumns + " FROM certificates " + tail,
                                        key_text, key_number);
}

std::optional<CertificateRecord> SociCertificateRepository::find_by_serial(std::string_view serial_hex) {
  auto rows = select("WHERE serial = :text", std::string(serial_hex), 0);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<CertificateRecord> SociCertificateRepository::list_for_account(std::int64_t account_id) {
  return select("WHERE account_id = :number ORDER BY id DESC", "", account_id);
}

std::vector<CertificateRecord> SociCertificateRepository::list(std::int64_t limit) {
  return select("ORDER BY id DESC LIMIT :number", "", limit);
}

std::vector<CertificateRecord> SociCertificateRepository::list_expiring(std::int64_t from, std::int64_t until) {
  return select("WHERE status = 'valid' AND not_after >= :text AND not_after < :number ORDER BY not_after",
                std::to_string(from), until);
}

bool SociCertificateRepository::key_used_by_account(std::int64_t account_id, std::string_view key_sha256) {
  auto& query = prepared_.get<KeyUse>([](soci::session& sql, KeyUse& v) {
    return (sql.prepare << "SELECT COUNT(*) FROM certificates WHERE account_id = :account AND key_sha256 = :key",
            soci::use(v.account_id), soci::use(v.key), soci::into(v.found));
  });
  query.values.account_id = account_id;
  query.values.key = std::string(key_sha256);
  query.run_for_one_row();
  return query.values.found > 0;
}

std::vector<std::string> SociCertificateRepository::supersede(std::int64_t account_id, CertificateType type,
                                                              std::int64_t at) {
  auto& update = prepared_.get<Supersede>([](soci::session& sql, Supersede& v) {
    return (sql.prepare << "UPDATE certificates SET status = 'superseded', revoked_at = :at, "
                           "revocation_reason = 'superseded' WHERE account_id = :account AND "
                           "cert_type = :type AND status = 'valid' RETURNING serial",
            soci::use(v.at), soci::use(v.account_id), soci::use(v.type), soci::into(v.serial));
  });
  update.values.at = at;
  update.values.account_id = account_id;
  update.values.type = to_string(type);
  std::vector<std::string> serials;
  update.statement->execute(false);
  while (update.statement->fetch()) serials.push_back(update.values.serial);
  return serials;
}

bool SociCertificateRepository::revoke(std::string_view serial_hex, std::string_view reason, std::int64_t at,
                                       std::int64_t invalidity_date) {
  const std::string serial(serial_hex), reason_text(reason);
  soci::statement st = (sql_.prepare << "UPDATE certificates SET status = 'revoked', revoked_at = :at, "
                                        "revocation_reason = :reason, invalidity_date = :invalidity "
                                        "WHERE serial = :serial AND status = 'valid'",
                        soci::use(at), soci::use(reason_text), soci::use(invalidity_date), soci::use(serial));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::optional<CertificateStatusInfo> SociCertificateRepository::status(std::string_view serial_hex) {
  CertificateStatusInfo info;
  info.serial_hex = std::string(serial_hex);
  std::string status;
  sql_ << "SELECT status, revoked_at, revocation_reason, invalidity_date, not_after FROM certificates "
          "WHERE serial = :serial",
      soci::use(info.serial_hex), soci::into(status), soci::into(info.revoked_at), soci::into(info.revocation_reason),
      soci::into(info.invalidity_date), soci::into(info.not_after);
  if (!sql_.got_data()) return std::nullopt;
  info.status = parse_certificate_status(status).value_or(CertificateStatus::valid);
  return info;
}

void SociCertificateRepository::for_each_revoked(const std::function<void(const CertificateStatusInfo&)>& visit) {
  CertificateStatusInfo info;
  std::string status;
  soci::statement st = (sql_.prepare << "SELECT serial, status, revoked_at, revocation_reason, invalidity_date, "
                                        "not_after FROM certificates WHERE status IN ('revoked', 'superseded')",
                        soci::into(info.serial_hex), soci::into(status), soci::into(info.revoked_at),
                        soci::into(info.revocation_reason), soci::into(info.invalidity_date),
                        soci::into(info.not_after));
  st.execute(false);
  while (st.fetch()) {
    info.status = parse_certificate_status(status).value_or(CertificateStatus::revoked);
    visit(info);
  }
}

std::int64_t SociCertificateRepository::count() {
  std::int64_t n = 0;
  sql_ << "SELECT COUNT(*) FROM certificates", soci::into(n);
  return n;
}

}  // namespace lontar::storage
