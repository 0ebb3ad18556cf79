#pragma once

#include <soci/soci.h>

#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.h"

namespace lontar::storage {

// Statements prepared once per connection and run again with new values: the hot
// writes of issuance would otherwise spend more time in SQL parsing than in the
// database. SOCI binds by reference, so each statement's values live beside it; the
// `Values` type names the statement (one struct per statement).
class PreparedStatements {
 public:
  explicit PreparedStatements(soci::session& sql) : sql_(sql) {}
  PreparedStatements(const PreparedStatements&) = delete;
  PreparedStatements& operator=(const PreparedStatements&) = delete;

  template <class Values>
  struct Entry {
    Values values{};
    std::unique_ptr<soci::statement> statement;

    // Runs the statement with the current values and reads at most one row into them;
    // stepping to the end leaves nothing of it open when the transaction commits.
    bool run_for_one_row() {
      statement->execute(false);
      const bool got = statement->fetch();
      if (got)
        while (statement->fetch()) {
        }
      return got;
    }
    void run() { statement->execute(true); }
  };

  // `prepare(session, values)` returns the statement bound to `values`.
  template <class Values, class Prepare>
  Entry<Values>& get(Prepare&& prepare) {
    auto& slot = entries_[std::type_index(typeid(Values))];
    if (!slot) {
      auto holder = std::make_unique<Holder<Values>>();
      holder->entry.statement = std::make_unique<soci::statement>(prepare(sql_, holder->entry.values));
      slot = std::move(holder);
    }
    return static_cast<Holder<Values>&>(*slot).entry;
  }

  // The same for a statement whose text is one of a few fixed forms chosen at run time
  // (a repository's select with its WHERE clause): one statement per form.
  template <class Values, class Prepare>
  Entry<Values>& get(const std::string& text, Prepare&& prepare) {
    auto& slot = by_text_[{std::type_index(typeid(Values)), text}];
    if (!slot) {
      auto holder = std::make_unique<Holder<Values>>();
      holder->entry.statement = std::make_unique<soci::statement>(prepare(sql_, holder->entry.values));
      slot = std::move(holder);
    }
    return static_cast<Holder<Values>&>(*slot).entry;
  }

  // After a failed statement its state is unknown: prepare everything afresh.
  void forget() {
    entries_.clear();
    by_text_.clear();
  }

  soci::session& session() noexcept { return sql_; }

 private:
  struct Base {
    virtual ~Base() = default;
  };
  template <class Values>
  struct Holder final : Base {
    Entry<Values> entry;
  };

  soci::session& sql_;
  std::unordered_map<std::type_index, std::unique_ptr<Base>> entries_;
  std::map<std::pair<std::type_index, std::string>, std::unique_ptr<Base>> by_text_;
};

// A select whose WHERE names `:text`, `:text2` and `:number` (those it uses, in that
// order), prepared once per connection and form. `Row` binds one row's columns
// (`bind_columns`) and gives what a fetched row reads as (`completed`).
template <class Row, class Number>
struct KeyedSelect {
  std::string text, text2;
  Number number{};
  Row row;
};

// Where `name` (":text") stands in `sql` as a whole placeholder (not ":text2"), or npos.
inline std::size_t placeholder_at(const std::string& sql, const std::string& name) {
  for (auto at = sql.find(name); at != std::string::npos; at = sql.find(name, at + 1)) {
    const auto next = at + name.size();
    if (next == sql.size() || !(std::isalnum(static_cast<unsigned char>(sql[next])) || sql[next] == '_')) return at;
  }
  return std::string::npos;
}

template <class Row, class Number>
auto select_by_keys(PreparedStatements& prepared, const std::string& sql_text, const std::string& text,
                    Number number, const std::string& text2 = {}) {
  using Values = KeyedSelect<Row, Number>;
  auto& query = prepared.get<Values>(sql_text, [&sql_text](soci::session& sql, Values& v) {
    // Values are bound by position: a form naming them in another order would swap
    // them silently, so it is refused before it runs.
    std::size_t last = 0;
    const auto in_order = [&](const char* name) {
      const auto at = placeholder_at(sql_text, name);
      if (at == std::string::npos) return false;
      if (at < last)
        throw Error(ErrorKind::internal, "placeholder_order",
                    "A select names its keys out of order (:text, :text2, :number): " + sql_text);
      last = at;
      return true;
    };
    const bool text = in_order(":text"), text2 = in_order(":text2"), number = in_order(":number");
    auto statement = (sql.prepare << sql_text);
    v.row.bind_columns(statement);
    if (text) statement, soci::use(v.text);
    if (text2) statement, soci::use(v.text2);
    if (number) statement, soci::use(v.number);
    return statement;
  });
  query.values.text = text;
  query.values.text2 = text2;
  query.values.number = number;
  query.statement->execute(false);
  std::vector<decltype(query.values.row.completed())> out;
  while (query.statement->fetch()) out.push_back(query.values.row.completed());
  return out;
}

}  // namespace lontar::storage
