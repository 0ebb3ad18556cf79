#include "storage/migrations.h"

#include <chrono>
#include <string>
#include <vector>

#include "core/audit.h"

namespace lontar::storage {

namespace {
struct Migration {
  int version;
  std::vector<std::string> statements;  // ${ID} is the engine's auto-increment key
};

// A statement that only one engine runs (the others skip it).
constexpr std::string_view kSqliteOnly = "@sqlite ";
constexpr std::string_view kPostgresqlOnly = "@postgresql ";
std::string sqlite_only(std::string statement) { return std::string(kSqliteOnly) + statement; }
std::string postgresql_only(std::string statement) { return std::string(kPostgresqlOnly) + statement; }

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1,
       {
           R"(CREATE TABLE accounts (
                id ${ID},
                nik TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                email TEXT NOT NULL,
                organisation TEXT NOT NULL DEFAULT '',
                unit TEXT NOT NULL DEFAULT '',
                staff_number TEXT NOT NULL DEFAULT '',
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL DEFAULT '',
                locked INTEGER NOT NULL DEFAULT 0,
                must_change_password INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL))",
           R"(CREATE TABLE requests (
                id ${ID},
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                product_id TEXT NOT NULL,
                cert_type TEXT NOT NULL,
                method TEXT NOT NULL,
                kind TEXT NOT NULL,
                state TEXT NOT NULL,
                decision_reason TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL))",
           "CREATE INDEX requests_by_account ON requests(account_id)",
           R"(CREATE TABLE certificates (
                id ${ID},
                serial TEXT NOT NULL UNIQUE,
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                request_id BIGINT NOT NULL REFERENCES requests(id),
                product_id TEXT NOT NULL,
                cert_type TEXT NOT NULL,
                subject TEXT NOT NULL,
                key_description TEXT NOT NULL,
                key_sha256 TEXT NOT NULL,
                not_before BIGINT NOT NULL,
                not_after BIGINT NOT NULL,
                issued_at BIGINT NOT NULL,
                status TEXT NOT NULL,
                revoked_at BIGINT NOT NULL DEFAULT 0,
                revocation_reason TEXT NOT NULL DEFAULT '',
                pem TEXT NOT NULL,
                UNIQUE (account_id, key_sha256)))",
           R"(CREATE TABLE blobs (
                id TEXT PRIMARY KEY,
                content_type TEXT NOT NULL,
                size BIGINT NOT NULL,
                data TEXT NOT NULL,
                created_at BIGINT NOT NULL))",
           R"(CREATE TABLE audit_events (
                seq BIGINT PRIMARY KEY,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                object TEXT NOT NULL,
                details TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL))",
           "CREATE INDEX audit_events_by_object ON audit_events(object, action)",
           // The head names the last event, so deleting events from the end is detectable.
           R"(CREATE TABLE audit_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                seq BIGINT NOT NULL,
                hash TEXT NOT NULL))",
           std::string("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '") + kAuditGenesisHash + "')",
       }},
      {2,
       {
           "ALTER TABLE certificates ADD COLUMN invalidity_date BIGINT NOT NULL DEFAULT 0",
           // Covers the CRL query, so a million revoked entries stream from the index
           // alone instead of one table lookup each.
           "CREATE INDEX certificates_by_status ON certificates(status, serial, revoked_at, revocation_reason, "
           "invalidity_date, not_after)",
           // A renewal supersedes the holder's valid certificates of one type.
           "CREATE INDEX certificates_by_holder ON certificates(account_id, cert_type, status)",
           R"(CREATE TABLE ca_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                status_version BIGINT NOT NULL,
                crl_number BIGINT NOT NULL))",
           "INSERT INTO ca_state (id, status_version, crl_number) VALUES (1, 0, 0)",
       }},
      {3,
       {
           "ALTER TABLE accounts ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0",
           "ALTER TABLE accounts ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0",
           // Only a hash of the session id is kept: a copy of the database opens no session.
           R"(CREATE TABLE sessions (
                id_hash TEXT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                csrf TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_seen BIGINT NOT NULL))",
           "CREATE INDEX sessions_by_account ON sessions(account_id)",
       }},
      {4,
       {
           "ALTER TABLE requests ADD COLUMN token_sha256 TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE requests ADD COLUMN token_expires_at BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE requests ADD COLUMN csr_pem TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE requests ADD COLUMN key_description TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE requests ADD COLUMN key_sha256 TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE requests ADD COLUMN letter_blob TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE requests ADD COLUMN agreement_version TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE requests ADD COLUMN submitted_at BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE requests ADD COLUMN custody_envelope TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE requests ADD COLUMN sealed_key TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE requests ADD COLUMN certificate_serial TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE requests ADD COLUMN decided_by BIGINT NOT NULL DEFAULT 0",
           // SPEC §3: one open request per applicant and certificate type.
           "CREATE UNIQUE INDEX requests_one_open ON requests(account_id, cert_type) "
           "WHERE state IN ('draft', 'token_issued', 'submitted', 'approved')",
           "CREATE UNIQUE INDEX requests_by_token ON requests(token_sha256) WHERE token_sha256 <> ''",
           "CREATE INDEX requests_by_state ON requests(state, submitted_at)",
           R"(CREATE TABLE approvals (
                request_id BIGINT NOT NULL REFERENCES requests(id),
                verifier_id BIGINT NOT NULL REFERENCES accounts(id),
                at BIGINT NOT NULL,
                PRIMARY KEY (request_id, verifier_id)))",
           R"(CREATE TABLE notifications (
                id ${ID},
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                kind TEXT NOT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                dedupe_key TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                sent_at BIGINT NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT ''))",
           "CREATE INDEX notifications_pending ON notifications(sent_at, id)",
           R"(CREATE TABLE idempotency_keys (
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                idem_key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                status INTEGER NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, idem_key)))",
       }},
      {5,
       {
           R"(CREATE TABLE documents (
                id TEXT PRIMARY KEY,
                sha256 TEXT NOT NULL,
                signer_serial TEXT NOT NULL REFERENCES certificates(serial),
                signer_name TEXT NOT NULL,
                signer_unit TEXT NOT NULL,
                signed_at BIGINT NOT NULL,
                signature_count INTEGER NOT NULL))",
           "CREATE INDEX documents_by_sha256 ON documents(sha256)",
       }},
      {6,
       {
           // Wrong passphrases per eSign key (the key lives on its issued request).
           R"(CREATE TABLE esign_key_guards (
                request_id BIGINT PRIMARY KEY REFERENCES requests(id),
                failures INTEGER NOT NULL,
                locked_at BIGINT NOT NULL))",
       }},
      {7,
       {
           // What the verification page shows of a document, and its withdrawal.
           "ALTER TABLE documents ADD COLUMN title TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE documents ADD COLUMN pages INTEGER NOT NULL DEFAULT 0",
           "ALTER TABLE documents ADD COLUMN visibility TEXT NOT NULL DEFAULT 'full'",
           "ALTER TABLE documents ADD COLUMN previews INTEGER NOT NULL DEFAULT 0",
           "ALTER TABLE documents ADD COLUMN withdrawn_at BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE documents ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE documents ADD COLUMN withdrawn_by TEXT NOT NULL DEFAULT ''",
           "CREATE INDEX documents_awaiting_previews ON documents(previews, signed_at)",
       }},
      {8,
       {
           // CMP (RFC 4210): the CSR token sealed for password-based MAC, and each
           // transaction, so that polling and confirmation resume on any server and a
           // replayed transactionID is refused.
           "ALTER TABLE requests ADD COLUMN token_sealed TEXT NOT NULL DEFAULT ''",
           R"(CREATE TABLE cmp_transactions (
                id TEXT PRIMARY KEY,
                body TEXT NOT NULL,
                request_id BIGINT NOT NULL DEFAULT 0,
                holder_serial TEXT NOT NULL DEFAULT '',
                request_der TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL))",
       }},
      {9,
       {
           // Registration authorities: on a CA, the RAs whose vetting it trusts; on an
           // RA, its orders to the upstream CA and the revocations still to tell it.
           R"(CREATE TABLE registration_authorities (
                id ${ID},
                name TEXT NOT NULL UNIQUE,
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                certificate_sha256 TEXT NOT NULL UNIQUE,
                certificate_pem TEXT NOT NULL,
                products TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                removed_at BIGINT NOT NULL DEFAULT 0))",
           "ALTER TABLE cmp_transactions ADD COLUMN registration_authority TEXT NOT NULL DEFAULT ''",
           R"(CREATE TABLE upstream_orders (
                request_id BIGINT PRIMARY KEY REFERENCES requests(id),
                transaction_id TEXT NOT NULL UNIQUE,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL DEFAULT 0,
                leased_until BIGINT NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL))",
           R"(CREATE TABLE upstream_revocations (
                serial_hex TEXT PRIMARY KEY,
                reason INTEGER NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL))",
           "CREATE INDEX upstream_revocations_due ON upstream_revocations(state, next_attempt_at)",
       }},
      // Expiring certificates (notices, /metrics) by a range of the index, not a scan
      // of every valid certificate.
      {10,
       {
           "CREATE INDEX certificates_expiring ON certificates(status, not_after)",
       }},
      // Jobs that run on one server of a cluster at a time hold a lease here.
      {11,
       {
           R"(CREATE TABLE job_leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                leased_until BIGINT NOT NULL))",
       }},
      // National scale: the helpdesk finds a person by part of a name through a
      // trigram index (a LIKE '%…%' reads every account), and a holder's notices by
      // an index instead of a scan of everyone's.
      {12,
       {
           "CREATE INDEX notifications_by_account ON notifications(account_id, id)",
           // SQLite: FTS5 with external content (the names stay in accounts), kept true by triggers.
           sqlite_only("CREATE VIRTUAL TABLE account_name_trigrams USING fts5(name, content='accounts', "
                       "content_rowid='id', tokenize='trigram')"),
           sqlite_only("CREATE TRIGGER account_name_trigrams_insert AFTER INSERT ON accounts BEGIN "
                       "INSERT INTO account_name_trigrams(rowid, name) VALUES (new.id, new.name); END"),
           sqlite_only("CREATE TRIGGER account_name_trigrams_delete AFTER DELETE ON accounts BEGIN "
                       "INSERT INTO account_name_trigrams(account_name_trigrams, rowid, name) "
                       "VALUES ('delete', old.id, old.name); END"),
           sqlite_only("CREATE TRIGGER account_name_trigrams_update AFTER UPDATE OF name ON accounts BEGIN "
                       "INSERT INTO account_name_trigrams(account_name_trigrams, rowid, name) "
                       "VALUES ('delete', old.id, old.name); "
                       "INSERT INTO account_name_trigrams(rowid, name) VALUES (new.id, new.name); END"),
           sqlite_only("INSERT INTO account_name_trigrams(account_name_trigrams) VALUES ('rebuild')"),
           // PostgreSQL: pg_trgm is a trusted extension, which the database's owner may create.
           postgresql_only("CREATE EXTENSION IF NOT EXISTS pg_trgm"),
           postgresql_only("CREATE INDEX accounts_name_trigrams ON accounts USING gin (LOWER(name) gin_trgm_ops)"),
       }},
      // Trigrams still grew with the table at 10 million certificates (a rare part of
      // common trigrams reads their long posting lists): a name is found instead by the
      // start of any of its words, a range of a B-tree. Each word of a name is stored
      // with the rest of the name after it, ASCII letters in lower case ("ni luh putu
      // ayu", "luh putu ayu", ...), so "putu a" is one range too; "C" collation, so a
      // range is of bytes.
      {13,
       {
           sqlite_only("DROP TRIGGER account_name_trigrams_insert"),
           sqlite_only("DROP TRIGGER account_name_trigrams_delete"),
           sqlite_only("DROP TRIGGER account_name_trigrams_update"),
           sqlite_only("DROP TABLE account_name_trigrams"),
           postgresql_only("DROP INDEX accounts_name_trigrams"),
           sqlite_only(R"(CREATE TABLE account_name_words (
                tail TEXT NOT NULL,
                account_id BIGINT NOT NULL,
                PRIMARY KEY (tail, account_id)) WITHOUT ROWID)"),
           postgresql_only(R"(CREATE TABLE account_name_words (
                tail TEXT COLLATE "C" NOT NULL,
                account_id BIGINT NOT NULL,
                PRIMARY KEY (tail, account_id)))"),
           "CREATE INDEX account_name_words_by_account ON account_name_words(account_id)",
           // The accounts already there, split on spaces as SociAccountRepository does.
           sqlite_only(R"(INSERT OR IGNORE INTO account_name_words (tail, account_id)
                WITH RECURSIVE words(id, tail) AS (
                  SELECT id, ltrim(lower(name), ' ') FROM accounts
                  UNION ALL
                  SELECT id, ltrim(substr(tail, instr(tail, ' ')), ' ') FROM words WHERE instr(tail, ' ') > 0)
                SELECT rtrim(tail, ' '), id FROM words WHERE rtrim(tail, ' ') <> '')"),
           postgresql_only(R"(INSERT INTO account_name_words (tail, account_id)
                SELECT DISTINCT rtrim(substr(translate(a.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                                                 'abcdefghijklmnopqrstuvwxyz'), w.start), ' '), a.id
                FROM accounts a, LATERAL (
                  SELECT p AS start FROM generate_series(1, length(a.name)) p
                  WHERE substr(a.name, p, 1) <> ' ' AND (p = 1 OR substr(a.name, p - 1, 1) = ' ')) w)"),
       }},
      // Service keys every server of a cluster shares (the OCSP responder's): the server
      // holding the jobs' lease renews one, the others adopt it from here.
      {14,
       {
           R"(CREATE TABLE service_keys (
                name TEXT PRIMARY KEY,
                serial TEXT NOT NULL,
                certificate TEXT NOT NULL,
                encrypted_key TEXT NOT NULL,
                replaced_at BIGINT NOT NULL))",
       }},
  };
  return all;
}

