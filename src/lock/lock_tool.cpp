#include "lock/lock_tool.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/encoding.h"
#include "core/error.h"
#include "core/password.h"
#include "crypto/certificate.h"
#include "crypto/csr.h"
#include "crypto/holder_files.h"
#include "crypto/private_key.h"
#include "lock/api_call.h"
#include "lock/terminal.h"
#include "pdf/letter_inspector.h"

namespace lontar::lock {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
std::string first_line(const std::string& text) {
  auto line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

bool is_final(const std::string& state) {
  return state == "issued" || state == "rejected" || state == "cancelled" || state == "expired";
}
}  // namespace

LockTool::LockTool(Options options)
    : options_(std::move(options)),
      lang_(choose_lang(options_.lang)),
      keystore_(options_.keystore.empty() ? Keystore::default_root() : fs::path(options_.keystore)) {}

namespace {
// Refusals in the reader's language: the address is checked before anything is asked.
HttpClient make_client(Lang lang, const std::string& server, const std::string& ca_file, bool insecure_http) {
  if (!ca_file.empty() && !fs::exists(ca_file)) throw Failure(say(lang, "ca_file_missing") + ": " + ca_file);
  try {
    return HttpClient(ServerAddress::parse(server), ca_file, insecure_http);
  } catch (const TrustError&) {
    throw Failure(say(lang, "plain_http_refused"));
  } catch (const std::invalid_argument& e) {
    throw Failure(say(lang, "bad_server_address") + ": " + e.what(), 2);
  }
}
}  // namespace

HttpClient LockTool::client(const std::string& server) const {
  return make_client(lang_, server, options_.ca_file, options_.insecure_http);
}

// The later commands trust the server as the enrolment did, unless told otherwise.
HttpClient LockTool::client(const Enrolment& e) const {
  return make_client(lang_, e.server, options_.ca_file.empty() ? e.ca_file : options_.ca_file,
                     options_.insecure_http || e.insecure_http);
}


std::string LockTool::read_token() const {
  if (!options_.token.empty()) return options_.token;
  if (options_.token_file == "-") {
    std::string line;
    std::getline(std::cin, line);
    return first_line(line);
  }
  if (!options_.token_file.empty()) {
    try {
      return first_line(read_text_file(options_.token_file));
    } catch (const std::exception& e) {
      throw Failure(e.what());
    }
  }
  if (stdin_is_terminal())
    if (auto typed = ask(t("ask_token")); typed && !typed->empty()) return *typed;
  throw Failure(t("token_unknown"));
}

std::string LockTool::read_passphrase(bool twice) const {
  std::string passphrase;
  if (!options_.passphrase_file.empty()) {
    try {
      passphrase = first_line(read_text_file(options_.passphrase_file));
    } catch (const std::exception& e) {
      throw Failure(e.what());
    }
  } else if (stdin_is_terminal()) {
    const auto first = ask_secret(t("passphrase"));
    if (!first) throw Failure(t("passphrase_needed"));
    if (twice) {
      const auto second = ask_secret(t("passphrase_again"));
      if (!second || *second != *first) throw Failure(t("passphrase_mismatch"));
    }
    passphrase = *first;
  } else {
    throw Failure(t("passphrase_needed"));
  }
  if (twice)
    if (const auto weak = check_password_strength(passphrase); !weak.empty())
      throw Failure(t("passphrase_weak") + ": " + (lang_ == Lang::en ? weak : t("passphrase_rule")));
  return passphrase;
}

Enrolment LockTool::chosen() const {
  if (options_.request_id) {
    try {
      return keystore_.load(options_.request_id);
    } catch (const std::exception& e) {
      throw Failure(e.what());
    }
  }
  const auto all = keystore_.list();
  if (all.empty()) throw Failure(t("no_enrolments"));
  if (all.size() > 1) {
    // The newest one still in progress, else ask the user to choose.
    std::vector<Enrolment> open;
    for (const auto& e : all)
      if (!is_final(e.state) || e.state == "issued") open.push_back(e);
    if (open.size() == 1) return open.front();
    throw Failure(t("choose_request"));
  }
  return all.front();
}

namespace {
json fetch_status(Lang lang, const HttpClient& http, const Enrolment& e) {
  return call(lang, http, "GET", "/api/v1/lock/status", "", {{"X-CSR-Token", e.token}});
}
}  // namespace

namespace {
// The CSR token only serves to follow the request; once the request has ended (and an
// issued certificate has been fetched) it is forgotten, so the keystore holds no
// credential beyond the encrypted key.
void forget_token_when_done(Enrolment& e, bool certificate_fetched) {
  if (e.state == "issued" ? certificate_fetched : is_final(e.state)) e.token.clear();
}
}  // namespace

int LockTool::status() {
  auto e = chosen();
  if (e.token.empty()) {  // ended earlier: what the keystore recorded is final
    std::cout << t("request") << " #" << e.request_id << " (" << e.product_name << "): " << t("state_" + e.state)
              << std::endl;
    return 0;
  }
  const auto reply = fetch_status(lang_, client(e), e);
  e.state = reply["request"].value("state", e.state);
  forget_token_when_done(e, std::filesystem::exists(keystore_.folder(e.request_id) / "certificate.pem"));
  keystore_.save(e);
  std::cout << t("request") << " #" << e.request_id << " (" << e.product_name << "): " << t("state_" + e.state)
            << std::endl;
  if (reply["request"].contains("decision_reason"))
    std::cout << t("reason") << ": " << reply["request"]["decision_reason"].get<std::string>() << std::endl;
  return 0;
}

int LockTool::wait() {
  auto e = chosen();
  if (e.token.empty()) return status();  // the request ended earlier
  const auto http = client(e);
  const auto started = std::chrono::steady_clock::now();
  double interval = options_.interval_seconds;
  const bool live = stdout_is_terminal();
  std::string last;
  while (true) {
    const auto reply = fetch_status(lang_, http, e);
    e.state = reply["request"].value("state", e.state);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
    if (live) {
      std::cout << "\r" << t("waiting") << " — " << t("state_" + e.state) << " (" << elapsed << " s)   " << std::flush;
    } else if (e.state != last) {
      std::cout << t("state") << ": " << t("state_" + e.state) << std::endl;
    }
    last = e.state;
    if (is_final(e.state) || e.state == "approved") {
      if (e.state == "approved") {  // issuance follows within a moment
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        const auto again = fetch_status(lang_, http, e);
        e.state = again["request"].value("state", e.state);
      }
      if (is_final(e.state)) {
        forget_token_when_done(e, false);
        keystore_.save(e);
        if (live) std::cout << std::endl;
        if (e.state == "issued") {
          std::cout << t("issued_next") << std::endl;
          return 0;
        }
        std::cout << t("rejected") << std::endl;
        if (reply["request"].contains("decision_reason"))
          std::cout << t("reason") << ": " << reply["request"]["decision_reason"].get<std::string>() << std::endl;
        throw Failure(t("state_" + e.state));
      }
    }
    if (elapsed >= options_.timeout_seconds) {
      keystore_.save(e);
      if (live) std::cout << std::endl;
      throw Failure(t("wait_timeout"), 3);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(interval * 1000)));
    interval = std::min(interval * 1.5, 30.0);
  }
}

