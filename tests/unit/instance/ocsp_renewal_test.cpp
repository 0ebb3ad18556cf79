#include <gtest/gtest.h>

#include <thread>

#include "crypto/ca_hierarchy.h"
#include "crypto/certificate.h"
#include "jobs/background_jobs.h"
#include "status/status_services.h"
#include "support/expect_error.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

int events_named(Instance& instance, const std::string& action) {
  int count = 0;
  instance.store().read([&](StoreTransaction& tx) {
    tx.audit().for_each([&](const AuditEvent& e) { count += e.action == action; });
  });
  return count;
}

std::optional<CaStateRepository::ServiceKey> shared_responder(Instance& instance) {
  std::optional<CaStateRepository::ServiceKey> kept;
  instance.store().read([&](StoreTransaction& tx) { kept = tx.ca_state().service_key("ocsp"); });
  return kept;
}

// A responder `issuing` signs at `at`, its key encrypted for `instance`, kept as the cluster's.
CaStateRepository::ServiceKey keep_responder(Instance& instance, const crypto::Signer& issuing, TimePoint at) {
  crypto::CaHierarchyOptions options;
  options.algorithm = instance.config().ca_algorithm;
  options.organisation = instance.config().organisation;
  SystemRandom random;
  auto responder = crypto::issue_ocsp_responder(options, issuing, at, random);
  const CaStateRepository::ServiceKey key{responder.certificate.serial_hex(), responder.certificate.pem(),
                                          responder.key.to_encrypted_pem(read_secret_file(instance.dir().demo_passphrase()))};
  const auto replaced = shared_responder(instance);
  instance.store().write([&](StoreTransaction& tx) {
    EXPECT_TRUE(tx.ca_state().replace_service_key("ocsp", replaced ? replaced->serial : "", key, to_unix(at)));
  });
  return key;
}

TEST(OcspRenewal, ResponderCertificateIsRenewedBeforeItExpires) {
  testing::TestInstance test;
  auto& instance = test.instance();
  const auto before = instance.ocsp_signer();
  const auto not_after = before->certificate().not_after();

  EXPECT_FALSE(instance.renew_ocsp_if_needed(std::chrono::system_clock::now()));
  EXPECT_EQ(instance.ocsp_signer(), before);

  // Ten days before expiry is inside the last third of a 90-day lifetime.
  const auto renewal_time = not_after - std::chrono::days{10};
  ASSERT_TRUE(instance.renew_ocsp_if_needed(renewal_time));
  const auto after = instance.ocsp_signer();
  EXPECT_NE(after, before);
  EXPECT_GT(after->certificate().not_after(), not_after);
  EXPECT_NE(after->certificate().serial_hex(), before->certificate().serial_hex());
  // The old signer stays usable by whoever still holds it.
  EXPECT_FALSE(before->certificate().serial_hex().empty());

  // The new pair is on disk, encrypted, and chains to the issuing CA.
  const auto on_disk = crypto::Certificate::from_pem(read_file(instance.dir().certificate("ocsp")));
  EXPECT_EQ(on_disk.serial_hex(), after->certificate().serial_hex());
  const auto d = test.data().string();
  EXPECT_EQ(testing::run_command("openssl verify -attime " + std::to_string(to_unix(renewal_time) + 60) + " -CAfile " + d + "/ca/root.crt -untrusted " + d + "/ca/issuing.crt " +
                                 d + "/ca/ocsp.crt")
                .output,
            d + "/ca/ocsp.crt: OK\n");
  EXPECT_NE(testing::run_command("openssl x509 -noout -text -in " + d + "/ca/ocsp.crt").output.find("OCSP No Check"),
            std::string::npos);
  EXPECT_TRUE(read_file(instance.dir().key("ocsp")).starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  instance.store().read([&](StoreTransaction& tx) {
    EXPECT_TRUE(tx.audit().has_event_for("ocsp.responder_renewed", "ca:ocsp"));
  });
  // Kept in the database for the other servers of a cluster.
  const auto kept = shared_responder(instance);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->serial, after->certificate().serial_hex());
}

