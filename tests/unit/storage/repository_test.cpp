// The repository suite runs unchanged on SQLite and on PostgreSQL. The PostgreSQL
// instance comes from LONTAR_TEST_PG_URL (scripts/test.sh starts a throwaway cluster);
// without it those cases fail rather than pass silently.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/error.h"
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/migrations.h"
#include "storage/prepared_statements.h"
#include "storage/soci_store.h"
#include "support/expect_error.h"
#include "support/scratch_postgres.h"
#include "support/temp_dir.h"

namespace lontar::storage {
namespace {

class RepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      postgres_ = std::make_unique<testing::ScratchPostgres>();
      url_ = DatabaseUrl::parse(postgres_->url(), dir_.path());
    } else {
      url_ = DatabaseUrl::parse("sqlite:test.db", dir_.path());
    }
    store_ = std::make_unique<SociStore>(url_);
  }

  Account make_account(const std::string& nik) {
    Account a;
    a.nik = nik;
    a.name = "Ni Luh Putu Ayu";
    a.email = "ayu@undiksha.ac.id";
    a.organisation = "Undiksha";
    a.unit = "UPT TIK";
    a.role = Role::verifier;
    a.password_hash = "$argon2id$x";
    a.must_change_password = true;
    a.created_at = 1700000000;
    return a;
  }

  CertificateRecord make_certificate(std::int64_t account, std::int64_t request, const std::string& serial,
                                     const std::string& key) {
    CertificateRecord c;
    c.serial_hex = serial;
    c.account_id = account;
    c.request_id = request;
    c.product_id = "individual-1y";
    c.subject = "CN=Ayu";
    c.key_description = "ECDSA P-256";
    c.key_sha256 = key;
    c.not_before = 1700000000;
    c.not_after = 1800000000;
    c.issued_at = 1700000000;
    c.pem = "-----BEGIN CERTIFICATE-----\n...\n";
    return c;
  }

  std::int64_t add_request(std::int64_t account, RequestState state = RequestState::submitted) {
    CertificateRequest r;
    r.account_id = account;
    r.product_id = "individual-1y";
    r.state = state;
    r.created_at = r.updated_at = 1700000000;
    std::int64_t id = 0;
    store_->write([&](StoreTransaction& tx) { id = tx.requests().insert(r); });
    return id;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ScratchPostgres> postgres_;
  DatabaseUrl url_;
  std::unique_ptr<SociStore> store_;
};

TEST_P(RepositoryTest, AccountsRoundTrip) {
  auto a = make_account("5108010101900001");
  store_->write([&](StoreTransaction& tx) { a.id = tx.accounts().insert(a); });
  EXPECT_GT(a.id, 0);
  store_->read([&](StoreTransaction& tx) {
    const auto found = tx.accounts().find_by_nik("5108010101900001");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, a.id);
    EXPECT_EQ(found->name, a.name);
    EXPECT_EQ(found->role, Role::verifier);
    EXPECT_TRUE(found->must_change_password);
    EXPECT_FALSE(found->locked);
    EXPECT_EQ(found->created_at, 1700000000);
    EXPECT_EQ(tx.accounts().find_by_id(a.id)->nik, a.nik);
    EXPECT_FALSE(tx.accounts().find_by_nik("0000000000000000"));
  });
  a.locked = true;
  a.role = Role::admin;
  store_->write([&](StoreTransaction& tx) { tx.accounts().update(a); });
  store_->read([&](StoreTransaction& tx) {
    EXPECT_TRUE(tx.accounts().find_by_id(a.id)->locked);
    EXPECT_EQ(tx.accounts().list().size(), 1u);
  });
}

