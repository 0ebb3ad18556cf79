// `lontar-lock enroll` (SPEC §1 steps 4–6): redeem the CSR token, make the key here,
// submit the CSR with the recommendation letter.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/encoding.h"
#include "core/error.h"
#include "crypto/csr.h"
#include "crypto/holder_files.h"
#include "crypto/private_key.h"
#include "lock/api_call.h"
#include "lock/lock_tool.h"
#include "lock/terminal.h"
#include "pdf/letter_inspector.h"

namespace lontar::lock {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
constexpr int kSubmitAttempts = 4;

bool agreed(const std::optional<std::string>& answer) {
  return answer && (*answer == "y" || *answer == "Y" || *answer == "ya" || *answer == "yes");
}
}  // namespace

// Read and check everything local first: nothing is generated or sent for a letter
// that would be refused anyway.
std::string LockTool::read_letter() const {
  std::string letter;
  try {
    letter = read_text_file(options_.letter);
  } catch (const std::exception&) {
    throw Failure(t("letter_unreadable") + ": " + options_.letter);
  }
  try {
    pdf::QpdfLetterInspector().check(letter);
  } catch (const Error&) {
    throw Failure(t("letter_not_pdf") + " (" + options_.letter + ").");
  }
  return letter;
}

// The product's name in the reader's language (older servers send only the English one).
std::string LockTool::product_name(const json& redeemed) const {
  const auto names = redeemed.find("product_names");
  const std::string fallback = redeemed.value("product_name", "");
  if (names == redeemed.end() || !names->is_object()) return fallback;
  return names->value(lang_ == Lang::en ? "en" : "id", fallback);
}

// What the token is for, shown before anything is generated; asks unless --yes.
void LockTool::confirm_redeemed(const json& redeemed) const {
  const auto& request = redeemed["request"];
  const auto& applicant = redeemed["applicant"];
  std::cout << t("token_for") << "\n"
            << "  " << t("applicant") << ": " << applicant.value("name", "") << " (NIK " << applicant.value("nik", "")
            << ", " << applicant.value("unit", "") << ")\n"
            << "  " << t("product") << ": " << product_name(redeemed) << " (" << request.value("type", "")
            << ")\n"
            << "  " << t("request") << ": #" << request.value("id", 0) << "\n";
  if (request.contains("token_expires_at"))
    std::cout << "  " << t("valid_until") << ": "
              << format_utc(request["token_expires_at"].get<std::int64_t>(), "%Y-%m-%d %H:%M UTC") << "\n";
  std::cout << "  " << t("key_kind") << ": " << redeemed.value("key_algorithm", "ec-p256") << std::endl;
  if (options_.yes) return;
  if (!stdin_is_terminal()) throw Failure(t("need_yes"));
  if (!agreed(ask(t("confirm")))) throw Failure(t("aborted"));
}

// The CA as this (verified) connection shows it, pinned for checking the certificate later.
std::string LockTool::fetch_chain(const HttpClient& http) const {
  HttpReply chain;
  try {
    chain = http.send("GET", "/ca/chain.pem", "");
  } catch (const std::exception& e) {
    throw Failure(t("unreachable") + ": " + e.what());
  }
  if (chain.status != 200) refuse(lang_, chain);
  return chain.body;
}

// The same CSR again after a lost answer: the server answers a repeated submission
// with the same request.
json LockTool::submit_with_retries(const HttpClient& http, const std::string& body) const {
  for (int attempt = 1;; ++attempt) {
    try {
      const auto reply = http.send("POST", "/api/v1/lock/submit", body);
      if (reply.status >= 400) refuse(lang_, reply);
      return json::parse(reply.body);
    } catch (const ConnectionError& e) {
      if (attempt == kSubmitAttempts) throw Failure(t("unreachable") + ": " + e.what());
      std::cerr << t("retrying") << " (" << attempt << "/" << kSubmitAttempts - 1 << ")" << std::endl;
      std::this_thread::sleep_for(std::chrono::seconds(1 << (attempt - 1)));
    } catch (const TrustError& e) {
      throw Failure(t("untrusted") + " " + e.what());
    }
  }
}

int LockTool::enroll() {
  if (options_.server.empty()) throw Failure("--server is required (https://…)", 2);
  const auto http = client(options_.server);
  const auto token = read_token();
  const auto letter = read_letter();
  const auto redeemed = call(lang_, http, "POST", "/api/v1/lock/redeem", json{{"token", token}}.dump());
  confirm_redeemed(redeemed);
  const std::string applicant = redeemed["applicant"].value("name", "");
  const std::string algorithm = redeemed.value("key_algorithm", "ec-p256");
  const auto passphrase = read_passphrase(true);

  std::cout << t("generating") << std::endl;
  auto staging = keystore_.stage();
  const auto key = crypto::PrivateKey::generate(algorithm);
  write_private_file(staging->dir / "key.pem", key.to_encrypted_pem(passphrase));
  write_private_file(staging->dir / "public.pem", key.public_key_pem());
  write_private_file(staging->dir / "ca.pem", fetch_chain(http));
  const auto csr = crypto::make_csr_pem(key.get(), applicant.empty() ? "LOCK" : applicant, token);
  write_private_file(staging->dir / "request.csr", csr);

  std::cout << t("submitting") << std::endl;
  const auto submitted =
      submit_with_retries(http, json{{"csr", csr}, {"letter_pdf_base64", to_base64(as_bytes(letter))}}.dump());
  Enrolment enrolment;
  enrolment.request_id = submitted["request"].value("id", std::int64_t{0});
  enrolment.server = http.server().origin();
  enrolment.token = token;
  enrolment.product = submitted["request"].value("product", "");
  enrolment.product_name = product_name(redeemed);
  enrolment.applicant = applicant;
  enrolment.state = submitted["request"].value("state", "");
  enrolment.key_algorithm = algorithm;
  enrolment.ca_file = options_.ca_file.empty() ? "" : fs::absolute(options_.ca_file).string();
  enrolment.insecure_http = !http.server().tls;
  const auto folder = keystore_.commit(*staging, enrolment);
  std::cout << t("request") << " #" << enrolment.request_id << " " << t("submitted") << "\n"
            << t("key_kept") << " " << (folder / "key.pem").string() << "\n"
            << t("next_wait") << std::endl;
  return 0;
}

}  // namespace lontar::lock