// Three servers' worth of jobs on one database: the one holding the jobs' lease renews
// the responder once; the others take it from the database when they see the status
// change, so every server answers OCSP with the same responder.
TEST(OcspRenewal, OneServerOfAClusterRenewsAndTheOthersAdoptItsResponder) {
  testing::TestInstance test;
  OpenOptions open;
  open.load_ca_key = true;
  std::vector<std::unique_ptr<Instance>> others;
  others.push_back(Instance::open(test.data(), open));
  others.push_back(Instance::open(test.data(), open));
  std::vector<Instance*> servers{&test.instance(), others[0].get(), others[1].get()};

  // Eighty days into a ninety-day lifetime: due for renewal now.
  const auto ageing = keep_responder(test.instance(), test.instance().issuing_signer(),
                                     std::chrono::system_clock::now() - std::chrono::days{80});
  for (auto* server : servers) {
    ASSERT_TRUE(server->adopt_shared_ocsp());
    EXPECT_EQ(server->ocsp_signer()->certificate().serial_hex(), ageing.serial);
  }
  {
    std::vector<std::unique_ptr<BackgroundJobs>> jobs;
    for (auto* server : servers)
      jobs.push_back(std::make_unique<BackgroundJobs>(*server, BackgroundOptions{.period = std::chrono::milliseconds{20}}));
    for (int wait = 0; wait < 500 && shared_responder(test.instance())->serial == ageing.serial; ++wait)
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
    std::this_thread::sleep_for(std::chrono::milliseconds{300});  // many more rounds on every server
  }
  EXPECT_EQ(events_named(test.instance(), "ocsp.responder_renewed"), 1);
  const auto renewed = shared_responder(test.instance());
  ASSERT_TRUE(renewed);
  EXPECT_NE(renewed->serial, ageing.serial);
  for (auto* server : servers) {
    StatusServices status(*server, StatusOptions{});
    EXPECT_EQ(server->ocsp_signer()->certificate().serial_hex(), renewed->serial);
  }
  EXPECT_EQ(crypto::Certificate::from_pem(read_file(test.instance().dir().certificate("ocsp"))).serial_hex(),
            renewed->serial);
  // A server started later opens with the cluster's responder.
  EXPECT_EQ(Instance::open(test.data(), open)->ocsp_signer()->certificate().serial_hex(), renewed->serial);
}

// A server whose lease ran out mid-renewal finds the responder already replaced: it
// takes that one instead of renewing again.
TEST(OcspRenewal, AServerThatSeesANewerResponderAdoptsItInsteadOfRenewing) {
  testing::TestInstance test;
  OpenOptions open;
  open.load_ca_key = true;
  auto late = Instance::open(test.data(), open);
  keep_responder(test.instance(), test.instance().issuing_signer(), std::chrono::system_clock::now() - std::chrono::days{80});
  ASSERT_TRUE(late->adopt_shared_ocsp());
  ASSERT_TRUE(test.instance().renew_ocsp_if_needed(std::chrono::system_clock::now()));
  EXPECT_TRUE(late->renew_ocsp_if_needed(std::chrono::system_clock::now()));  // adopted, not renewed
  EXPECT_EQ(late->ocsp_signer()->certificate().serial_hex(), test.instance().ocsp_signer()->certificate().serial_hex());
  EXPECT_EQ(events_named(test.instance(), "ocsp.responder_renewed"), 1);
}

// A folder from before the responder was shared: the lease holder's own becomes the
// cluster's, once.
TEST(OcspRenewal, TheFirstLeaseHolderSharesItsOwnResponder) {
  testing::TestInstance test;
  auto& instance = test.instance();
  ASSERT_FALSE(shared_responder(instance));
  EXPECT_FALSE(instance.renew_ocsp_if_needed(std::chrono::system_clock::now()));
  EXPECT_FALSE(instance.renew_ocsp_if_needed(std::chrono::system_clock::now()));
  const auto kept = shared_responder(instance);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->serial, instance.ocsp_signer()->certificate().serial_hex());
  EXPECT_EQ(kept->encrypted_key_pem, read_file(instance.dir().key("ocsp")));
  EXPECT_EQ(events_named(instance, "ocsp.responder_shared"), 1);
  EXPECT_EQ(events_named(instance, "ocsp.responder_renewed"), 0);
}