// The session and account read by every signed-in request (and the other lookups of
// accounts) are prepared once per connection and run again: each run sees the rows as they are now, a miss after a hit
// is a miss, and a statement that failed mid-transaction is prepared afresh.
TEST_P(RepositoryTest, TheLookupsOfEverySignedInRequestSeeEachChange) {
  auto first = make_account("5108010101900001");
  auto second = make_account("5108010101900002");
  second.name = "I Wayan Sudarma";
  second.role = Role::applicant;
  second.must_change_password = false;
  store_->write([&](StoreTransaction& tx) {
    first.id = tx.accounts().insert(first);
    second.id = tx.accounts().insert(second);
    tx.sessions().insert({"aa", first.id, "csrf-a", 1700000000, 1700000000});
    tx.sessions().insert({"bb", second.id, "csrf-b", 1700000100, 1700000100});
  });
  const auto both_read = [&] {
    store_->read([&](StoreTransaction& tx) {
      const auto a = tx.sessions().find("aa");
      ASSERT_TRUE(a);
      EXPECT_EQ(a->account_id, first.id);
      EXPECT_EQ(a->csrf, "csrf-a");
      const auto b = tx.sessions().find("bb");
      ASSERT_TRUE(b);
      EXPECT_EQ(b->account_id, second.id);
      EXPECT_EQ(b->csrf, "csrf-b");
      EXPECT_EQ(b->created_at, 1700000100);
      EXPECT_FALSE(tx.sessions().find("cc"));
      const auto person = tx.accounts().find_by_id(second.id);
      ASSERT_TRUE(person);
      EXPECT_EQ(person->name, "I Wayan Sudarma");
      EXPECT_EQ(person->role, Role::applicant);
      EXPECT_FALSE(person->must_change_password);
      EXPECT_FALSE(tx.accounts().find_by_id(second.id + 100));
      EXPECT_EQ(tx.accounts().find_by_id(first.id)->role, Role::verifier);
      // A login's lookup by NIK: one prepared form, each run with its own NIK.
      EXPECT_EQ(tx.accounts().find_by_nik("5108010101900002")->id, second.id);
      EXPECT_FALSE(tx.accounts().find_by_nik("5108010101900009"));
      EXPECT_EQ(tx.accounts().find_by_nik("5108010101900001")->name, first.name);
    });
  };
  both_read();
  store_->write([&](StoreTransaction& tx) {
    tx.sessions().touch("bb", 1700000200);
    tx.sessions().remove("aa");
    second.locked = true;
    tx.accounts().update(second);
  });
  store_->read([&](StoreTransaction& tx) {
    EXPECT_FALSE(tx.sessions().find("aa"));
    EXPECT_EQ(tx.sessions().find("bb")->last_seen, 1700000200);
    EXPECT_TRUE(tx.accounts().find_by_id(second.id)->locked);
  });
  EXPECT_THROW(store_->read([&](StoreTransaction& tx) {
    ASSERT_TRUE(tx.sessions().find("bb"));
    throw Error(ErrorKind::policy, "stop", "stop here");
  }),
               Error);
  store_->write([&](StoreTransaction& tx) { tx.sessions().insert({"aa", first.id, "csrf-a", 1700000000, 1700000000}); });
  both_read();
}

