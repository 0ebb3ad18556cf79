// The issuing key in a PKCS#11 token (SoftHSM) signs from several threads at once:
// 200 issuances from 4 threads, every certificate verifying under the issuing CA.
#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "instance/data_dir.h"
#include "crypto/certificate.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

TEST(HsmConcurrencyTest, FourThreadsIssueWithTheKeyInTheToken) {
  testing::TestInstance software;  // made with a key file, which then moves into the token
  const auto data = software.data();
  const auto tokens = data / "tokens";
  std::filesystem::create_directories(tokens);
  {
    std::ofstream conf(data / "softhsm2.conf");
    conf << "directories.tokendir = " << tokens.string() << "\nobjectstore.backend = file\nlog.level = ERROR\n";
  }
  ::setenv("SOFTHSM2_CONF", (data / "softhsm2.conf").c_str(), 1);
  const auto q = [](const std::filesystem::path& p) { return testing::shell_quote(p.string()); };
  for (const auto& command :
       {std::string("softhsm2-util --init-token --free --label lontar --pin 246810 --so-pin 135790"),
        "umask 077 && openssl pkey -in " + q(data / "ca/issuing.key") + " -passin file:" +
            q(data / "secrets/ca-passphrase") + " -out " + q(data / "plain.pem"),
        "softhsm2-util --import " + q(data / "plain.pem") + " --token lontar --label issuing-ca --id 01 --pin 246810",
        "rm " + q(data / "plain.pem") + " " + q(data / "ca/issuing.key"),
        "printf '246810\\n' > " + q(data / "secrets/hsm-pin"),
        "sed -i '/^timestamp_policy/a issuing_key = \"pkcs11:token=lontar;object=issuing-ca;type=private\"\\n"
        "pkcs11_pin_file = \"secrets/hsm-pin\"' " + q(data / "lontar.toml")}) {
    const auto result = testing::run_command(command);
    ASSERT_EQ(result.status, 0) << command << ": " << result.output;
  }
  OpenOptions open;
  open.load_ca_key = true;
  auto instance = Instance::open(data, open);
  software.add_account("5108010101900010");

  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::string> csrs;
  for (int i = 0; i < kThreads * kEach; ++i)
    csrs.push_back(testing::csr_for(crypto::PrivateKey::generate("ec-p256"), "n" + std::to_string(i)));
  std::vector<std::vector<std::string>> issued(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      auto issuance = instance->issuance();
      for (int i = 0; i < kEach; ++i) try {
          issued[t].push_back(issuance.issue_for_operator({"5108010101900010", "individual-1y", csrs[t * kEach + i], "t"}).pem);
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
    });
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(failures.load(), 0);
  const auto issuer = crypto::Certificate::from_pem(read_file(data / "ca/issuing.crt"));
  int verified = 0;
  for (const auto& list : issued)
    for (const auto& pem : list)
      verified += X509_verify(crypto::Certificate::from_pem(pem).get(), X509_get0_pubkey(issuer.get())) == 1;
  EXPECT_EQ(verified, kThreads * kEach);
}

}  // namespace
}  // namespace lontar
