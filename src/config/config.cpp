#include <chrono>
#include "config/config.h"

#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "core/error.h"

namespace lontar {

namespace {
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw Error(ErrorKind::invalid_input, "bad_config", source_ + ": " + where + ": " + what);
  }

  std::string string_or(const toml::table& table, const std::string& where, std::string_view key,
                        std::string fallback) const {
    const auto* node = table.get(key);
    if (!node) return fallback;
    if (!node->is_string()) fail(where + "." + std::string(key), "must be a string");
    return node->as_string()->get();
  }

  std::int64_t integer(const toml::table& table, const std::string& where, std::string_view key, std::int64_t lo,
                       std::int64_t hi) const {
    const auto* node = table.get(key);
    if (!node || !node->is_integer()) fail(where + "." + std::string(key), "must be a whole number");
    const auto value = node->as_integer()->get();
    if (value < lo || value > hi)
      fail(where + "." + std::string(key), "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return value;
  }
  std::int64_t integer(const toml::table& table, const std::string& where, std::string_view key, std::int64_t lo,
                       std::int64_t hi, std::int64_t fallback) const {
    return table.contains(key) ? integer(table, where, key, lo, hi) : fallback;
  }

  std::vector<std::string> strings(const toml::table& table, const std::string& where, std::string_view key,
                                   bool required) const {
    std::vector<std::string> out;
    const auto* node = table.get(key);
    if (!node) {
      if (required) fail(where + "." + std::string(key), "is missing");
      return out;
    }
    const auto* array = node->as_array();
    if (!array) fail(where + "." + std::string(key), "must be a list of strings");
    for (const auto& item : *array) {
      if (!item.is_string()) fail(where + "." + std::string(key), "must be a list of strings");
      out.push_back(item.as_string()->get());
    }
    return out;
  }

 private:
  std::string source_;
};

bool is_dotted_oid(const std::string& text) {
  if (text.empty() || text.front() == '.' || text.back() == '.' || text.find("..") != std::string::npos) return false;
  return text.find_first_not_of("0123456789.") == std::string::npos && text.find('.') != std::string::npos;
}

// toml++ 3.3 reaches __builtin_unreachable() (undefined behaviour) on some non-ASCII
// characters outside strings, as fuzzing showed; TOML allows none there anyway, so
// they are refused before the parser sees them. Returns the line of the first one.
std::optional<std::size_t> non_ascii_outside_strings(std::string_view text) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
    } else if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const bool multi = text.substr(i, 3) == std::string(3, c);
      const std::string close = multi ? std::string(3, c) : std::string(1, c);
      i += close.size();
      while (i < text.size() && text.substr(i, close.size()) != close) {
        if (text[i] == '\n') {
          if (!multi) break;  // an unterminated string: the parser will say so
          ++line;
        }
        if (c == '"' && text[i] == '\\') ++i;  // skip the escaped character
        ++i;
      }
      i += close.size() - 1;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return line;
    }
  }
  return std::nullopt;
}

Product read_product(const Reader& r, const toml::table& t, const std::string& where) {
  Product p;
  p.id = r.string_or(t, where, "id", "");
  if (p.id.empty() || p.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
    r.fail(where + ".id", "must be lower-case letters, digits and dashes");
  const std::string at = "product " + p.id;
  p.display_name = r.string_or(t, at, "name", p.id);
  p.display_name_id = r.string_or(t, at, "name_id", "");
  const auto type = parse_certificate_type(r.string_or(t, at, "type", ""));
  if (!type) r.fail(at + ".type", "must be \"individual\" or \"seal\"");
  p.type = *type;
  p.validity_days = static_cast<int>(r.integer(t, at, "validity_days", 1, 3650));
  for (const auto& text : r.strings(t, at, "keys", true)) {
    const auto rule = KeyRule::parse(text);
    if (!rule) r.fail(at + ".keys", "'" + text + "' is not a key rule; use ec:P-256, ec:P-384 or rsa:MIN-MAX");
    p.keys.push_back(*rule);
  }
  if (p.keys.empty()) r.fail(at + ".keys", "must allow at least one kind of key");
  p.extended_key_usages = r.strings(t, at, "extended_key_usages", false);
  for (const auto& oid : p.extended_key_usages)
    if (!is_dotted_oid(oid)) r.fail(at + ".extended_key_usages", "'" + oid + "' is not a dotted OID");
  p.policy_oids = r.strings(t, at, "policies", false);
  for (const auto& oid : p.policy_oids)
    if (!is_dotted_oid(oid)) r.fail(at + ".policies", "'" + oid + "' is not a dotted OID");
  for (const auto& text : r.strings(t, at, "methods", true)) {
    const auto method = parse_method(text);
    if (!method) r.fail(at + ".methods", "'" + text + "' is not a method; use \"lock\" or \"esign\"");
    p.methods.push_back(*method);
  }
  if (p.methods.empty()) r.fail(at + ".methods", "must allow at least one method");
  p.approvals = static_cast<int>(r.integer(t, at, "approvals", 1, 2));
  const auto serial = r.string_or(t, at, "subject_serial", "nik");
  if (serial == "nik") p.subject_serial = SubjectSerial::nik;
  else if (serial == "staff_number") p.subject_serial = SubjectSerial::staff_number;
  else if (serial == "none") p.subject_serial = SubjectSerial::none;
  else r.fail(at + ".subject_serial", "must be \"nik\", \"staff_number\" or \"none\"");
  return p;
}
}  // namespace