// The helpdesk's search: a NIK by its first digits, a person by the start of any word
// of the name, running on into the next words (three characters or more, any case),
// the user's text taken literally.
TEST_P(RepositoryTest, SearchFindsByNikPrefixAndNamePart) {
  const std::vector<std::pair<std::string, std::string>> people = {
      {"5108010101900001", "Ni Luh Putu Ayu"},  {"5108010101900002", "I Made Budiarta"},
      {"5108019901900003", "Kadek Ayuningsih"}, {"5208010101900004", "Ketut 100% \"Asli\"_"},
      {"5108010199999999", "Gede Wirawan"}};
  store_->write([&](StoreTransaction& tx) {
    for (const auto& [nik, name] : people) {
      auto a = make_account(nik);
      a.name = name;
      tx.accounts().insert(a);
    }
  });
  const auto niks = [&](std::string_view text) {
    std::vector<std::string> out;
    store_->read([&](StoreTransaction& tx) {
      for (const auto& a : tx.accounts().search(text, 50)) out.push_back(a.nik);
    });
    std::sort(out.begin(), out.end());
    return out;
  };
  using Niks = std::vector<std::string>;
  EXPECT_EQ(niks("5108010"), (Niks{"5108010101900001", "5108010101900002", "5108010199999999"}));
  EXPECT_EQ(niks("5108010199"), (Niks{"5108010199999999"}));
  EXPECT_EQ(niks("5108010101900002"), (Niks{"5108010101900002"}));
  EXPECT_EQ(niks("9"), Niks{});
  EXPECT_EQ(niks("0101900001"), Niks{}) << "a NIK is found by its start, not its middle";
  EXPECT_EQ(niks("AYU"), (Niks{"5108010101900001", "5108019901900003"}));
  EXPECT_EQ(niks("  budi "), (Niks{"5108010101900002"}));
  EXPECT_EQ(niks("ayuning"), (Niks{"5108019901900003"}));
  EXPECT_EQ(niks("diar"), Niks{}) << "a word is found by its start, not its middle";
  EXPECT_EQ(niks("putu a"), (Niks{"5108010101900001"})) << "a part may run into the next word";
  EXPECT_EQ(niks("ni luh putu ayu"), (Niks{"5108010101900001"}));
  EXPECT_EQ(niks("ni luh putu ayu x"), Niks{});
  EXPECT_EQ(niks("ay"), Niks{}) << "two letters would match much of the country";
  EXPECT_EQ(niks("100% \"as"), (Niks{"5208010101900004"}));
  EXPECT_EQ(niks("%%%"), Niks{});
  EXPECT_EQ(niks("___"), Niks{});
  EXPECT_EQ(niks("\"asli\"_"), (Niks{"5208010101900004"}));
  EXPECT_EQ(niks("1__"), Niks{}) << "an underscore is no wildcard";
  EXPECT_EQ(niks("510801"), (Niks{"5108010101900001", "5108010101900002", "5108010199999999", "5108019901900003"}));
  EXPECT_EQ(niks("ayu OR made"), Niks{}) << "the text is a phrase, not a query";
  EXPECT_EQ(niks(""), Niks{});

  // A renamed person is found under the new name only.
  store_->write([&](StoreTransaction& tx) {
    auto a = *tx.accounts().find_by_nik("5108010101900002");
    a.name = "I Made Sukadana";
    tx.accounts().update(a);
  });
  EXPECT_EQ(niks("budiarta"), Niks{});
  EXPECT_EQ(niks("sukadana"), (Niks{"5108010101900002"}));
}

// People already in a database from before the words index (migration 13) are found
// by it once the database is migrated.
TEST_P(RepositoryTest, TheWordsIndexHoldsThePeopleFromBeforeIt) {
  // The fixture's store has the schema in full; a second database holds the old one.
  testing::TempDir old_dir;
  std::unique_ptr<testing::ScratchPostgres> old_postgres;
  const auto old_url = GetParam() == "postgresql"
                           ? DatabaseUrl::parse((old_postgres = std::make_unique<testing::ScratchPostgres>())->url(),
                                                old_dir.path())
                           : DatabaseUrl::parse("sqlite:old.db", old_dir.path());
  {
    auto sql = GetParam() == "postgresql" ? std::make_unique<soci::session>(soci::postgresql, old_url.connect)
                                          : std::make_unique<soci::session>(soci::sqlite3, old_url.connect);
    migrate(*sql, old_url.engine, 12);
    for (const auto& [nik, name] : std::vector<std::pair<std::string, std::string>>{
             {"5108010101900001", "  Ni Luh  PUTU Ayu "}, {"5108010101900002", "Made Made Wirawan"}})
      *sql << "INSERT INTO accounts (nik, name, email, role, created_at) VALUES (:nik, :name, 'x@y.id', 'applicant', 1)",
          soci::use(nik), soci::use(name);
  }
  SociStore migrated(old_url);
  const auto niks = [&](std::string_view text) {
    std::vector<std::string> out;
    migrated.read([&](StoreTransaction& tx) {
      for (const auto& a : tx.accounts().search(text, 50)) out.push_back(a.nik);
    });
    std::sort(out.begin(), out.end());
    return out;
  };
  using Niks = std::vector<std::string>;
  EXPECT_EQ(niks("putu ayu"), (Niks{"5108010101900001"}));
  EXPECT_EQ(niks("luh"), (Niks{"5108010101900001"}));
  EXPECT_EQ(niks("made wira"), (Niks{"5108010101900002"}));
  EXPECT_EQ(niks("made"), (Niks{"5108010101900002"})) << "a name with a word twice comes once";
  EXPECT_EQ(niks("wirawan"), (Niks{"5108010101900002"}));
  EXPECT_EQ(niks("uh p"), Niks{});
}