// Whoever can write the database cannot make the servers answer OCSP with a responder
// another CA signed.
TEST(OcspRenewal, AResponderAnotherCaSignedIsNotAdopted) {
  testing::TestInstance test;
  testing::TestInstance other_ca;
  auto& instance = test.instance();
  const auto before = instance.ocsp_signer();
  keep_responder(instance, other_ca.instance().issuing_signer(), std::chrono::system_clock::now());
  testing::expect_error([&] { instance.adopt_shared_ocsp(); }, ErrorKind::internal, "foreign_ocsp_responder");
  EXPECT_EQ(instance.ocsp_signer(), before);
  EXPECT_EQ(crypto::Certificate::from_pem(read_file(instance.dir().certificate("ocsp"))).serial_hex(),
            before->certificate().serial_hex());
}

// Another key this CA certified (the timestamp authority's, its key under the same
// passphrase in ca/) is not a responder: copying it into the database makes nothing.
TEST(OcspRenewal, ACertificateOfThisCaWithoutOcspSigningIsNotAdopted) {
  testing::TestInstance test;
  auto& instance = test.instance();
  const auto before = instance.ocsp_signer();
  const auto tsa = crypto::Certificate::from_pem(read_file(instance.dir().certificate("tsa")));
  const CaStateRepository::ServiceKey key{tsa.serial_hex(), tsa.pem(), read_file(instance.dir().key("tsa"))};
  instance.store().write([&](StoreTransaction& tx) {
    EXPECT_TRUE(tx.ca_state().replace_service_key("ocsp", "", key, to_unix(std::chrono::system_clock::now())));
  });
  testing::expect_error([&] { instance.adopt_shared_ocsp(); }, ErrorKind::internal, "foreign_ocsp_responder");
  EXPECT_EQ(instance.ocsp_signer(), before);
  testing::expect_error([&] { instance.open_every_key(read_secret_file(instance.dir().demo_passphrase())); },
                        ErrorKind::policy, "key_does_not_open");
}

// A kept responder that has expired (a cluster stopped for longer than its lifetime) is
// not taken: answers it signed would be refused by every client.
TEST(OcspRenewal, AnExpiredResponderIsNotAdopted) {
  testing::TestInstance test;
  auto& instance = test.instance();
  const auto before = instance.ocsp_signer();
  keep_responder(instance, instance.issuing_signer(), std::chrono::system_clock::now() - std::chrono::days{100});
  testing::expect_error([&] { instance.adopt_shared_ocsp(); }, ErrorKind::internal, "expired_ocsp_responder");
  EXPECT_EQ(instance.ocsp_signer(), before);
}

// The lease holder does not leave an unusable responder in the database (every server
// would keep its own for good): it puts its own in its place, once.
TEST(OcspRenewal, TheLeaseHolderReplacesAForeignOrExpiredResponder) {
  testing::TestInstance test;
  testing::TestInstance other_ca;
  auto& instance = test.instance();
  const auto own = instance.ocsp_signer()->certificate().serial_hex();
  const auto foreign = keep_responder(instance, other_ca.instance().issuing_signer(), std::chrono::system_clock::now());
  EXPECT_FALSE(instance.renew_ocsp_if_needed(std::chrono::system_clock::now()));
  ASSERT_TRUE(shared_responder(instance));
  EXPECT_EQ(shared_responder(instance)->serial, own);
  EXPECT_EQ(instance.ocsp_signer()->certificate().serial_hex(), own);
  EXPECT_EQ(events_named(instance, "ocsp.responder_shared"), 1);
  EXPECT_FALSE(instance.renew_ocsp_if_needed(std::chrono::system_clock::now()));
  EXPECT_EQ(events_named(instance, "ocsp.responder_shared"), 1);

  keep_responder(instance, instance.issuing_signer(), std::chrono::system_clock::now() - std::chrono::days{100});
  EXPECT_FALSE(instance.renew_ocsp_if_needed(std::chrono::system_clock::now()));
  EXPECT_EQ(shared_responder(instance)->serial, own);
  EXPECT_EQ(events_named(instance, "ocsp.responder_shared"), 2);
  EXPECT_NE(foreign.serial, own);

  // A server opened while the kept responder is foreign still starts, on its own responder.
  keep_responder(instance, other_ca.instance().issuing_signer(), std::chrono::system_clock::now());
  OpenOptions open;
  open.load_ca_key = true;
  EXPECT_EQ(Instance::open(test.data(), open)->ocsp_signer()->certificate().serial_hex(), own);
}

}  // namespace
}  // namespace lontar
