// The API's request procedure: open, submit a CSR, cancel, decide, the queue. Same
// rules as the portal: RequestService decides who may do what.
#include "api/resources.h"
#include "api/json.h"
#include "api/support.h"
#include "web/letter_response.h"
#include "core/encoding.h"
#include "http/forms.h"

namespace lontar {

using namespace api_support;

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

http::HttpResponse RequestApi::list(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, false);
  json list = json::array();
  for (const auto& r : instance_.requests().list_own(session.account)) list.push_back(request_json(r, instance_.config().catalog));
  return json_response(200, json{{"requests", list}});
}

http::HttpResponse RequestApi::create(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, true);
  return access_.idempotent(request, session, [&] {
    const auto body = parse_body(request);
    NewRequest command;
    command.product_id = text_field(body, "product");
    const auto method = parse_method(text_field(body, "method"));
    if (!method) throw Error(ErrorKind::invalid_input, "bad_method", "The method is \"lock\" or \"esign\".");
    command.method = *method;
    command.letter = decode_letter(body);
    command.agreement_accepted = optional_flag(body, "agreement_accepted", false);
    command.passphrase = optional_text(body, "passphrase");
    const auto opened = instance_.requests().open(session.account, command);
    json out{{"request", request_json(opened.request, instance_.config().catalog)}};
    if (!opened.csr_token.empty()) out["csr_token"] = opened.csr_token;
    return json_response(201, out);
  }, token_kept_out(session.account));
}

// The CSR token is shown once and the database keeps only its hash, so the stored
// answer leaves it out; a replay (the first answer was lost) gets a fresh token for the
// still unused request instead, and the lost one stops working.
AnswerSecrets RequestApi::token_kept_out(const Account& applicant) const {
  AnswerSecrets secrets;
  secrets.strip = [](json& answer) { answer.erase("csr_token"); };
  secrets.restore = [this, applicant](json& answer) {
    const auto request = answer.find("request");
    if (request == answer.end() || !request->is_object() || request->value("method", "") != "lock") return;
    try {
      answer["csr_token"] = instance_.requests().replace_token(applicant, request->value("id", std::int64_t{0}));
    } catch (const Error& e) {
      if (!e.is_user_error()) throw;  // used or cancelled meanwhile: the replay says what was, without a token
    }
  };
  return secrets;
}

http::HttpResponse RequestApi::show(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, false);
  const auto [r, applicant, approvals] = instance_.requests().view(session.account, parse_request_id(request.param("id")));
  const bool own = r.account_id == session.account.id;
  return json_response(200, request_json(r, instance_.config().catalog, own || !applicant ? nullptr : &*applicant));
}

http::HttpResponse RequestApi::letter(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, false);
  const auto id = parse_request_id(request.param("id"));
  return letter_response(instance_.requests().letter(session.account, id), id, false);
}

http::HttpResponse RequestApi::change(const http::HttpRequest& request, const Change& change) const {
  const auto session = access_.require_session(request, true);
  const auto id = parse_request_id(request.param("id"));
  return access_.idempotent(request, session, [&] {
    return json_response(200, request_json(change(request, session.account, id), instance_.config().catalog));
  });
}

void RequestApi::add_routes(http::Router& router) {
  router.add("GET", "/api/v1/requests", [this](const http::HttpRequest& request) { return list(request); });
  router.add("POST", "/api/v1/requests", [this](const http::HttpRequest& request) { return create(request); });
  router.allow_body("/api/v1/requests", letter_body_limit(instance_));
  router.run_apart("POST", "/api/v1/requests", http::Router::Lane::signed_in);
  router.add("GET", "/api/v1/requests/{id}", [this](const http::HttpRequest& request) { return show(request); });
  router.add("GET", "/api/v1/requests/{id}/letter", [this](const http::HttpRequest& request) { return letter(request); });
  add_change_routes(router);
  router.add("GET", "/api/v1/queue", [this](const http::HttpRequest& request) { return queue(request); });
}

void RequestApi::add_change_routes(http::Router& router) {
  auto& requests = instance_.requests();
  const auto action = [&](const std::string& name, Change change) {
    const auto pattern = "/api/v1/requests/{id}/" + name;
    router.add("POST", pattern, [this, change = std::move(change)](const http::HttpRequest& request) {
      return this->change(request, change);
    });
  };
  action("csr", [this, &requests](const http::HttpRequest& request, const Account& holder, std::int64_t id) {
    const auto body = parse_body(request);
    const auto csr = instance_.factory().parse_csr(text_field(body, "csr"));
    return requests.submit_csr(holder, *csr, decode_letter(body), id);
  });
  router.allow_body("/api/v1/requests/{id}/csr", letter_body_limit(instance_));
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
}

http::HttpResponse RequestApi::queue(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, false);
  const auto query = http::parse_form(request.query);
  QueueFilter filter;
  if (query.count("type")) filter.type = parse_certificate_type(query.at("type"));
  if (query.count("method")) filter.method = parse_method(query.at("method"));
  if (query.count("product")) filter.product_id = query.at("product");
  json list = json::array();
  const auto page = instance_.requests().queue(session.account, filter);
  for (const auto& [r, applicant, approvals] : page.requests) {
    auto item = request_json(r, instance_.config().catalog, applicant ? &*applicant : nullptr);
    item["approvals"] = approvals;
    list.push_back(item);
  }
  return json_response(200, json{{"requests", list}, {"more", page.more}});
}

}  // namespace lontar
