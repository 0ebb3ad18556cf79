#include <algorithm>
#include <cctype>
#include <iterator>

#include "core/error.h"
#include "storage/id_lists.h"
#include "storage/soci_repositories.h"

namespace lontar::storage {

namespace {
constexpr const char* kColumns =
    "id, nik, name, email, organisation, unit, staff_number, role, password_hash, locked, "
    "must_change_password, created_at, failed_logins, locked_until";
constexpr std::size_t kMinimumNamePart = 3;
}

std::int64_t SociAccountRepository::insert(const Account& a) {
  std::int64_t id = 0;
  const std::string role = to_string(a.role);
  const int locked = a.locked ? 1 : 0;
  const int must_change = a.must_change_password ? 1 : 0;
  sql_ << "INSERT INTO accounts (nik, name, email, organisation, unit, staff_number, role, password_hash, locked, "
          "must_change_password, created_at) VALUES (:nik, :name, :email, :org, :unit, :staff, :role, :hash, "
          ":locked, :must, :created) RETURNING id",
      soci::use(a.nik), soci::use(a.name), soci::use(a.email), soci::use(a.organisation), soci::use(a.unit),
      soci::use(a.staff_number), soci::use(role), soci::use(a.password_hash), soci::use(locked),
      soci::use(must_change), soci::use(a.created_at), soci::into(id);
  return id;
}

std::vector<Account> SociAccountRepository::select(const std::string& where, const std::string& key_text,
                                                   std::int64_t key_number, const std::string& key_text2) {
  return select_bound(where, [&](Query& query) {
    if (where.find(":text") != std::string::npos) query, soci::use(key_text);
    if (where.find(":text2") != std::string::npos) query, soci::use(key_text2);
    if (where.find(":number") != std::string::npos) query, soci::use(key_number);
  });
}

std::vector<Account> SociAccountRepository::select_bound(const std::string& where,
                                                         const std::function<void(Query&)>& bind) {
  Account a;
  std::string role;
  int locked = 0;
  int must_change = 0;
  auto query = (sql_.prepare << std::string("SELECT ") + kColumns + " FROM accounts " + where,
                        soci::into(a.id), soci::into(a.nik), soci::into(a.name), soci::into(a.email),
                        soci::into(a.organisation), soci::into(a.unit), soci::into(a.staff_number), soci::into(role),
                        soci::into(a.password_hash), soci::into(locked), soci::into(must_change),
                        soci::into(a.created_at), soci::into(a.failed_logins), soci::into(a.locked_until));
  bind(query);
  soci::statement st(query);
  st.execute(false);
  std::vector<Account> out;
  while (st.fetch()) {
    a.role = parse_role(role).value_or(Role::applicant);
    a.locked = locked != 0;
    a.must_change_password = must_change != 0;
    out.push_back(a);
  }
  return out;
}

std::optional<Account> SociAccountRepository::find_by_nik(std::string_view nik) {
  auto rows = select("WHERE nik = :text", std::string(nik), 0);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<Account> SociAccountRepository::find_by_id(std::int64_t id) {
  auto rows = select("WHERE id = :number", "", id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<Account> SociAccountRepository::find_by_ids(const std::vector<std::int64_t>& ids) {
  std::vector<Account> out;
  for_each_id_chunk(ids, [&](std::span<const std::int64_t> chunk) {
    auto rows = select_bound("WHERE id IN (" + id_placeholders(chunk.size()) + ")", [&](Query& query) {
      for (const auto& id : chunk) query, soci::use(id);
    });
    std::move(rows.begin(), rows.end(), std::back_inserter(out));
  });
  return out;
}

std::vector<Account> SociAccountRepository::list() { return select("ORDER BY id", "", 0); }

std::vector<Account> SociAccountRepository::search(std::string_view text, std::int64_t limit) {
  std::string needle;
  for (const char c : text) needle += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!needle.empty() && std::isspace(static_cast<unsigned char>(needle.back()))) needle.pop_back();
  needle.erase(0, needle.find_first_not_of(" \t\r\n"));
  if (needle.empty()) return {};
  const bool digits = std::all_of(needle.begin(), needle.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) return search_nik_prefix(needle, limit);
  // A trigram index needs three characters; fewer would match a large part of the country.
  if (needle.size() < kMinimumNamePart) return {};
  return search_name_part(needle, limit);
}

// A range on the unique index: NIKs are digit strings, ordered alike by every collation.
std::vector<Account> SociAccountRepository::search_nik_prefix(const std::string& digits, std::int64_t limit) {
  std::string upper = digits;
  while (!upper.empty() && upper.back() == '9') upper.pop_back();
  if (upper.empty()) return select("WHERE nik >= :text ORDER BY nik LIMIT :number", digits, limit);
  ++upper.back();
  return select("WHERE nik >= :text AND nik < :text2 ORDER BY nik LIMIT :number", digits, limit, upper);
}

std::vector<Account> SociAccountRepository::search_name_part(const std::string& text, std::int64_t limit) {
  if (engine_ == Engine::sqlite) {
    // One FTS5 phrase: the text's characters in order, quotes doubled, nothing an operator.
    std::string phrase = "\"";
    for (const char c : text) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
    phrase += '"';
    return select("WHERE id IN (SELECT rowid FROM account_name_trigrams WHERE account_name_trigrams MATCH :text "
                  "LIMIT :number) ORDER BY name",
                  phrase, limit);
  }
  // LIKE wildcards typed by the user are taken literally; pg_trgm's index serves the LIKE.
  std::string escaped;
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return select("WHERE id IN (SELECT id FROM accounts WHERE LOWER(name) LIKE :text ESCAPE '\\' LIMIT :number) "
                "ORDER BY name",
                "%" + escaped + "%", limit);
}

void SociAccountRepository::update(const Account& a) {
  const std::string role = to_string(a.role);
  const int locked = a.locked ? 1 : 0;
  const int must_change = a.must_change_password ? 1 : 0;
  soci::statement st = (sql_.prepare << "UPDATE accounts SET name = :name, email = :email, organisation = :org, "
                                        "unit = :unit, staff_number = :staff, role = :role, password_hash = :hash, "
                                        "locked = :locked, must_change_password = :must, failed_logins = :failed, "
                                        "locked_until = :until WHERE id = :id",
                        soci::use(a.name), soci::use(a.email), soci::use(a.organisation), soci::use(a.unit),
                        soci::use(a.staff_number), soci::use(role), soci::use(a.password_hash), soci::use(locked),
                        soci::use(must_change), soci::use(a.failed_logins), soci::use(a.locked_until),
                        soci::use(a.id));
  st.execute(true);
  if (st.get_affected_rows() != 1)
    throw Error(ErrorKind::not_found, "unknown_account", "The account no longer exists.");
}

}  // namespace lontar::storage