// A common name part matches a share of the whole country: the search takes `limit` of
// the matches from the index and orders those, rather than sorting every match.
TEST_P(RepositoryTest, SearchByACommonNamePartStopsAtTheLimit) {
  store_->write([&](StoreTransaction& tx) {
    for (int i = 0; i < 40; ++i) {
      auto a = make_account("51080101019" + std::to_string(10000 + i));
      // Inserted in descending order, and "I …" before "Ni …" by name but not by the
      // indexed word: neither insertion nor index order passes for the order by name.
      a.name = std::string(i % 2 ? "I" : "Ni") + " Wayan Sari " + std::string(1, static_cast<char>('Z' - i % 26)) +
               std::to_string(i);
      tx.accounts().insert(a);
    }
    auto other = make_account("5108010101999999");
    other.name = "I Gede Wirawan";
    tx.accounts().insert(other);
  });
  std::vector<Account> found;
  store_->read([&](StoreTransaction& tx) { found = tx.accounts().search("wayan sari", 7); });
  ASSERT_EQ(found.size(), 7u);
  // The first seven of the index's range: the seven smallest rests after "wayan sari".
  std::vector<std::string> rests, shown;
  for (int i = 0; i < 40; ++i) rests.push_back(std::string(1, static_cast<char>('Z' - i % 26)) + std::to_string(i));
  std::sort(rests.begin(), rests.end());
  rests.resize(7);
  for (const auto& a : found) shown.push_back(a.name.substr(a.name.rfind(' ') + 1));
  std::sort(shown.begin(), shown.end());
  EXPECT_EQ(shown, rests);
  EXPECT_TRUE(std::is_sorted(found.begin(), found.end(), [](const Account& x, const Account& y) { return x.name < y.name; }));
  store_->read([&](StoreTransaction& tx) { found = tx.accounts().search("wayan sari", 100); });
  EXPECT_EQ(found.size(), 40u) << "every match when fewer than the limit";
}

// Text is checked where it enters (forms, JSON bodies); what slips past reaches the
// engines, which differ: PostgreSQL refuses bytes that are not UTF-8, or a NUL, and that
// is the caller's input at fault, a 400, never a "database error" 500.
TEST_P(RepositoryTest, TextThatIsNotUtf8IsTheCallersFaultNotTheDatabases) {
  auto a = make_account("5108010101900001");
  a.name = "Ayu \xFF\xFE";
  const auto insert = [&] { store_->write([&](StoreTransaction& tx) { tx.accounts().insert(a); }); };
  const auto search = [&](const std::string& text) {
    std::vector<Account> found;
    store_->read([&](StoreTransaction& tx) { found = tx.accounts().search(text, 10); });
    return found;
  };
  if (GetParam() == "postgresql") {
    testing::expect_error(insert, ErrorKind::invalid_input, "bad_text");
    testing::expect_error([&] { search("ayu\xFF"); }, ErrorKind::invalid_input, "bad_text");
    testing::expect_error([&] { search("\xFF\xFF\xFF"); }, ErrorKind::invalid_input, "bad_text");
    store_->read([&](StoreTransaction& tx) { EXPECT_TRUE(tx.accounts().list().empty()); });
  } else {
    insert();  // SQLite keeps the bytes as given: hence the check at the edge
    EXPECT_EQ(search("ayu \xFF").size(), 1u);
  }
}

TEST_P(RepositoryTest, DuplicateNikIsAConflict) {
  auto a = make_account("5108010101900001");
  store_->write([&](StoreTransaction& tx) { tx.accounts().insert(a); });
  try {
    store_->write([&](StoreTransaction& tx) { tx.accounts().insert(a); });
    FAIL() << "duplicate accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
  }
}

TEST_P(RepositoryTest, RequestTransitionIsCompareAndSet) {
  auto a = make_account("5108010101900001");
  store_->write([&](StoreTransaction& tx) { a.id = tx.accounts().insert(a); });
  const auto id = add_request(a.id);
  bool first = false, second = false;
  store_->write([&](StoreTransaction& tx) {
    first = tx.requests().transition(id, RequestState::submitted, RequestState::approved, "ok", 1700000100);
  });
  store_->write([&](StoreTransaction& tx) {
    second = tx.requests().transition(id, RequestState::submitted, RequestState::rejected, "no", 1700000200);
  });
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
  store_->read([&](StoreTransaction& tx) {
    const auto r = tx.requests().find(id);
    EXPECT_EQ(r->state, RequestState::approved);
    EXPECT_EQ(r->decision_reason, "ok");
    EXPECT_EQ(r->updated_at, 1700000100);
    EXPECT_EQ(tx.requests().list_for_account(a.id).size(), 1u);
  });
}

