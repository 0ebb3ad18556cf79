#include "core/product.h"

#include <algorithm>
#include <charconv>

#include "core/error.h"

namespace lontar {

const char* to_string(CertificateType type) noexcept {
  return type == CertificateType::seal ? "seal" : "individual";
}

std::optional<CertificateType> parse_certificate_type(std::string_view text) noexcept {
  if (text == "individual") return CertificateType::individual;
  if (text == "seal") return CertificateType::seal;
  return std::nullopt;
}

const char* to_string(Method method) noexcept { return method == Method::esign ? "esign" : "lock"; }

std::optional<Method> parse_method(std::string_view text) noexcept {
  if (text == "lock" || text == "LOCK") return Method::lock;
  if (text == "esign" || text == "eSign") return Method::esign;
  return std::nullopt;
}

const char* display_name(Method method) noexcept { return method == Method::lock ? "LOCK" : "eSign"; }

std::string PublicKeyInfo::describe() const {
  switch (algorithm) {
    case KeyAlgorithm::ec: return "ECDSA " + curve;
    case KeyAlgorithm::rsa: return "RSA " + std::to_string(bits);
    case KeyAlgorithm::other: break;
  }
  return "unsupported key type";
}

namespace {
std::optional<int> parse_int(std::string_view s) {
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}
}  // namespace

std::optional<KeyRule> KeyRule::parse(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto kind = text.substr(0, colon);
  const auto rest = text.substr(colon + 1);
  KeyRule rule;
  if (kind == "ec") {
    if (rest != "P-256" && rest != "P-384" && rest != "P-521") return std::nullopt;
    rule.algorithm = KeyAlgorithm::ec;
    rule.curve = std::string(rest);
    return rule;
  }
  if (kind == "rsa") {
    const auto dash = rest.find('-');
    const auto lo = parse_int(rest.substr(0, dash));
    const auto hi = dash == std::string_view::npos ? lo : parse_int(rest.substr(dash + 1));
    if (!lo || !hi || *lo < 2048 || *hi < *lo || *hi > 16384) return std::nullopt;
    rule.algorithm = KeyAlgorithm::rsa;
    rule.min_bits = *lo;
    rule.max_bits = *hi;
    return rule;
  }
  return std::nullopt;
}

bool KeyRule::allows(const PublicKeyInfo& key) const {
  if (key.algorithm != algorithm) return false;
  if (algorithm == KeyAlgorithm::ec) return key.curve == curve;
  return key.bits >= min_bits && key.bits <= max_bits;
}

std::string KeyRule::describe() const {
  if (algorithm == KeyAlgorithm::ec) return "ECDSA " + curve;
  if (min_bits == max_bits) return "RSA " + std::to_string(min_bits);
  return "RSA " + std::to_string(min_bits) + "-" + std::to_string(max_bits);
}

bool Product::allows_method(Method m) const {
  return std::find(methods.begin(), methods.end(), m) != methods.end();
}

std::string Product::check_key(const PublicKeyInfo& key) const {
  for (const auto& rule : keys)
    if (rule.allows(key)) return {};
  std::string allowed;
  for (const auto& rule : keys) allowed += (allowed.empty() ? "" : ", ") + rule.describe();
  return "The product " + id + " does not accept a " + key.describe() + " key; it accepts " + allowed + ".";
}

const Product* ProductCatalog::find(std::string_view id) const {
  for (const auto& p : products)
    if (p.id == id) return &p;
  return nullptr;
}

const Product& ProductCatalog::require(std::string_view id) const {
  if (const auto* p = find(id)) return *p;
  std::string known;
  for (const auto& p : products) known += (known.empty() ? "" : ", ") + p.id;
  throw Error(ErrorKind::not_found, "unknown_product",
              "There is no product named '" + std::string(id) + "'. Known products: " + known + ".");
}

}  // namespace lontar
