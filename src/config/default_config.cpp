#include <sstream>
#include <string>

#include "config/config.h"

namespace lontar {

namespace {
std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The public checks' limits and the documents' settings, at their defaults.
std::string verification_and_documents_toml() {
  return R"([verification]
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

[documents]
# Every registered signed PDF is kept so that its verification page (the QR code's
# address) can show the pages themselves: "folder" keeps them under DATA/documents,
# "database" in the database (for several servers on one PostgreSQL).
store = "folder"
# What anyone holding a document's code sees: "full" (every page and the download) or
# "summary" (title, signer, time, page count and the first page; the rest for the
# signer and staff). The signer may choose per document.
default_visibility = "full"
# A footer on every signed page, inside the signed revision: signed electronically
# with a certificate of this CA, provable by its QR code, UU ITE Pasal 5 ayat 1.
footer = true
footer_language = "id"   # or "en"
# Page previews, rendered once after registration.
preview_width = 800
preview_max_pages = 50
# Each document's pages are drawn by a child process, killed past these limits (its
# previews are then marked failed; the document stays registered and downloadable).
preview_seconds = 60
preview_memory_mib = 1024
max_pdf_mib = 64

)";
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
        << "\nsubject_serial = \"" << d.serial << "\"\n"
        << "# A renewal with a valid certificate: \"verifier\" queues it, \"automatic\" issues it at once\n"
        << "# when the account is unchanged; accepted from this many days before expiry.\n"
        << "renewal = \"verifier\"\nrenewal_window_days = 60\n";
  }
  return out.str();
}
std::string upstream_toml(const Config& s) {
  const auto& u = s.upstream;
  std::ostringstream out;
  out << R"(
# RA mode: approved requests go to this CA over CMP (cr, signed with ca/ra.key and
# ca/ra.crt, the RA's certificate from that CA); its chain is ca/chain.pem. Revocations
# are told to it as rr. Status and timestamps in signed documents are its own.
[upstream]
name = )" << quote(u.name) << R"(
cmp_url = )" << quote(u.cmp_url) << R"(
ocsp_url = )" << quote(u.ocsp_url) << R"(
crl_url = )" << quote(u.crl_url) << R"(
tsa_url = )" << quote(u.tsa_url) << R"(
# The RA's key in a PKCS#11 token instead of ca/ra.key:
# ra_key = "pkcs11:token=lontar;object=ra;type=private"
timeout_seconds = )" << u.timeout_seconds << R"(
# An upstream that cannot be reached is asked again after this, doubled each time (at
# most an hour); the request stays approved meanwhile.
retry_seconds = )" << u.retry_seconds << R"(

# Each product here → the upstream's name for it (the path's {profile}; "" for the
# address itself, for a CA with one profile).
[upstream.profiles]
)";
  for (const auto& [product, profile] : u.profiles) out << product << " = " << quote(profile) << "\n";
  return out.str();
}
}  // namespace

std::string default_config_toml(const Config& s) {
  std::ostringstream out;
  out << R"(# Lontar configuration. Restart `lontar serve` after changing it.

# "ca": this instance is the certificate authority. "ra": it is the registration
# authority of the CA in [upstream], which issues over CMP.
mode = )" << quote(s.mode) << R"(

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
# Prometheus metrics (GET /metrics) on a listener of their own, apart from the portal's
# so that the public never reaches them: e.g. "127.0.0.1:9464"; "" serves none.
# `lontar serve --metrics-listen HOST:PORT` overrides it.
metrics_listen = ""
# trace, debug, info (one JSON line a request), warn, error or off. `kill -HUP` (or
# `systemctl reload lontar`) applies a change, with [verification]'s two budgets;
# everything else takes effect at the next start.
log_level = "info"
# On SIGTERM, seconds of serving on while /healthz answers 503 "draining", before new
# connections are refused: behind a balancer, its check interval times its fall count.
drain_notice_seconds = 0

[database]
# "sqlite:PATH" (relative to the data folder) or "postgresql://user@host:port/dbname"
url = )" << quote(s.database_url) << R"(
# SQLite only: MiB this process's connections may keep in memory together, page caches
# included (the kernel caches the file too). Takes effect at the next start.
sqlite_memory_mib = )" << s.sqlite_memory_mib << R"(

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

)" << verification_and_documents_toml() << R"([notifications]
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
  if (s.ra_mode()) out << upstream_toml(s);
  return out.str();
}

}  // namespace lontar