// A keyed select binds its values by position: `:text` is found whole (not inside
// `:text2`), and a form naming its keys out of order is refused instead of swapping them.
struct NumberRow {
  std::int64_t value = 0;
  void bind_columns(soci::details::prepare_temp_type& statement) { statement, soci::into(value); }
  std::int64_t completed() const { return value; }
};

TEST(KeyedSelect, KeysAreFoundWholeAndBoundInOrder) {
  EXPECT_EQ(placeholder_at("WHERE a = :text2", ":text"), std::string::npos);
  EXPECT_EQ(placeholder_at("WHERE a = :text2 AND b = :text", ":text"), 25u);
  soci::session sql(soci::sqlite3, ":memory:");
  sql << "CREATE TABLE t (n BIGINT, s TEXT)";
  sql << "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'b')";
  PreparedStatements prepared(sql);
  EXPECT_EQ(select_by_keys<NumberRow>(prepared, "SELECT n FROM t WHERE s = :text AND n > :number ORDER BY n", "b",
                                      std::int64_t{2}),
            std::vector<std::int64_t>{3});
  EXPECT_EQ(select_by_keys<NumberRow>(prepared, "SELECT n FROM t WHERE s = :text AND n > :number ORDER BY n", "a",
                                      std::int64_t{0}),
            std::vector<std::int64_t>{1});
  EXPECT_EQ(select_by_keys<NumberRow>(prepared, "SELECT n FROM t WHERE s = :text2 ORDER BY n", "", std::int64_t{0},
                                      "b"),
            (std::vector<std::int64_t>{2, 3}));
  EXPECT_THROW(select_by_keys<NumberRow>(prepared, "SELECT n FROM t WHERE n > :number AND s = :text", "b",
                                         std::int64_t{0}),
               Error);
}

// The verifier's queue is prepared once per connection and run with each page's
// filters: every run answers its own filters, oldest submission first.
TEST_P(RepositoryTest, TheQueueAnswersEachFilterOnARepeatedStatement) {
  std::vector<std::int64_t> people;
  store_->write([&](StoreTransaction& tx) {
    for (const auto* nik : {"5108010101900001", "5108010101900002", "5108010101900003", "5108010101900004"})
      people.push_back(tx.accounts().insert(make_account(nik)));
  });
  const auto waiting = [&](std::int64_t account, Method method, const char* product, std::int64_t submitted_at) {
    CertificateRequest r;
    r.account_id = account;
    r.product_id = product;
    r.method = method;
    r.state = RequestState::submitted;
    r.created_at = r.updated_at = 1700000000;
    r.submitted_at = submitted_at;
    std::int64_t id = 0;
    store_->write([&](StoreTransaction& tx) { id = tx.requests().insert(r); });
    return id;
  };
  const auto late_esign = waiting(people[0], Method::esign, "individual-1y", 1700000300);
  const auto early_lock = waiting(people[1], Method::lock, "individual-1y", 1700000100);
  const auto middle_lock = waiting(people[2], Method::lock, "individual-2y", 1700000200);
  add_request(people[3], RequestState::approved);  // decided: never in the queue
  const auto ids = [&](const QueueFilter& filter) {
    std::vector<std::int64_t> out;
    store_->read([&](StoreTransaction& tx) {
      for (const auto& r : tx.requests().queue(filter)) out.push_back(r.id);
    });
    return out;
  };
  using Ids = std::vector<std::int64_t>;
  EXPECT_EQ(ids({}), (Ids{early_lock, middle_lock, late_esign}));
  EXPECT_EQ(ids({std::nullopt, Method::esign, "", 200}), Ids{late_esign});
  EXPECT_EQ(ids({std::nullopt, std::nullopt, "individual-2y", 200}), Ids{middle_lock});
  EXPECT_EQ(ids({std::nullopt, Method::esign, "individual-2y", 200}), Ids{});
  EXPECT_EQ(ids({std::nullopt, std::nullopt, "", 2}), (Ids{early_lock, middle_lock}));
  EXPECT_EQ(ids({CertificateType::individual, Method::lock, "", 200}), (Ids{early_lock, middle_lock}));
  store_->read([&](StoreTransaction& tx) {
    const auto page = tx.requests().queue({std::nullopt, Method::esign, "", 200});
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].method, Method::esign);
    EXPECT_EQ(page[0].state, RequestState::submitted);
    EXPECT_EQ(page[0].account_id, people[0]);
    EXPECT_EQ(page[0].submitted_at, 1700000300);
  });
  EXPECT_EQ(ids({}), (Ids{early_lock, middle_lock, late_esign}));
}

