// The API's request procedure: open, submit a CSR, cancel, decide, the queue, the
// helpdesk's account search and unlock. Same rules as the portal: RequestService
// decides who may do what.
#include "api/api.h"
#include "api/json.h"
#include "api/support.h"
#include "web/letter_response.h"
#include "core/encoding.h"
#include "http/forms.h"

namespace lontar {

namespace {
using namespace api_support;


}  // namespace

json request_json(const CertificateRequest& r, const ProductCatalog& products, const Account* applicant) {
  const auto* product = products.find(r.product_id);
  json out{{"id", r.id},
           {"product", r.product_id},
           {"type", to_string(r.type)},
           {"method", to_string(r.method)},
           {"kind", to_string(r.kind)},
           {"state", to_string(r.state)},
           {"created_at", r.created_at},
           {"updated_at", r.updated_at},
           {"approvals_required", product ? product->approvals : 1},
           {"has_letter", !r.letter_blob.empty()}};
  if (r.token_expires_at && r.state == RequestState::token_issued) out["token_expires_at"] = r.token_expires_at;
  if (r.submitted_at) out["submitted_at"] = r.submitted_at;
  if (!r.key_description.empty()) out["key"] = r.key_description;
  if (!r.decision_reason.empty() && r.state == RequestState::rejected) out["decision_reason"] = r.decision_reason;
  if (!r.certificate_serial.empty()) out["certificate_serial"] = r.certificate_serial;
  if (applicant) {
    out["applicant"] = {{"nik", applicant->nik},
                        {"name", applicant->name},
                        {"email", applicant->email},
                        {"organisation", applicant->organisation},
                        {"unit", applicant->unit}};
    if (!r.key_sha256.empty()) out["key_sha256"] = r.key_sha256;
  }
  return out;
}

http::HttpResponse Api::list_requests(const http::HttpRequest& request) const {
  const auto session = require_session(request, false);
  json list = json::array();
  for (const auto& r : instance_.requests().list_own(session.account)) list.push_back(request_json(r, instance_.config().catalog));
  return json_response(200, json{{"requests", list}});
}

http::HttpResponse Api::create_request(const http::HttpRequest& request) const {
  const auto session = require_session(request, true);
  return idempotent(request, session, [&] {
    const auto body = parse_body(request);
    NewRequest command;
    command.product_id = text_field(body, "product");
    const auto method = parse_method(text_field(body, "method"));
    if (!method) throw Error(ErrorKind::invalid_input, "bad_method", "The method is \"lock\" or \"esign\".");
    command.method = *method;
    command.letter = decode_letter(body);
    command.agreement_accepted = body.value("agreement_accepted", false);
    command.passphrase = optional_text(body, "passphrase");
    const auto opened = instance_.requests().open(session.account, command);
    json out{{"request", request_json(opened.request, instance_.config().catalog)}};
    if (!opened.csr_token.empty()) out["csr_token"] = opened.csr_token;
    return json_response(201, out);
  });
}

http::HttpResponse Api::show_request(const http::HttpRequest& request) const {
  const auto session = require_session(request, false);
  const auto [r, applicant, approvals] = instance_.requests().view(session.account, parse_request_id(request.param("id")));
  const bool own = r.account_id == session.account.id;
  return json_response(200, request_json(r, instance_.config().catalog, own || !applicant ? nullptr : &*applicant));
}

http::HttpResponse Api::request_letter(const http::HttpRequest& request) const {
  const auto session = require_session(request, false);
  const auto id = parse_request_id(request.param("id"));
  return letter_response(instance_.requests().letter(session.account, id), id, false);
}

http::HttpResponse Api::change_request(const http::HttpRequest& request, const RequestChange& change) const {
  const auto session = require_session(request, true);
  const auto id = parse_request_id(request.param("id"));
  return idempotent(request, session, [&] {
    return json_response(200, request_json(change(request, session.account, id), instance_.config().catalog));
  });
}

void Api::add_request_routes(http::Router& router, std::size_t letter_limit) {
  router.add("GET", "/api/v1/requests", [this](const http::HttpRequest& request) { return list_requests(request); });
  router.add("POST", "/api/v1/requests", [this](const http::HttpRequest& request) { return create_request(request); });
  router.allow_body("/api/v1/requests", letter_limit);
  router.run_apart("POST", "/api/v1/requests", http::Router::Lane::signed_in);
  router.add("GET", "/api/v1/requests/{id}", [this](const http::HttpRequest& request) { return show_request(request); });
  router.add("GET", "/api/v1/requests/{id}/letter",
             [this](const http::HttpRequest& request) { return request_letter(request); });
  auto& requests = instance_.requests();
  const auto action = [&](const std::string& name, RequestChange change) {
    const auto pattern = "/api/v1/requests/{id}/" + name;
    router.add("POST", pattern, [this, change = std::move(change)](const http::HttpRequest& request) {
      return change_request(request, change);
    });
  };
  action("csr", [this, &requests](const http::HttpRequest& request, const Account& holder, std::int64_t id) {
    const auto body = parse_body(request);
    const auto csr = instance_.factory().parse_csr(text_field(body, "csr"));
    return requests.submit_csr(holder, *csr, decode_letter(body), id);
  });
  router.allow_body("/api/v1/requests/{id}/csr", letter_limit);
  router.run_apart("POST", "/api/v1/requests/{id}/csr", http::Router::Lane::signed_in);
  action("cancel", [&requests](const http::HttpRequest&, const Account& holder, std::int64_t id) {
    return requests.cancel(holder, id);
  });
  action("approve", [&requests](const http::HttpRequest&, const Account& verifier, std::int64_t id) {
    return requests.approve(verifier, id);
  });
  action("reject", [&requests](const http::HttpRequest& request, const Account& verifier, std::int64_t id) {
    return requests.reject(verifier, id, text_field(parse_body(request), "reason"));
  });
  router.add("GET", "/api/v1/queue", [this](const http::HttpRequest& request) { return queue(request); });
  router.add("GET", "/api/v1/accounts", [this](const http::HttpRequest& request) { return accounts(request); });
  router.add("POST", "/api/v1/accounts/{nik}/unlock",
             [this](const http::HttpRequest& request) { return unlock_account(request); });
}

http::HttpResponse Api::queue(const http::HttpRequest& request) const {
  const auto session = require_session(request, false);
  const auto query = http::parse_form(request.query);
  QueueFilter filter;
  if (query.count("type")) filter.type = parse_certificate_type(query.at("type"));
  if (query.count("method")) filter.method = parse_method(query.at("method"));
  if (query.count("product")) filter.product_id = query.at("product");
  json list = json::array();
  for (const auto& [r, applicant, approvals] : instance_.requests().queue(session.account, filter)) {
    auto item = request_json(r, instance_.config().catalog, applicant ? &*applicant : nullptr);
    item["approvals"] = approvals;
    list.push_back(item);
  }
  return json_response(200, json{{"requests", list}});
}

http::HttpResponse Api::accounts(const http::HttpRequest& request) const {
  const auto session = require_session(request, false);
  const auto query = http::parse_form(request.query);
  const auto q = query.count("q") ? query.at("q") : std::string();
  const auto found = instance_.accounts().search(Actor::person(session.account), q);
  if (q.size() < 3) throw Error(ErrorKind::invalid_input, "query_too_short", "Search with at least 3 characters.");
  const auto now = to_unix(instance_.clock().now());
  json list = json::array();
  for (const auto& a : found)
    list.push_back({{"nik", a.nik},
                    {"name", a.name},
                    {"email", a.email},
                    {"unit", a.unit},
                    {"role", to_string(a.role)},
                    {"locked", is_locked(a, now)}});
  return json_response(200, json{{"accounts", list}});
}

http::HttpResponse Api::unlock_account(const http::HttpRequest& request) const {
  const auto session = require_session(request, true);
  const auto& nik = request.param("nik");
  return idempotent(request, session, [&] {
    instance_.accounts().unlock(Actor::person(session.account), nik);
    return json_response(200, json{{"nik", nik}, {"locked", false}});
  });
}

}  // namespace lontar
