#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "crypto/private_key.h"
#include "lock/http_client.h"
#include "lock/keystore.h"
#include "lock/messages.h"

namespace lontar::lock {

struct Options {
  std::string server;
  std::string token;
  std::string token_file;
  std::string letter;
  std::string passphrase_file;
  std::string ca_file;
  bool insecure_http = false;
  bool yes = false;
  std::string lang;
  std::string keystore;
  std::int64_t request_id = 0;
  int timeout_seconds = 3600;
  double interval_seconds = 2;
  std::string p12;
  // sign
  std::string in;
  std::string out;
  int page = 0;
  std::string reason;
  bool no_stamp = false;
  std::string position;
  std::string title;       // shown on the verification page; default: the PDF's /Title
  std::string visibility;  // "full" or "summary"; default: the server's
};

// A failure with a sentence for the applicant; main prints it and exits with `code`.
struct Failure : std::runtime_error {
  int code;
  Failure(const std::string& message, int exit_code = 1) : std::runtime_error(message), code(exit_code) {}
};

// The LOCK application (SPEC §1 steps 4–7): the private key is made here and never
// leaves this computer; the portal's API sees only the CSR and the letter.
class LockTool final {
 public:
  explicit LockTool(Options options);
  int enroll();
  int status();
  int wait();
  int fetch();
  int export_p12();
  int list();
  int interactive();
  int sign();   // sign_command.cpp
  int renew();  // renew_command.cpp

 private:
  std::string t(const std::string& key) const { return say(lang_, key); }
  HttpClient client(const std::string& server) const;
  HttpClient client(const Enrolment& enrolment) const;
  std::string read_passphrase(bool twice) const;
  // The keystore's key for `certificate_pem`, decrypted with `passphrase`; a wrong
  // passphrase or another certificate's key is a Failure with a plain sentence.
  crypto::PrivateKey open_key(const std::filesystem::path& folder, const std::string& passphrase,
                              const std::string& certificate_pem) const;
  // An Error from the shared libraries as the tool's own sentence when it has one.
  Failure failure_from(const Error& error) const;
  std::string read_token() const;
  // enrol_command.cpp
  std::string read_letter() const;
  void confirm_redeemed(const nlohmann::json& redeemed) const;
  std::string product_name(const nlohmann::json& redeemed) const;
  std::string fetch_chain(const HttpClient& http) const;
  nlohmann::json submit_with_retries(const HttpClient& http, const std::string& body) const;
  Enrolment chosen() const;
  Enrolment signing_enrolment() const;
  std::optional<Enrolment> pending_renewal() const;

  Options options_;
  Lang lang_;
  Keystore keystore_;
};

}  // namespace lontar::lock