namespace {
const toml::table& section_of(const toml::table& root, std::string_view name) {
  static const toml::table empty;
  const auto* t = root.get_as<toml::table>(name);
  return t ? *t : empty;
}

void read_server_and_ca(const Reader& r, const toml::table& root, Config& c) {
  const auto& server = section_of(root, "server");
  const auto& ca = section_of(root, "ca");
  c.listen = r.string_or(server, "server", "listen", c.listen);
  c.public_url = r.string_or(server, "server", "public_url", c.public_url);
  c.max_connections = static_cast<int>(r.integer(server, "server", "max_connections", 16, 100000, c.max_connections));
  c.max_connections_per_address = static_cast<int>(
      r.integer(server, "server", "max_connections_per_address", 1, 100000, c.max_connections_per_address));
  if (const auto* flag = server.get("behind_tls_proxy")) {
    if (!flag->is_boolean()) r.fail("server.behind_tls_proxy", "must be true or false");
    c.behind_tls_proxy = flag->as_boolean()->get();
  }
  c.database_url = r.string_or(section_of(root, "database"), "database", "url", c.database_url);
  c.ca_algorithm = r.string_or(ca, "ca", "algorithm", c.ca_algorithm);
  c.organisation = r.string_or(ca, "ca", "organisation", c.organisation);
  c.timestamp_policy = r.string_or(ca, "ca", "timestamp_policy", c.timestamp_policy);
  if (!is_dotted_oid(c.timestamp_policy)) r.fail("ca.timestamp_policy", "must be a dotted OID");
  // A key in a PKCS#11 token, named by an RFC 7512 URI; the PIN stays out of it
  // (URIs end up in error messages and logs), in pkcs11_pin_file.
  const auto token_key = [&](const char* key, const char* file) {
    auto uri = r.string_or(ca, "ca", key, "");
    if (!uri.empty() && !uri.starts_with("pkcs11:"))
      r.fail(std::string("ca.") + key,
             std::string("must be a PKCS#11 URI (pkcs11:token=…;object=…), or left out for ") + file);
    if (uri.find("pin-") != std::string::npos)
      r.fail(std::string("ca.") + key, "must not carry the PIN; put it in the file pkcs11_pin_file names");
    return uri;
  };
  c.issuing_key_uri = token_key("issuing_key", "ca/issuing.key");
  c.tsa_key_uri = token_key("tsa_key", "ca/tsa.key");
  c.pkcs11_module = r.string_or(ca, "ca", "pkcs11_module", c.pkcs11_module);
  c.pkcs11_pin_file = r.string_or(ca, "ca", "pkcs11_pin_file", "");
}

void read_requests_and_notices(const Reader& r, const toml::table& root, Config& c) {
  const auto& requests = section_of(root, "requests");
  const auto& notices = section_of(root, "notifications");
  c.requests.token_lifetime = std::chrono::hours(r.integer(requests, "requests", "token_lifetime_hours", 1, 720, 24));
  c.requests.letter_max_bytes =
      static_cast<std::size_t>(r.integer(requests, "requests", "letter_max_mib", 1, 50, 5)) * 1048576;
  c.requests.agreement_version = r.string_or(requests, "requests", "agreement_version", c.requests.agreement_version);
  c.requests.esign_attempts =
      static_cast<int>(r.integer(requests, "requests", "esign_passphrase_attempts", 1, 100, c.requests.esign_attempts));
  c.notifications.smtp_host = r.string_or(notices, "notifications", "smtp_host", "");
  c.notifications.smtp_port =
      static_cast<unsigned short>(r.integer(notices, "notifications", "smtp_port", 1, 65535, 25));
  c.notifications.from = r.string_or(notices, "notifications", "from", c.notifications.from);
}

void read_verification(const Reader& r, const toml::table& root, Config& c) {
  const auto limit = [&](const char* key, std::int64_t low, std::int64_t high, std::int64_t fallback) {
    return r.integer(section_of(root, "verification"), "verification", key, low, high, fallback);
  };
  c.verification.per_address_per_minute = static_cast<int>(limit("per_address_per_minute", 1, 100000, 60));
  c.verification.at_once = static_cast<int>(limit("at_once", 1, 256, 4));
  c.verification.workers = static_cast<int>(limit("workers", 1, 64, 2));
  c.verification.queue = static_cast<int>(limit("queue", 0, 1024, 8));
  auto& document = c.verification.document;
  document.max_objects = static_cast<std::size_t>(limit("max_objects", 100, 10'000'000, 50'000));
  document.max_tokens = static_cast<std::size_t>(limit("max_tokens", 1000, 100'000'000, 250'000));
  document.max_stream_bytes = static_cast<std::size_t>(limit("max_stream_mib", 1, 1024, 32)) * 1048576;
  document.max_decoded_bytes = static_cast<std::size_t>(limit("max_decoded_mib", 1, 4096, 96)) * 1048576;
  document.max_filters = static_cast<int>(limit("max_filters", 1, 8, 2));
  document.max_signatures = static_cast<std::size_t>(limit("max_signatures", 1, 1000, 40));
  document.max_dss_entries = static_cast<std::size_t>(limit("max_dss_entries", 10, 100'000, 1'000));
  document.max_time = std::chrono::milliseconds(limit("max_seconds", 1, 600, 10) * 1000);
}

void read_products(const Reader& r, const toml::table& root, Config& c) {
  const auto* products = root.get_as<toml::array>("products");
  if (!products || products->empty()) r.fail("products", "at least one [[products]] entry is needed");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < products->size(); ++i) {
    const auto* table = products->get(i)->as_table();
    const std::string where = "products[" + std::to_string(i) + "]";
    if (!table) r.fail(where, "must be a table");
    auto product = read_product(r, *table, where);
    if (!seen.insert(product.id).second) r.fail(where + ".id", "'" + product.id + "' is defined twice");
    c.catalog.products.push_back(std::move(product));
  }
}
}  // namespace

Config parse_config(std::string_view toml_text, const std::string& source_name) {
  const Reader r(source_name);
  if (const auto line = non_ascii_outside_strings(toml_text))
    r.fail("line " + std::to_string(*line), "a non-ASCII character outside a quoted string");
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << "line " << e.source().begin.line;
    r.fail(where.str(), std::string(e.description()));
  }
  Config c;
  read_server_and_ca(r, root, c);
  read_requests_and_notices(r, root, c);
  read_verification(r, root, c);
  read_products(r, root, c);
  return c;
}

Config load_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw Error(ErrorKind::invalid_input, "no_config",
                "Cannot read " + file.string() + "; run 'lontar init --data DIR' first.");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), file.string());
}

