#include "config/config.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace lontar {
namespace {

std::string error_of(const std::string& toml) {
  try {
    parse_config(toml, "lontar.toml");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
    return e.what();
  }
  return "";
}

const char* kOneProduct = R"(
[[products]]
id = "individual-1y"
type = "individual"
validity_days = 365
keys = ["ec:P-256"]
methods = ["lock"]
approvals = 1
)";

TEST(Config, DefaultsHaveTheSpecProducts) {
  const auto config = parse_config(default_config_toml(Config{}), "defaults");
  ASSERT_EQ(config.catalog.products.size(), 4u);
  const auto& two_year = config.catalog.require("individual-2y");
  EXPECT_EQ(two_year.type, CertificateType::individual);
  EXPECT_EQ(two_year.validity_days, 730);
  EXPECT_EQ(two_year.approvals, 1);
  EXPECT_TRUE(two_year.allows_method(Method::lock));
  EXPECT_TRUE(two_year.allows_method(Method::esign));
  const auto& seal = config.catalog.require("seal-1y");
  EXPECT_EQ(seal.type, CertificateType::seal);
  EXPECT_EQ(seal.approvals, 2);
  EXPECT_NE(seal.check_key({KeyAlgorithm::rsa, 2048, "", ""}), "");
  EXPECT_EQ(seal.check_key({KeyAlgorithm::rsa, 3072, "", ""}), "");
  EXPECT_EQ(config.listen, "127.0.0.1:8080");
}

TEST(Config, SettingsRoundTripThroughTheWrittenFile) {
  Config settings;
  settings.public_url = "https://ca.undiksha.ac.id";
  settings.organisation = "Universitas \"Pendidikan\" Ganesha";
  settings.database_url = "postgresql://lontar@db:5432/lontar";
  settings.sqlite_memory_mib = 48;
  const auto config = parse_config(default_config_toml(settings), "written");
  EXPECT_EQ(config.sqlite_memory_mib, 48);
  EXPECT_EQ(config.public_url, settings.public_url);
  EXPECT_EQ(config.organisation, settings.organisation);
  EXPECT_EQ(config.database_url, settings.database_url);
}

TEST(Config, ErrorsNameTheSetting) {
  EXPECT_EQ(error_of("[server]\nlisten = 5\n" + std::string(kOneProduct)), "lontar.toml: server.listen: must be a string");
  EXPECT_EQ(error_of(""), "lontar.toml: products: at least one [[products]] entry is needed");
  auto bad_key = std::string(kOneProduct);
  bad_key.replace(bad_key.find("ec:P-256"), 8, "ec:P-999");
  EXPECT_EQ(error_of(bad_key),
            "lontar.toml: product individual-1y.keys: 'ec:P-999' is not a key rule; use ec:P-256, ec:P-384 or "
            "rsa:MIN-MAX");
  auto bad_approvals = std::string(kOneProduct);
  bad_approvals.replace(bad_approvals.find("approvals = 1"), 13, "approvals = 3");
  EXPECT_EQ(error_of(bad_approvals), "lontar.toml: product individual-1y.approvals: must be between 1 and 2");
  EXPECT_EQ(error_of(std::string(kOneProduct) + kOneProduct),
            "lontar.toml: products[1].id: 'individual-1y' is defined twice");
  EXPECT_NE(error_of("this is = = not toml").find("lontar.toml: line 1"), std::string::npos);
}