TEST_P(RepositoryTest, PagesReadApplicantsAndApprovalCountsById) {
  std::vector<std::int64_t> people;
  store_->write([&](StoreTransaction& tx) {
    for (const auto* nik : {"5108010101900001", "5108010101900002", "5108010101900003"})
      people.push_back(tx.accounts().insert(make_account(nik)));
  });
  const std::vector<std::int64_t> requests = {add_request(people[0]), add_request(people[1]), add_request(people[2])};
  store_->write([&](StoreTransaction& tx) {
    tx.requests().add_approval({requests[0], people[1], 1700000100});
    tx.requests().add_approval({requests[0], people[2], 1700000200});
    tx.requests().add_approval({requests[1], people[0], 1700000300});
  });
  // More ids than one statement binds, most of them unknown: the known ones are found in
  // whichever chunk they fall, once each.
  std::vector<std::int64_t> ids;
  for (std::int64_t unknown = 100000; unknown < 101200; ++unknown) ids.push_back(unknown);
  ids.insert(ids.begin(), people[0]);
  ids.insert(ids.begin() + 700, people[1]);
  ids.push_back(people[2]);
  store_->read([&](StoreTransaction& tx) {
    std::vector<std::string> niks;
    for (const auto& a : tx.accounts().find_by_ids(ids)) niks.push_back(a.nik);
    std::sort(niks.begin(), niks.end());
    EXPECT_EQ(niks, (std::vector<std::string>{"5108010101900001", "5108010101900002", "5108010101900003"}));
    EXPECT_TRUE(tx.accounts().find_by_ids({}).empty());

    auto asked = requests;
    asked.push_back(999999);
    const auto counts = tx.requests().approval_counts(asked);
    EXPECT_EQ(counts, (std::map<std::int64_t, std::size_t>{{requests[0], 2}, {requests[1], 1}}));
    EXPECT_TRUE(tx.requests().approval_counts({}).empty());

    // Each is one statement prepared once, run again with other ids: nothing of the
    // last run's rows may come back.
    const auto one = tx.accounts().find_by_ids({people[2]});
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].nik, "5108010101900003");
    EXPECT_TRUE(tx.accounts().find_by_ids({999999, -1}).empty());
    EXPECT_EQ(tx.accounts().find_by_ids({people[1], people[1]}).size(), 1u);
    EXPECT_EQ(tx.requests().approval_counts({requests[1]}), (std::map<std::int64_t, std::size_t>{{requests[1], 1}}));
    EXPECT_TRUE(tx.requests().approval_counts({requests[2]}).empty());
    EXPECT_EQ(tx.requests().approval_counts({requests[2], requests[0]}),
              (std::map<std::int64_t, std::size_t>{{requests[0], 2}}));
  });
}

TEST_P(RepositoryTest, CertificatesEnforceUniqueSerialAndKeyPerAccount) {
  auto a = make_account("5108010101900001");
  store_->write([&](StoreTransaction& tx) { a.id = tx.accounts().insert(a); });
  const auto request = add_request(a.id);
  store_->write([&](StoreTransaction& tx) { tx.certificates().insert(make_certificate(a.id, request, "0A", "k1")); });
  const auto expect_conflict = [&](const CertificateRecord& c) {
    try {
      store_->write([&](StoreTransaction& tx) { tx.certificates().insert(c); });
      ADD_FAILURE() << "accepted " << c.serial_hex << "/" << c.key_sha256;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::conflict);
    }
  };
  expect_conflict(make_certificate(a.id, request, "0A", "k2"));
  expect_conflict(make_certificate(a.id, request, "0B", "k1"));
  store_->read([&](StoreTransaction& tx) {
    EXPECT_EQ(tx.certificates().count(), 1);
    EXPECT_TRUE(tx.certificates().key_used_by_account(a.id, "k1"));
    EXPECT_FALSE(tx.certificates().key_used_by_account(a.id, "k2"));
    EXPECT_EQ(tx.certificates().find_by_serial("0A")->pem, "-----BEGIN CERTIFICATE-----\n...\n");
  });
}

