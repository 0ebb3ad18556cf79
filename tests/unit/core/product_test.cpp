#include "core/product.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace lontar {
namespace {

PublicKeyInfo ec(const std::string& curve) { return {KeyAlgorithm::ec, curve == "P-384" ? 384 : 256, curve, ""}; }
PublicKeyInfo rsa(int bits) { return {KeyAlgorithm::rsa, bits, "", ""}; }

TEST(KeyRule, ParsesCurvesAndRsaRanges) {
  const auto p256 = KeyRule::parse("ec:P-256");
  ASSERT_TRUE(p256);
  EXPECT_TRUE(p256->allows(ec("P-256")));
  EXPECT_FALSE(p256->allows(ec("P-384")));
  const auto range = KeyRule::parse("rsa:2048-4096");
  ASSERT_TRUE(range);
  EXPECT_TRUE(range->allows(rsa(2048)));
  EXPECT_TRUE(range->allows(rsa(4096)));
  EXPECT_FALSE(range->allows(rsa(1024)));
  EXPECT_FALSE(range->allows(rsa(8192)));
  EXPECT_FALSE(range->allows(ec("P-256")));
}

TEST(KeyRule, RefusesNonsense) {
  for (const char* bad : {"", "ec", "ec:secp256k1", "rsa:1024", "rsa:4096-2048", "rsa:abc", "dsa:2048", "rsa:2048-"})
    EXPECT_FALSE(KeyRule::parse(bad)) << bad;
}

TEST(Product, CheckKeyExplainsWhatIsAccepted) {
  Product p;
  p.id = "seal-1y";
  p.keys = {*KeyRule::parse("ec:P-256"), *KeyRule::parse("rsa:3072-4096")};
  EXPECT_EQ(p.check_key(ec("P-256")), "");
  EXPECT_EQ(p.check_key(rsa(2048)),
            "The product seal-1y does not accept a RSA 2048 key; it accepts ECDSA P-256, RSA 3072-4096.");
  EXPECT_NE(p.check_key(ec("secp256k1")).find("ECDSA secp256k1"), std::string::npos);
}

TEST(ProductCatalog, RequireNamesKnownProducts) {
  ProductCatalog catalog;
  for (const char* id : {"individual-1y", "individual-2y"}) {
    Product p;
    p.id = id;
    catalog.products.push_back(p);
  }
  EXPECT_EQ(&catalog.require("individual-2y"), &catalog.products[1]);
  try {
    catalog.require("gold");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::not_found);
    EXPECT_EQ(e.code(), "unknown_product");
    EXPECT_STREQ(e.what(), "There is no product named 'gold'. Known products: individual-1y, individual-2y.");
  }
}

}  // namespace
}  // namespace lontar