namespace {
std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string default_products_toml() {
  std::ostringstream out;
  struct Default {
    const char* id;
    const char* name;
    const char* name_id;
    const char* type;
    int days;
    const char* keys;
    const char* ekus;
    const char* policy;
    int approvals;
    const char* serial;
  };
  const Default defaults[] = {
      {"individual-1y", "Individual, 1 year", "Perorangan, 1 tahun", "individual", 365, R"("ec:P-256", "ec:P-384", "rsa:2048-4096")",
       R"("1.3.6.1.5.5.7.3.36", "1.3.6.1.5.5.7.3.4")", "2.999.1.1", 1, "nik"},
      {"individual-2y", "Individual, 2 years", "Perorangan, 2 tahun", "individual", 730, R"("ec:P-256", "ec:P-384", "rsa:2048-4096")",
       R"("1.3.6.1.5.5.7.3.36", "1.3.6.1.5.5.7.3.4")", "2.999.1.1", 1, "nik"},
      {"seal-1y", "Electronic seal, 1 year", "Segel elektronik, 1 tahun", "seal", 365, R"("ec:P-256", "ec:P-384", "rsa:3072-4096")",
       R"("1.3.6.1.5.5.7.3.36", "1.3.6.1.5.5.7.3.4")", "2.999.1.2", 2, "none"},
      {"seal-2y", "Electronic seal, 2 years", "Segel elektronik, 2 tahun", "seal", 730, R"("ec:P-256", "ec:P-384", "rsa:3072-4096")",
       R"("1.3.6.1.5.5.7.3.36", "1.3.6.1.5.5.7.3.4")", "2.999.1.2", 2, "none"},
  };
  for (const auto& d : defaults) {
    out << "\n[[products]]\nid = \"" << d.id << "\"\nname = \"" << d.name << "\"\nname_id = \"" << d.name_id
        << "\"\ntype = \"" << d.type
        << "\"\nvalidity_days = " << d.days << "\nkeys = [" << d.keys << "]\nextended_key_usages = [" << d.ekus
        << "]\npolicies = [\"" << d.policy << "\"]\nmethods = [\"lock\", \"esign\"]\napprovals = " << d.approvals
        << "\nsubject_serial = \"" << d.serial << "\"\n";
  }
  return out.str();
}
}  // namespace