std::string expand(std::string statement, Engine engine) {
  const std::string id = engine == Engine::sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                                  : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  for (auto at = statement.find("${ID}"); at != std::string::npos; at = statement.find("${ID}"))
    statement.replace(at, 5, id);
  return statement;
}
}  // namespace

int schema_version(soci::session& sql) {
  int version = 0;
  sql << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", soci::into(version);
  return version;
}

void migrate(soci::session& sql, Engine engine, int up_to) {
  sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)";
  for (const auto& migration : migrations()) {
    if (migration.version > up_to) break;
    if (engine == Engine::sqlite) {
      sql << "BEGIN IMMEDIATE";
    } else {
      sql << "BEGIN";
      sql << "SELECT pg_advisory_xact_lock(7402101)";
    }
    try {
      if (schema_version(sql) >= migration.version) {
        sql << "COMMIT";
        continue;
      }
      for (const auto& statement : migration.statements) {
        const auto mine = engine == Engine::sqlite ? kSqliteOnly : kPostgresqlOnly;
        const auto theirs = engine == Engine::sqlite ? kPostgresqlOnly : kSqliteOnly;
        if (statement.starts_with(theirs)) continue;
        sql << expand(statement.starts_with(mine) ? statement.substr(mine.size()) : statement, engine);
      }
      const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
      sql << "INSERT INTO schema_migrations (version, applied_at) VALUES (:v, :t)", soci::use(migration.version),
          soci::use(now);
      sql << "COMMIT";
    } catch (...) {
      sql << "ROLLBACK";
      throw;
    }
  }
}

}  // namespace lontar::storage
