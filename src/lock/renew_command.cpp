// lontar-lock renew: a key update (CMP kur) signed with the current certificate's key.
#include <chrono>
#include <iostream>
#include <thread>

#include "crypto/certificate.h"
#include "crypto/cmp_client.h"
#include "crypto/holder_files.h"
#include "lock/api_call.h"
#include "lock/lock_tool.h"
#include "lock/terminal.h"

namespace lontar::lock {

namespace fs = std::filesystem;

namespace {
// The server names the request in its words ("Request #12 waits …").
std::int64_t request_named_in(const std::string& status) {
  const auto hash = status.find('#');
  if (hash == std::string::npos) return 0;
  const auto digits = status.substr(hash + 1, status.find_first_not_of("0123456789", hash + 1) - hash - 1);
  return digits.empty() || digits.size() > 18 ? 0 : std::stoll(digits);
}
}  // namespace

// A renewal that stopped waiting left its new key behind (state "renewal_pending"):
// sending the same key again resumes that request instead of opening another.
std::optional<Enrolment> LockTool::pending_renewal() const {
  for (const auto& e : keystore_.list())
    if (e.state == "renewal_pending" && !fs::exists(keystore_.folder(e.request_id) / "certificate.pem")) return e;
  return std::nullopt;
}

int LockTool::renew() {
  const auto pending = pending_renewal();
  const auto e = signing_enrolment();
  const auto folder = keystore_.folder(e.request_id);
  const auto certificate_pem = read_text_file(folder / "certificate.pem");
  const auto chain_pem = read_text_file(folder / "ca.pem");
  const auto passphrase = read_passphrase(false);
  const auto current_key = open_key(folder, passphrase, certificate_pem);
  const auto http = client(e);

  std::cout << t("renewing") << std::endl;
  std::unique_ptr<Keystore::Staging> staging;
  std::optional<crypto::PrivateKey> key;
  if (pending) {
    key = crypto::PrivateKey::from_encrypted_pem(read_text_file(keystore_.folder(pending->request_id) / "key.pem"),
                                                 passphrase);
  } else {
    staging = keystore_.stage();
    key = crypto::PrivateKey::generate(e.key_algorithm.empty() ? "ec-p256" : e.key_algorithm);
    write_private_file(staging->dir / "key.pem", key->to_encrypted_pem(passphrase));
    write_private_file(staging->dir / "public.pem", key->public_key_pem());
    write_private_file(staging->dir / "ca.pem", chain_pem);
  }
  const auto target = pending ? keystore_.folder(pending->request_id) : staging->dir;
  crypto::KeyUpdate update(
      [&](const std::string& der) {
        const auto reply = http.send("POST", "/.well-known/cmp", der, {{"Content-Type", "application/pkixcmp"}});
        if (reply.status != 200) throw std::runtime_error("HTTP " + std::to_string(reply.status));
        return reply.body;
      },
      certificate_pem, current_key, *key, chain_pem);

  const auto started = std::chrono::steady_clock::now();
  const bool live = stdout_is_terminal();
  std::int64_t request_id = pending ? pending->request_id : 0;
  Enrolment renewed = pending ? *pending : e;
  renewed.token.clear();
  for (bool said = false;;) {
    const auto step = update.step();
    if (const auto named = request_named_in(step.status)) request_id = named;
    if (!pending) renewed.request_id = request_id;
    if (step.kind == crypto::KeyUpdate::Step::Kind::refused) {
      if (live && said) std::cout << std::endl;
      throw Failure(t("renew_refused") + ": " + step.status);
    }
    if (step.kind == crypto::KeyUpdate::Step::Kind::issued) {
      if (live && said) std::cout << std::endl;
      if (!crypto::chains_to(step.certificate_pem, chain_pem) || !crypto::certifies(step.certificate_pem, *key))
        throw Failure(t("chain_mismatch"));
      write_private_file(target / "certificate.pem", step.certificate_pem);
      write_private_file(target / "chain.pem", read_text_file(folder / "chain.pem"));
      renewed.state = "issued";
      const auto kept = pending ? (keystore_.save(renewed), target) : keystore_.commit(*staging, renewed);
      std::cout << t("renewed") << " " << (kept / "certificate.pem").string() << std::endl;
      return 0;
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
    if (live) {
      std::cout << "\r" << t("renewal_waiting") << " — " << t("request") << " #" << request_id << " (" << elapsed
                << " s)   " << std::flush;
    } else if (!said) {
      std::cout << t("renewal_waiting") << " — " << t("request") << " #" << request_id << std::endl;
    }
    said = true;
    if (elapsed >= options_.timeout_seconds) {
      if (live) std::cout << std::endl;
      renewed.state = "renewal_pending";
      if (!pending && request_id) keystore_.commit(*staging, renewed);
      throw Failure(t("renew_timeout"), 3);
    }
    std::this_thread::sleep_for(std::chrono::seconds(std::clamp(step.check_after_seconds, 1, 30)));
  }
}

}  // namespace lontar::lock