TEST_P(RepositoryTest, SupersedeTouchesOnlyValidCertificatesOfTheType) {
  auto a = make_account("5108010101900001");
  store_->write([&](StoreTransaction& tx) { a.id = tx.accounts().insert(a); });
  const auto request = add_request(a.id);
  auto seal = make_certificate(a.id, request, "03", "k3");
  seal.type = CertificateType::seal;
  store_->write([&](StoreTransaction& tx) {
    tx.certificates().insert(make_certificate(a.id, request, "01", "k1"));
    tx.certificates().insert(make_certificate(a.id, request, "02", "k2"));
    tx.certificates().insert(seal);
  });
  std::vector<std::string> superseded;
  store_->write([&](StoreTransaction& tx) {
    superseded = tx.certificates().supersede(a.id, CertificateType::individual, 1700000500);
  });
  EXPECT_EQ(superseded, (std::vector<std::string>{"01", "02"}));
  store_->read([&](StoreTransaction& tx) {
    EXPECT_EQ(tx.certificates().find_by_serial("01")->status, CertificateStatus::superseded);
    EXPECT_EQ(tx.certificates().find_by_serial("01")->revoked_at, 1700000500);
    EXPECT_EQ(tx.certificates().find_by_serial("03")->status, CertificateStatus::valid);
    EXPECT_EQ(tx.certificates().list_for_account(a.id).size(), 3u);
    EXPECT_EQ(tx.certificates().list(2).size(), 2u);
  });
}

TEST_P(RepositoryTest, BlobsAreContentAddressed) {
  std::string pdf = "%PDF-1.7\n";
  pdf += std::string("\0\x01\xff binary", 10);
  std::string id1, id2;
  store_->write([&](StoreTransaction& tx) {
    id1 = tx.blobs().put("application/pdf", pdf);
    id2 = tx.blobs().put("application/pdf", pdf);
  });
  EXPECT_EQ(id1, id2);
  EXPECT_EQ(id1.size(), 64u);
  store_->read([&](StoreTransaction& tx) {
    const auto blob = tx.blobs().get(id1);
    ASSERT_TRUE(blob);
    EXPECT_EQ(blob->data, pdf);
    EXPECT_EQ(blob->content_type, "application/pdf");
    EXPECT_FALSE(tx.blobs().get(std::string(64, '0')));
  });
}

TEST_P(RepositoryTest, AuditAppendsChainAndVerify) {
  for (int i = 0; i < 5; ++i)
    store_->write([&](StoreTransaction& tx) {
      tx.audit().append({"nik:1", "account.created", "account:" + std::to_string(i), "{}"}, 1700000000 + i);
    });
  AuditChainVerifier verifier;
  AuditVerdict verdict;
  store_->read([&](StoreTransaction& tx) {
    tx.audit().for_each([&](const AuditEvent& e) { verifier.feed(e); });
    const auto [seq, hash] = tx.audit().head();
    EXPECT_EQ(seq, 5);
    verdict = verifier.finish(seq, hash);
    EXPECT_TRUE(tx.audit().has_event_for("account.created", "account:3"));
    EXPECT_FALSE(tx.audit().has_event_for("account.created", "account:9"));
  });
  EXPECT_TRUE(verdict.ok) << verdict.problem;
}

