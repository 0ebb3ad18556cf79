// CSR tokens: made, normalised and hashed; redeemed by the LOCK tool; replaced when the
// answer that carried one was lost.
#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/error.h"
#include "core/request_errors.h"
#include "core/requests.h"

namespace lontar {

namespace {
using nlohmann::json;

constexpr int kTokenGroups = 5;  // 5 × 4 symbols × 5 bits = 100 bits

// Groups of four, as the applicant copies it from the portal.
std::string grouped_token(RandomSource& random) {
  const auto symbols = random_crockford(random, kTokenGroups * 4);
  std::string token;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0 && i % 4 == 0) token += '-';
    token += symbols[i];
  }
  return token;
}

// What the applicant typed or the CSR carries: case, spaces and dashes do not matter.
std::string normalise_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::string RequestService::new_token() { return grouped_token(random_); }

std::string RequestService::hash_token(std::string_view token) { return sha256_hex(normalise_token(token)); }

TokenDetails RequestService::redeem(std::string_view token) {
  const auto hash = hash_token(token);
  std::optional<CertificateRequest> request;
  std::optional<Account> applicant;
  store_.read([&](StoreTransaction& tx) {
    request = tx.requests().find_by_token(hash);
    if (request) applicant = tx.accounts().find_by_id(request->account_id);
  });
  if (!request || !applicant) throw unknown_token();
  if (request->state == RequestState::token_issued && request->token_expires_at <= to_unix(clock_.now())) {
    expire_tokens();
    request->state = RequestState::expired;
  }
  if (request->state == RequestState::expired)
    throw Error(ErrorKind::policy, "token_expired",
                "This CSR token has expired. Open the portal and request a new one.");
  if (request->state == RequestState::cancelled)
    throw Error(ErrorKind::policy, "token_cancelled", "The request this CSR token belongs to was cancelled.");
  return {*request, *applicant, std::nullopt};
}

std::string RequestService::replace_token(const Account& applicant, std::int64_t id) {
  auto request = for_owner(applicant, id);
  if (request.method != Method::lock || request.state != RequestState::token_issued)
    throw Error(ErrorKind::conflict, "token_not_replaceable",
                "Only an unused CSR token of an open LOCK request can be replaced.");
  const auto token = new_token();
  const auto now = to_unix(clock_.now());
  store_.write([&](StoreTransaction& tx) {
    auto updated = request;
    updated.token_sha256 = hash_token(token);
    updated.updated_at = now;
    if (!tx.requests().save(updated, RequestState::token_issued))
      throw Error(ErrorKind::conflict, "token_not_replaceable", "The request changed meanwhile; reload it.");
    tx.requests().set_sealed_token(id, vault_ ? vault_->seal(token, random_) : "");
    tx.audit().append({audit_actor(applicant), "request.token_replaced", "request:" + std::to_string(id), "{}"}, now);
  });
  return token;
}

}  // namespace lontar
