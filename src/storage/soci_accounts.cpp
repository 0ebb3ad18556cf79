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

// Where a statement reads one account row: the text columns parsed after each fetch.
struct AccountRow {
  Account account;
  std::string role;
  int locked = 0;
  int must_change = 0;

  void bind_columns(soci::details::prepare_temp_type& statement) {
    auto& a = account;
    statement, soci::into(a.id), soci::into(a.nik), soci::into(a.name), soci::into(a.email),
        soci::into(a.organisation), soci::into(a.unit), soci::into(a.staff_number), soci::into(role),
        soci::into(a.password_hash), soci::into(locked), soci::into(must_change), soci::into(a.created_at),
        soci::into(a.failed_logins), soci::into(a.locked_until);
  }
  Account completed() const {
    auto a = account;
    a.role = parse_role(role).value_or(Role::applicant);
    a.locked = locked != 0;
    a.must_change_password = must_change != 0;
    return a;
  }
};

struct AccountById {
  std::int64_t id = 0;
  AccountRow row;
};

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Each word of the name with the rest of the name after it (see migration 13).
std::vector<std::string> name_tails(std::string_view name) {
  std::string lower = ascii_lower(name);
  while (!lower.empty() && lower.back() == ' ') lower.pop_back();
  std::vector<std::string> tails;
  for (std::size_t at = 0; at < lower.size(); ++at)
    if (lower[at] != ' ' && (at == 0 || lower[at - 1] == ' ')) tails.push_back(lower.substr(at));
  std::sort(tails.begin(), tails.end());
  tails.erase(std::unique(tails.begin(), tails.end()), tails.end());
  return tails;
}
}  // namespace

void SociAccountRepository::index_name(std::int64_t id, const std::string& name, bool renamed) {
  if (renamed) sql_ << "DELETE FROM account_name_words WHERE account_id = :id", soci::use(id);
  // One statement for all the words: a bulk load of millions of people waits on round
  // trips, not on the inserts.
  const auto tails = name_tails(name);
  if (tails.empty()) return;
  std::string text = "INSERT INTO account_name_words (tail, account_id) VALUES ";
  for (std::size_t i = 0; i < tails.size(); ++i) {
    const auto n = std::to_string(i);
    text += (i ? ", (:tail" : "(:tail") + n + ", :id" + n + ")";
  }
  auto insert = (sql_.prepare << text);
  for (const auto& tail : tails) insert, soci::use(tail), soci::use(id);
  soci::statement statement(insert);
  statement.execute(true);
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
  index_name(id, a.name, false);
  return id;
}

// Each form of WHERE is prepared once per connection: the helpdesk's searches, a login's
// lookup by NIK.
std::vector<Account> SociAccountRepository::select(const std::string& where, const std::string& key_text,
                                                   std::int64_t key_number, const std::string& key_text2) {
  return select_by_keys<AccountRow>(prepared_, std::string("SELECT ") + kColumns + " FROM accounts " + where, key_text,
                                    key_number, key_text2);
}

std::optional<Account> SociAccountRepository::find_by_nik(std::string_view nik) {
  auto rows = select("WHERE nik = :text", std::string(nik), 0);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

// Every portal page and API call reads its caller's account: prepared once per connection.
std::optional<Account> SociAccountRepository::find_by_id(std::int64_t id) {
  auto& query = prepared_.get<AccountById>([](soci::session& sql, AccountById& v) {
    auto statement = (sql.prepare << std::string("SELECT ") + kColumns + " FROM accounts WHERE id = :id");
    v.row.bind_columns(statement);
    statement, soci::use(v.id);
    return statement;
  });
  query.values.id = id;
  if (!query.run_for_one_row()) return std::nullopt;
  return query.values.row.completed();
}

std::vector<Account> SociAccountRepository::find_by_ids(const std::vector<std::int64_t>& ids) {
  std::vector<Account> out;
  const auto where = "WHERE " + id_list_condition(engine_, "id", ":text");
  for_each_id_chunk(ids, [&](std::span<const std::int64_t> chunk) {
    auto rows = select(where, id_list_text(engine_, chunk), 0);
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
  // Fewer than three characters would match a large part of the country.
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

// A range of the words index: the first `limit` accounts with a word that starts with
// the text, whatever the size of the table; wildcards mean nothing here.
std::vector<Account> SociAccountRepository::search_name_part(const std::string& text, std::int64_t limit) {
  std::string upper = text;
  while (!upper.empty() && static_cast<unsigned char>(upper.back()) == 0xFF) upper.pop_back();
  const std::string ids = upper.empty() ? "SELECT account_id FROM account_name_words WHERE tail >= :text"
                                        : "SELECT account_id FROM account_name_words WHERE tail >= :text AND tail < :text2";
  if (!upper.empty()) upper.back() = static_cast<char>(static_cast<unsigned char>(upper.back()) + 1);
  // An account with two words starting alike ("Made Made") takes two of the LIMIT's rows
  // and is shown once, so such a page may hold fewer than `limit`.
  return select("WHERE id IN (" + ids + " ORDER BY tail LIMIT :number) ORDER BY name", text, limit, upper);
}

void SociAccountRepository::update(const Account& a) {
  const std::string role = to_string(a.role);
  const int locked = a.locked ? 1 : 0;
  const int must_change = a.must_change_password ? 1 : 0;
  // Most updates are logins (failure counts, locks): the words index changes with the name only.
  std::string stored_name;
  soci::indicator found = soci::i_null;
  // Locked on PostgreSQL, so a concurrent rename cannot slip between this read and the
  // reindex; SQLite's writer holds the whole database already.
  const std::string lock = engine_ == Engine::postgresql ? " FOR UPDATE" : "";
  sql_ << "SELECT name FROM accounts WHERE id = :id" + lock, soci::use(a.id), soci::into(stored_name, found);
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
  if (found != soci::i_ok || stored_name != a.name) index_name(a.id, a.name, true);
}

}  // namespace lontar::storage