// Appends are sent many rows to a statement: whatever reads the events inside the same
// transaction (a lookup, a count, a walk of the chain) still sees every one appended.
TEST_P(RepositoryTest, ManyAppendsInOneTransactionAreSeenAndChained) {
  constexpr int kEvents = 150;  // more than two statements' worth
  store_->write([&](StoreTransaction& tx) {
    for (int i = 0; i < kEvents; ++i) {
      tx.audit().append({"nik:1", "account.created", "account:" + std::to_string(i), "{}"}, 1700000000 + i);
      if (i == 69) {
        EXPECT_TRUE(tx.audit().has_event_for("account.created", "account:69"));
        EXPECT_EQ(tx.inventory().count().audit_events, 70);
      }
    }
    std::int64_t walked = 0;
    tx.audit().for_each([&](const AuditEvent& e) { EXPECT_EQ(e.seq, ++walked); });
    EXPECT_EQ(walked, kEvents);
  });
  EXPECT_THROW(store_->write([&](StoreTransaction& tx) {
                 tx.audit().append({"nik:1", "account.created", "account:rolled-back", "{}"}, 1700001000);
                 throw Error(ErrorKind::conflict, "test", "rolled back");
               }),
               Error);
  AuditChainVerifier verifier;
  AuditVerdict verdict;
  store_->read([&](StoreTransaction& tx) {
    tx.audit().for_each([&](const AuditEvent& e) { verifier.feed(e); });
    const auto [seq, hash] = tx.audit().head();
    EXPECT_EQ(seq, kEvents);
    verdict = verifier.finish(seq, hash);
    EXPECT_EQ(tx.inventory().count().audit_events, kEvents);
    EXPECT_FALSE(tx.audit().has_event_for("account.created", "account:rolled-back"));
  });
  EXPECT_TRUE(verdict.ok) << verdict.problem;
}

// The cluster's responder key is replaced only by a server that saw the one kept: of
// two renewing at once, the second finds its replacement refused and the first stands.
TEST_P(RepositoryTest, ServiceKeyIsReplacedOnlyOverTheOneSeen) {
  const CaStateRepository::ServiceKey first{"0A", "certificate A", "key A"};
  const CaStateRepository::ServiceKey second{"0B", "certificate B", "key B"};
  const CaStateRepository::ServiceKey rival{"0C", "certificate C", "key C"};
  store_->write([&](StoreTransaction& tx) {
    EXPECT_FALSE(tx.ca_state().service_key("ocsp"));
    EXPECT_TRUE(tx.ca_state().replace_service_key("ocsp", "", first, 1700000000));
    EXPECT_FALSE(tx.ca_state().replace_service_key("ocsp", "", rival, 1700000001));  // someone kept one already
  });
  store_->write([&](StoreTransaction& tx) {
    EXPECT_TRUE(tx.ca_state().replace_service_key("ocsp", "0A", second, 1700000002));
    EXPECT_FALSE(tx.ca_state().replace_service_key("ocsp", "0A", rival, 1700000003));  // 0A is gone
    EXPECT_FALSE(tx.ca_state().service_key("tsa"));
  });
  store_->read([&](StoreTransaction& tx) {
    const auto kept = tx.ca_state().service_key("ocsp");
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->serial, "0B");
    EXPECT_EQ(kept->certificate_pem, "certificate B");
    EXPECT_EQ(kept->encrypted_key_pem, "key B");
  });
}

TEST_P(RepositoryTest, FailedWorkRollsBackCompletely) {
  auto a = make_account("5108010101900001");
  EXPECT_THROW(store_->write([&](StoreTransaction& tx) {
    tx.accounts().insert(a);
    tx.audit().append({"t", "account.created", "account:x", "{}"}, 1);
    throw Error(ErrorKind::policy, "stop", "stop here");
  }),
               Error);
  store_->read([&](StoreTransaction& tx) {
    EXPECT_TRUE(tx.accounts().list().empty());
    EXPECT_EQ(tx.audit().head().first, 0);
  });
}

TEST_P(RepositoryTest, ReopeningKeepsDataAndSchema) {
  auto a = make_account("5108010101900001");
  store_->write([&](StoreTransaction& tx) { tx.accounts().insert(a); });
  store_.reset();
  store_ = std::make_unique<SociStore>(url_);
  store_->read([&](StoreTransaction& tx) { EXPECT_EQ(tx.accounts().list().size(), 1u); });
  EXPECT_EQ(store_->integrity_check(), "ok");
}

INSTANTIATE_TEST_SUITE_P(Engines, RepositoryTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace lontar::storage
