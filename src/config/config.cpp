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
  const auto renewal = r.string_or(t, at, "renewal", "verifier");
  if (renewal == "verifier") p.renewal = RenewalPolicy::verifier;
  else if (renewal == "automatic") p.renewal = RenewalPolicy::automatic;
  else r.fail(at + ".renewal", "must be \"verifier\" or \"automatic\"");
  p.renewal_window_days = static_cast<int>(r.integer(t, at, "renewal_window_days", 1, 3650, 60));
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
  c.metrics_listen = r.string_or(server, "server", "metrics_listen", c.metrics_listen);
  c.log_level = r.string_or(server, "server", "log_level", c.log_level);
  c.drain_notice_seconds =
      static_cast<int>(r.integer(server, "server", "drain_notice_seconds", 0, 300, c.drain_notice_seconds));
  static const std::set<std::string> kLevels{"trace", "debug", "info", "warn", "error", "off"};
  if (!kLevels.contains(c.log_level)) r.fail("server.log_level", "must be trace, debug, info, warn, error or off");
  c.max_connections = static_cast<int>(r.integer(server, "server", "max_connections", 16, 100000, c.max_connections));
  c.max_connections_per_address = static_cast<int>(
      r.integer(server, "server", "max_connections_per_address", 1, 100000, c.max_connections_per_address));
  if (const auto* flag = server.get("behind_tls_proxy")) {
    if (!flag->is_boolean()) r.fail("server.behind_tls_proxy", "must be true or false");
    c.behind_tls_proxy = flag->as_boolean()->get();
  }
  c.database_url = r.string_or(section_of(root, "database"), "database", "url", c.database_url);
  c.sqlite_memory_mib = static_cast<int>(
      r.integer(section_of(root, "database"), "database", "sqlite_memory_mib", 4, 65536, c.sqlite_memory_mib));
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

void read_documents(const Reader& r, const toml::table& root, Config& c) {
  const auto& section = section_of(root, "documents");
  auto& d = c.documents;
  d.store = r.string_or(section, "documents", "store", d.store);
  if (d.store != "folder" && d.store != "database") r.fail("documents.store", "must be \"folder\" or \"database\"");
  d.default_visibility = r.string_or(section, "documents", "default_visibility", d.default_visibility);
  if (d.default_visibility != "full" && d.default_visibility != "summary")
    r.fail("documents.default_visibility", "must be \"full\" or \"summary\"");
  if (const auto* flag = section.get("footer")) {
    if (!flag->is_boolean()) r.fail("documents.footer", "must be true or false");
    d.footer = flag->as_boolean()->get();
  }
  d.footer_language = r.string_or(section, "documents", "footer_language", d.footer_language);
  if (d.footer_language != "id" && d.footer_language != "en")
    r.fail("documents.footer_language", "must be \"id\" or \"en\"");
  d.preview_width = static_cast<int>(r.integer(section, "documents", "preview_width", 200, 2000, d.preview_width));
  d.preview_max_pages =
      static_cast<int>(r.integer(section, "documents", "preview_max_pages", 1, 1000, d.preview_max_pages));
  d.preview_seconds = static_cast<int>(r.integer(section, "documents", "preview_seconds", 1, 3600, d.preview_seconds));
  d.preview_memory_mib =
      static_cast<int>(r.integer(section, "documents", "preview_memory_mib", 128, 65536, d.preview_memory_mib));
  d.max_pdf_bytes = static_cast<std::size_t>(r.integer(section, "documents", "max_pdf_mib", 1, 512, 64)) * 1048576;
}

void read_upstream(const Reader& r, const toml::table& root, Config& c) {
  c.mode = r.string_or(root, "", "mode", c.mode);
  if (c.mode != "ca" && c.mode != "ra") r.fail("mode", "must be \"ca\" or \"ra\"");
  if (!c.ra_mode()) return;
  const auto& section = section_of(root, "upstream");
  auto& u = c.upstream;
  const auto url = [&](const char* key) {
    auto value = r.string_or(section, "upstream", key, "");
    if (!value.starts_with("http://") && !value.starts_with("https://"))
      r.fail(std::string("upstream.") + key, "must be an http:// or https:// address (mode = \"ra\" needs it)");
    return value;
  };
  u.name = r.string_or(section, "upstream", "name", "");
  if (u.name.empty()) r.fail("upstream.name", "must name the CA that issues (shown in the portal)");
  u.cmp_url = url("cmp_url");
  u.ocsp_url = url("ocsp_url");
  u.crl_url = url("crl_url");
  u.tsa_url = url("tsa_url");
  u.ra_key_uri = r.string_or(section, "upstream", "ra_key", "");
  if (!u.ra_key_uri.empty() && !u.ra_key_uri.starts_with("pkcs11:"))
    r.fail("upstream.ra_key", "must be a PKCS#11 URI (pkcs11:token=…;object=…), or left out for ca/ra.key");
  u.timeout_seconds = static_cast<int>(r.integer(section, "upstream", "timeout_seconds", 1, 300, u.timeout_seconds));
  u.retry_seconds = static_cast<int>(r.integer(section, "upstream", "retry_seconds", 1, 3600, u.retry_seconds));
  if (const auto* profiles = section.get_as<toml::table>("profiles"))
    for (const auto& [product, profile] : *profiles) {
      if (!profile.is_string()) r.fail("upstream.profiles." + std::string(product.str()), "must be a string");
      u.profiles.emplace(std::string(product.str()), profile.as_string()->get());
    }
  for (const auto& product : c.catalog.products)
    if (!u.profiles.contains(product.id))
      r.fail("upstream.profiles", "names no upstream profile for the product " + product.id);
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
  read_documents(r, root, c);
  read_products(r, root, c);
  read_upstream(r, root, c);
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

}  // namespace lontar