int LockTool::fetch() {
  auto e = chosen();
  const auto folder = keystore_.folder(e.request_id);
  if (e.token.empty() && fs::exists(folder / "certificate.pem")) {
    std::cout << t("fetched") << " " << (folder / "certificate.pem").string() << std::endl;
    return 0;
  }
  const auto reply = fetch_status(lang_, client(e), e);
  e.state = reply["request"].value("state", e.state);
  keystore_.save(e);
  if (e.state != "issued" || !reply.contains("certificate_pem")) throw Failure(t("not_issued"));
  const std::string certificate = reply["certificate_pem"];
  const std::string chain = reply.value("chain_pem", "");
  if (crypto::certificate_key_sha256(certificate) != crypto::public_key_sha256(read_text_file(folder / "public.pem")))
    throw Failure(t("key_mismatch"));
  if (!crypto::chains_to(certificate, read_text_file(folder / "ca.pem"))) throw Failure(t("chain_mismatch"));
  write_private_file(folder / "chain.pem", chain);
  write_private_file(folder / "certificate.pem", certificate);
  forget_token_when_done(e, true);
  keystore_.save(e);
  std::cout << t("fetched") << " " << (folder / "certificate.pem").string() << std::endl;
  return 0;
}

crypto::PrivateKey LockTool::open_key(const fs::path& folder, const std::string& passphrase,
                                      const std::string& certificate_pem) const {
  std::optional<crypto::PrivateKey> key;
  try {
    key = crypto::PrivateKey::from_encrypted_pem(read_text_file(folder / "key.pem"), passphrase);
  } catch (const Error&) {
    throw Failure(t("wrong_passphrase"));
  }
  if (!crypto::certifies(certificate_pem, *key)) throw Failure(t("key_mismatch"));
  return std::move(*key);
}