std::string default_config_toml(const Config& s) {
  std::ostringstream out;
  out << R"(# Lontar configuration. Restart `lontar serve` after changing it.

[server]
listen = )" << quote(s.listen) << R"(
# The base URL that relying parties reach; it goes into every certificate
# (CRL distribution point, OCSP and CA issuer addresses).
public_url = )" << quote(s.public_url) << R"(
# true when a TLS-terminating proxy is in front and `lontar serve --allow-plain-http`
# listens behind it: cookies stay Secure and HSTS is sent.
behind_tls_proxy = false
# Open connections in total, and from one client address (a proxy in front counts as
# one address: raise this to what it may open).
max_connections = 1024
max_connections_per_address = 32

[database]
# "sqlite:PATH" (relative to the data folder) or "postgresql://user@host:port/dbname"
url = )" << quote(s.database_url) << R"(

[ca]
algorithm = )" << quote(s.ca_algorithm) << R"(
organisation = )" << quote(s.organisation) << R"(
# The policy OID stated in timestamp tokens (RFC 3161); replace with your own arc.
timestamp_policy = "2.999.1.9"
# To keep the issuing CA key in an HSM instead of ca/issuing.key, import it into a
# PKCS#11 token and name it here (see the README):
# issuing_key = "pkcs11:token=lontar;object=issuing-ca;type=private"
# tsa_key = "pkcs11:token=lontar;object=tsa;type=private"
# pkcs11_module = "/usr/lib/softhsm/libsofthsm2.so"
# pkcs11_pin_file = "secrets/hsm-pin"

[requests]
# How long a LOCK CSR token stays usable, and the largest recommendation letter.
token_lifetime_hours = 24
letter_max_mib = 5
# Recorded with every acceptance of the subscriber agreement; raise it when the text changes.
agreement_version = "2026-01"
# Wrong eSign passphrases in a row before the key is locked (the holder is told; the
# helpdesk releases it).
esign_passphrase_attempts = 5

[verification]
# Anyone may check a PDF (or register one signed with lontar-lock); each check parses
# the file and its signatures. Per client address per minute, and at the same time.
per_address_per_minute = 60
at_once = 4
# Checks run on their own threads (workers); beyond workers + queue waiting, 503.
workers = 2
queue = 8
# What one PDF may cost; past a limit the check answers 422 naming it.
max_objects = 50000
max_tokens = 250000      # numbers, names, strings… qpdf would parse (each costs memory)
max_stream_mib = 32      # decoded size of one stream
max_decoded_mib = 96     # decoded size of all streams of one check
max_filters = 2          # filters chained on one stream
max_signatures = 40
max_dss_entries = 1000   # certificates, OCSP answers and CRLs in the validation data
max_seconds = 10

[notifications]
# An SMTP relay for notices (submitted, approved, rejected, issued, expiring). Empty:
# notices wait in the outbox table until a relay is configured.
smtp_host = ""
smtp_port = 25
from = "lontar@localhost"

# Certificate products (SPEC §6). Policy OIDs under 2.999 are placeholders from the
# ITU-T example arc: an institution replaces them with OIDs from its own arc.
# Extended key usages: 1.3.6.1.5.5.7.3.36 document signing (RFC 9336),
# 1.3.6.1.5.5.7.3.4 e-mail protection. Seals carry e-mail protection too: NSS-based
# validators (poppler's pdfsig, Firefox's PDF viewer) check signers for that usage.
)";
  out << default_products_toml();
  return out.str();
}

}  // namespace lontar