TEST(Config, RaModeRoundTripsAndNeedsItsUpstream) {
  Config settings;
  settings.mode = "ra";
  settings.upstream.name = "CA Nasional";
  settings.upstream.cmp_url = "https://ca.example/.well-known/cmp";
  settings.upstream.ocsp_url = "https://ca.example/ocsp";
  settings.upstream.crl_url = "https://ca.example/crl/root.crl";
  settings.upstream.tsa_url = "https://ca.example/tsa";
  for (const auto* id : {"individual-1y", "individual-2y", "seal-1y", "seal-2y"})
    settings.upstream.profiles.emplace(id, std::string("p-") + id);
  settings.upstream.profiles["seal-2y"] = "";
  const auto config = parse_config(default_config_toml(settings), "written");
  EXPECT_TRUE(config.ra_mode());
  EXPECT_EQ(config.upstream.name, "CA Nasional");
  EXPECT_EQ(config.upstream.cmp_url, settings.upstream.cmp_url);
  EXPECT_EQ(config.upstream.tsa_url, settings.upstream.tsa_url);
  EXPECT_EQ(config.upstream.profiles.at("individual-1y"), "p-individual-1y");
  EXPECT_EQ(config.upstream.profiles.at("seal-2y"), "");
  EXPECT_FALSE(parse_config(default_config_toml(Config{}), "defaults").ra_mode());

  EXPECT_EQ(error_of("mode = \"both\"\n" + std::string(kOneProduct)), "lontar.toml: mode: must be \"ca\" or \"ra\"");
  EXPECT_EQ(error_of("mode = \"ra\"\n" + std::string(kOneProduct)),
            "lontar.toml: upstream.name: must name the CA that issues (shown in the portal)");
  const std::string upstream = "[upstream]\nname = \"X\"\ncmp_url = \"ftp://x\"\n";
  EXPECT_EQ(error_of("mode = \"ra\"\n" + upstream + kOneProduct),
            "lontar.toml: upstream.cmp_url: must be an http:// or https:// address (mode = \"ra\" needs it)");
  const std::string complete = "[upstream]\nname = \"X\"\ncmp_url = \"http://x\"\nocsp_url = \"http://x/ocsp\"\n"
                               "crl_url = \"http://x/crl\"\ntsa_url = \"http://x/tsa\"\n";
  EXPECT_EQ(error_of("mode = \"ra\"\n" + complete + kOneProduct),
            "lontar.toml: upstream.profiles: names no upstream profile for the product individual-1y");
}

TEST(Config, TheIssuingKeyIsAFileOrAPkcs11Uri) {
  EXPECT_EQ(error_of("[ca]\nissuing_key = \"/etc/lontar/issuing.key\"\n" + std::string(kOneProduct)),
            "lontar.toml: ca.issuing_key: must be a PKCS#11 URI (pkcs11:token=…;object=…), or left out for "
            "ca/issuing.key");
  const auto hsm = parse_config("[ca]\nissuing_key = \"pkcs11:token=lontar;object=issuing-ca\"\n"
                                "pkcs11_pin_file = \"secrets/hsm-pin\"\n" + std::string(kOneProduct),
                                "lontar.toml");
  EXPECT_EQ(hsm.issuing_key_uri, "pkcs11:token=lontar;object=issuing-ca");
  EXPECT_EQ(hsm.pkcs11_pin_file, "secrets/hsm-pin");
  EXPECT_EQ(hsm.pkcs11_module, "/usr/lib/softhsm/libsofthsm2.so");
  EXPECT_TRUE(parse_config(kOneProduct, "lontar.toml").issuing_key_uri.empty());
  EXPECT_EQ(error_of("[ca]\ntsa_key = \"tsa.key\"\n" + std::string(kOneProduct)),
            "lontar.toml: ca.tsa_key: must be a PKCS#11 URI (pkcs11:token=…;object=…), or left out for ca/tsa.key");
  EXPECT_EQ(error_of("[ca]\nissuing_key = \"pkcs11:token=lontar;object=ca?pin-value=1234\"\n" + std::string(kOneProduct)),
            "lontar.toml: ca.issuing_key: must not carry the PIN; put it in the file pkcs11_pin_file names");
}

TEST(Config, NonAsciiOnlyInsideStrings) {
  // Found by fuzzing: toml++ 3.3 has undefined behaviour on some of these.
  EXPECT_EQ(error_of("\xef\xb6\xbf"), "lontar.toml: line 1: a non-ASCII character outside a quoted string");
  EXPECT_EQ(error_of("# ok\n[server]\nlisten = 1\xc2\xa0\n"),
            "lontar.toml: line 3: a non-ASCII character outside a quoted string");
  auto accented = std::string("# Komentar: Universitas \xc3\xa9\n[ca]\norganisation = \"Institut \xc3\xa9 \\\" x\"\n") +
                  kOneProduct;
  EXPECT_EQ(parse_config(accented, "t").organisation, "Institut \xc3\xa9 \" x");
}

TEST(Config, RefusesBadOidsAndMethods) {
  auto bad_oid = std::string(kOneProduct) + "policies = [\"1.2.x\"]\n";
  EXPECT_EQ(error_of(bad_oid), "lontar.toml: product individual-1y.policies: '1.2.x' is not a dotted OID");
  auto bad_method = std::string(kOneProduct);
  bad_method.replace(bad_method.find("\"lock\""), 6, "\"fax\"");
  EXPECT_EQ(error_of(bad_method),
            "lontar.toml: product individual-1y.methods: 'fax' is not a method; use \"lock\" or \"esign\"");
}

}  // namespace
}  // namespace lontar