Failure LockTool::failure_from(const Error& error) const {
  const auto known = t(error.code());
  return Failure(known != error.code() ? known : error.what());
}

int LockTool::export_p12() {
  if (options_.p12.empty()) throw Failure("--p12 FILE is required", 2);
  const auto e = chosen();
  const auto folder = keystore_.folder(e.request_id);
  if (!fs::exists(folder / "certificate.pem")) throw Failure(t("not_issued") + " `lontar-lock fetch`");
  const auto passphrase = read_passphrase(false);
  const auto certificate = read_text_file(folder / "certificate.pem");
  const auto key = open_key(folder, passphrase, certificate);
  write_private_file(options_.p12, crypto::make_pkcs12(key, certificate, read_text_file(folder / "chain.pem"),
                                                       passphrase, e.applicant));
  std::cout << t("exported") << ": " << options_.p12 << std::endl;
  return 0;
}

int LockTool::list() {
  const auto all = keystore_.list();
  if (all.empty()) {
    std::cout << t("no_enrolments") << std::endl;
    return 0;
  }
  for (const auto& e : all) {
    std::cout << "#" << e.request_id << "  " << e.product_name << "  " << e.key_algorithm << "  "
              << t("state_" + e.state);
    const auto certificate = keystore_.folder(e.request_id) / "certificate.pem";
    if (fs::exists(certificate)) {
      const auto parsed = crypto::Certificate::from_pem(read_text_file(certificate));
      std::cout << "  " << parsed.serial_hex() << "  →"
                << format_utc(to_unix(parsed.not_after()), " %Y-%m-%d");
    }
    std::cout << "  " << e.server << std::endl;
  }
  return 0;
}

int LockTool::interactive() {
  std::cout << t("welcome") << "\n" << std::endl;
  if (options_.server.empty()) {
    const char* remembered = std::getenv("LONTAR_SERVER");
    const auto typed = ask(t("ask_server") + (remembered ? std::string("[") + remembered + "] " : ""));
    options_.server = typed && !typed->empty() ? *typed : (remembered ? remembered : "");
  }
  (void)client(options_.server);  // a wrong or plain-http address is said at once, not after three questions
  if (options_.token.empty() && options_.token_file.empty()) {
    const auto typed = ask(t("ask_token"));
    if (!typed || typed->empty()) throw Failure(t("token_unknown"));
    options_.token = *typed;
  }
  if (options_.letter.empty()) {
    const auto typed = ask(t("ask_letter"));
    if (!typed || typed->empty()) throw Failure(t("letter_unreadable"));
    options_.letter = *typed;
  }
  enroll();
  options_.request_id = keystore_.list().back().request_id;
  try {
    wait();
  } catch (const Failure& f) {
    if (f.code == 3) {
      std::cout << f.what() << std::endl;
      return 3;
    }
    throw;
  }
  return fetch();
}

}  // namespace lontar::lock
