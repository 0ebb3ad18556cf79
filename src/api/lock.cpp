// The LOCK tool's side of the API (SPEC §1 steps 4–7). The CSR token is the
// credential: redeeming shows whom it belongs to, submitting needs a CSR that carries
// it, and afterwards it lets the tool follow its request and fetch the certificate.
// Failed token lookups are rate-limited per client address.
#include "api/resources.h"
#include "api/json.h"
#include "api/support.h"
#include "instance/data_dir.h"
#include "crypto/key_custody.h"

namespace lontar {

namespace {
using namespace api_support;

std::string masked_nik(const std::string& nik) {
  return nik.size() < 4 ? "****" : std::string(nik.size() - 4, '*') + nik.substr(nik.size() - 4);
}
}  // namespace

LockApi::LockApi(const ApiAccess& access)
    : ApiResource(access), token_failures_(20, 15 * 60) {}  // 20 wrong CSR tokens per address in 15 minutes

void LockApi::add_routes(http::Router& router) {
  router.add("POST", "/api/v1/lock/redeem", [this](const http::HttpRequest& request) { return redeem(request); });
  router.add("POST", "/api/v1/lock/submit", [this](const http::HttpRequest& request) { return submit(request); });
  router.allow_body("/api/v1/lock/submit", letter_body_limit(instance_));
  // Authenticated by its CSR token, not a session: the anonymous lane.
  router.run_apart("POST", "/api/v1/lock/submit", http::Router::Lane::anonymous);
  router.add("GET", "/api/v1/lock/status", [this](const http::HttpRequest& request) { return status(request); });
}

// Refused while the address is blocked, before any lookup, so that the right token
// after many wrong ones is refused too; an unknown token counts against the address.
http::HttpResponse LockApi::token_guarded(const http::HttpRequest& request,
                                      const std::function<http::HttpResponse()>& call) {
  const auto now = to_unix(instance_.clock().now());
  if (token_failures_.blocked(request.remote_address, now))
    throw Error(ErrorKind::forbidden, "too_many_attempts",
                "Too many wrong CSR tokens from this address; wait 15 minutes and try again.");
  try {
    return call();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::not_found) token_failures_.failed(request.remote_address, now);
    throw;
  }
}

http::HttpResponse LockApi::redeem(const http::HttpRequest& request) {
  const auto body = parse_body(request);
  return token_guarded(request, [&] {
    const auto details = instance_.requests().redeem(text_field(body, "token"));
    const auto* product = instance_.config().catalog.find(details.request.product_id);
    json keys = json::array();
    if (product)
      for (const auto& k : product->keys) keys.push_back(k.describe());
    return json_response(200, json{{"request", request_json(details.request, instance_.config().catalog)},
                                   {"product_name", product ? product->display_name : details.request.product_id},
                                   {"product_names",
                                    {{"id", product ? product->name_for("id") : details.request.product_id},
                                     {"en", product ? product->name_for("en") : details.request.product_id}}},
                                   {"allowed_keys", keys},
                                   {"key_algorithm", product ? crypto::server_key_algorithm(*product) : "ec-p256"},
                                   {"applicant",
                                    {{"name", details.applicant.name},
                                     {"nik", masked_nik(details.applicant.nik)},
                                     {"organisation", details.applicant.organisation},
                                     {"unit", details.applicant.unit}}}});
  });
}

// The token travels inside the CSR as its challenge password.
http::HttpResponse LockApi::submit(const http::HttpRequest& request) {
  const auto body = parse_body(request);
  return token_guarded(request, [&] {
    const auto csr = instance_.factory().parse_csr(text_field(body, "csr"));
    const auto r = instance_.requests().submit_csr(std::nullopt, *csr, decode_letter(body));
    return json_response(200, json{{"request", request_json(r, instance_.config().catalog)}});
  });
}

http::HttpResponse LockApi::status(const http::HttpRequest& request) {
  const auto token = request.header("x-csr-token");
  if (token.empty()) throw Error(ErrorKind::unauthenticated, "token_required", "Send the CSR token in X-CSR-Token.");
  return token_guarded(request, [&] {
    const auto found = instance_.requests().by_token(token);
    const auto& r = found.request;
    json out{{"request", request_json(r, instance_.config().catalog)}};
    if (const auto& certificate = found.certificate) {
      out["certificate_pem"] = certificate->pem;
      out["chain_pem"] = read_file(instance_.dir().chain());
      out["certificate_status"] = to_string(certificate->status);
    }
    return json_response(200, out);
  });
}

}  // namespace lontar
