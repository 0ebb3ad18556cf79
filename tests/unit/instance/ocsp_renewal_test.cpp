#include <gtest/gtest.h>

#include "crypto/certificate.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

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
}

}  // namespace
}  // namespace lontar
