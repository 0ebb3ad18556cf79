#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/document_limits.h"
#include "core/product.h"
#include "core/requests.h"

namespace lontar {

struct NotificationSettings {
  std::string smtp_host;  // empty: notices stay in the outbox
  unsigned short smtp_port = 25;
  std::string from = "lontar@localhost";
};

// Public document checks (verification pages and API, registrations): CPU-heavy and
// anonymous, so they are budgeted per client address and in total.
struct VerificationLimits {
  int per_address_per_minute = 60;
  int at_once = 4;
  // Checks run on their own threads, never on the ones answering requests; more than
  // workers + queue at once are answered 503 with Retry-After.
  int workers = 2;
  int queue = 8;
  DocumentLimits document;  // what one PDF may cost
};

// Registered documents: where they are kept, what the verification page shows, and
// the footer every signed page carries.
struct DocumentSettings {
  std::string store = "folder";  // "folder" (DATA/documents) or "database" (shared by several servers)
  std::string default_visibility = "full";  // "full" or "summary"
  bool footer = true;
  std::string footer_language = "id";  // "id" or "en"
  int preview_width = 800;  // pixels: a phone's screen at twice its density
  int preview_max_pages = 50;
  // Each document is drawn by a child process: killed past these.
  int preview_seconds = 60;
  int preview_memory_mib = 1024;
  std::size_t max_pdf_bytes = 64 * 1048576;
};

// RA mode: this instance registers and vets applicants, and the upstream CA issues
// over CMP (RFC 4210); its CRL, OCSP and timestamps are the upstream's.
struct UpstreamSettings {
  std::string name;      // the CA as the portal names it ("Sertifikat diterbitkan oleh …")
  std::string cmp_url;   // e.g. https://ca.example/.well-known/cmp; "/p/{profile}" is appended
  std::string ocsp_url;  // the upstream's OCSP responder
  std::string crl_url;   // its root CRL (covers the issuing CA), for long-term validation data
  std::string tsa_url;   // its RFC 3161 timestamp authority
  std::string ra_key_uri;  // PKCS#11 URI of the RA's key; "" for ca/ra.key
  std::map<std::string, std::string, std::less<>> profiles;  // product → upstream profile
  int timeout_seconds = 20;
  int retry_seconds = 30;  // the first back-off; doubled per failure, at most an hour
};

struct Config {
  // "ca": this instance issues; "ra": it forwards approved requests to [upstream].
  std::string mode = "ca";
  UpstreamSettings upstream;
  bool ra_mode() const { return mode == "ra"; }
  std::string listen = "127.0.0.1:8080";
  std::string public_url = "http://127.0.0.1:8080";
  // A TLS-terminating proxy is in front (with `serve --allow-plain-http`): the server
  // speaks plain HTTP to it, but cookies are still Secure and HSTS is sent.
  bool behind_tls_proxy = false;
  // GET /metrics (Prometheus) on a listener of its own, "HOST:PORT"; "" serves none.
  std::string metrics_listen;
  // The log's level: trace, debug, info (the access log), warn, error or off.
  // $SPDLOG_LEVEL overrides it at start; SIGHUP applies a changed value.
  std::string log_level = "info";
  // On SIGTERM, seconds of serving on with /healthz answering 503 before the drain, so
  // a balancer's health checks take the server out first.
  int drain_notice_seconds = 0;
  // Open connections in total and per client address (behind a proxy, the proxy is
  // one address: raise the second to match what it may open).
  int max_connections = 1024;
  int max_connections_per_address = 32;
  std::string database_url = "sqlite:lontar.db";  // relative paths are under the data folder
  // What SQLite may keep in memory in this process, all connections together (page
  // caches first give pages back); the kernel's file cache holds the rest of the file.
  int sqlite_memory_mib = 16;
  std::string ca_algorithm = "ec-p256";
  std::string organisation = "Lontar Demo Institution";
  // The TSA policy stated in every timestamp token (a placeholder arc, like the products').
  std::string timestamp_policy = "2.999.1.9";
  // The issuing CA key in a PKCS#11 token instead of ca/issuing.key: an RFC 7512 URI,
  // the token's module, and a file holding the user PIN (relative paths are under the
  // data folder; $LONTAR_HSM_PIN_FILE overrides it).
  std::string issuing_key_uri;
  std::string tsa_key_uri;  // the timestamp authority's key, likewise
  std::string pkcs11_module = "/usr/lib/softhsm/libsofthsm2.so";
  std::string pkcs11_pin_file;
  ProductCatalog catalog;
  RequestPolicy requests;
  NotificationSettings notifications;
  VerificationLimits verification;
  DocumentSettings documents;
};

// Reads a TOML configuration; throws Error(invalid_input) naming the file, the
// setting and what would be accepted.
Config load_config(const std::filesystem::path& file);
Config parse_config(std::string_view toml_text, const std::string& source_name);

// The configuration `lontar init` writes: SPEC §6's default products.
std::string default_config_toml(const Config& settings);

}  // namespace lontar
