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

std::int64_t parse_id(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    throw Error(ErrorKind::not_found, "unknown_request", "You have no request with that number.");
  return std::stoll(text);
}

bool staff_helpdesk(Role role) { return role == Role::helpdesk || role == Role::admin; }
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
  std::vector<CertificateRequest> requests;
  instance_.store().read([&](StoreTransaction& tx) { requests = tx.requests().list_for_account(session.account.id); });
  json list = json::array();
  for (const auto& r : requests) list.push_back(request_json(r, instance_.config().catalog));
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

// /api/v1/requests/{id}, /{id}/csr, /{id}/cancel, /{id}/approve, /{id}/reject, /{id}/letter
http::HttpResponse Api::request_action(const http::HttpRequest& request) const {
  const std::string rest = request.path.substr(std::string("/api/v1/requests/").size());
  const auto slash = rest.find('/');
  const auto id = parse_id(rest.substr(0, slash));
  const std::string action = slash == std::string::npos ? "" : rest.substr(slash + 1);
  auto& requests = instance_.requests();
  const auto& catalog = instance_.config().catalog;

  if (request.method == "GET") {
    const auto session = require_session(request, false);
    const auto r = requests.visible_to(session.account, id);
    std::optional<Account> applicant;
    if (r.account_id != session.account.id)
      instance_.store().read([&](StoreTransaction& tx) { applicant = tx.accounts().find_by_id(r.account_id); });
    if (action.empty()) return json_response(200, request_json(r, catalog, applicant ? &*applicant : nullptr));
    if (action == "letter") return letter_response(requests.letter(session.account, id), id, false);
    throw Error(ErrorKind::not_found, "not_found", "There is nothing at this address.");
  }

  const auto session = require_session(request, true);
  return idempotent(request, session, [&] {
    if (action == "csr") {
      const auto body = parse_body(request);
      requests.for_owner(session.account, id);  // someone else's request: not found
      const auto r = requests.submit_csr(session.account, text_field(body, "csr"), decode_letter(body));
      if (r.id != id)
        throw Error(ErrorKind::not_found, "token_unknown", "The CSR token inside the CSR belongs to another request.");
      return json_response(200, request_json(r, catalog));
    }
    if (action == "cancel") return json_response(200, request_json(requests.cancel(session.account, id), catalog));
    if (action == "approve") return json_response(200, request_json(requests.approve(session.account, id), catalog));
    if (action == "reject") {
      const auto body = parse_body(request);
      return json_response(200, request_json(requests.reject(session.account, id, text_field(body, "reason")), catalog));
    }
    throw Error(ErrorKind::not_found, "not_found", "There is nothing at this address.");
  });
}

http::HttpResponse Api::queue(const http::HttpRequest& request) const {
  const auto session = require_session(request, false);
  const auto query = http::parse_form(request.query);
  QueueFilter filter;
  if (query.count("type")) filter.type = parse_certificate_type(query.at("type"));
  if (query.count("method")) filter.method = parse_method(query.at("method"));
  if (query.count("product")) filter.product_id = query.at("product");
  json list = json::array();
  for (const auto& r : instance_.requests().queue(session.account, filter)) {
    std::optional<Account> applicant;
    instance_.store().read([&](StoreTransaction& tx) { applicant = tx.accounts().find_by_id(r.account_id); });
    auto item = request_json(r, instance_.config().catalog, applicant ? &*applicant : nullptr);
    item["approvals"] = instance_.requests().approvals(r.id).size();
    list.push_back(item);
  }
  return json_response(200, json{{"requests", list}});
}

http::HttpResponse Api::accounts(const http::HttpRequest& request) const {
  const auto session = require_session(request, false);
  if (!staff_helpdesk(session.account.role))
    throw Error(ErrorKind::forbidden, "forbidden", "Only the helpdesk and administrators can look up accounts.");
  const auto query = http::parse_form(request.query);
  const auto q = query.count("q") ? query.at("q") : std::string();
  if (q.size() < 3) throw Error(ErrorKind::invalid_input, "query_too_short", "Search with at least 3 characters.");
  std::vector<Account> found;
  instance_.store().read([&](StoreTransaction& tx) { found = tx.accounts().search(q, 50); });
  const auto now = to_unix(instance_.clock().now());
  json list = json::array();
  for (const auto& a : found)
    list.push_back({{"nik", a.nik},
                    {"name", a.name},
                    {"email", a.email},
                    {"unit", a.unit},
                    {"role", to_string(a.role)},
                    {"locked", a.locked || a.locked_until > now}});
  return json_response(200, json{{"accounts", list}});
}

http::HttpResponse Api::account_action(const http::HttpRequest& request) const {
  const auto session = require_session(request, true);
  const std::string prefix = "/api/v1/accounts/";
  const std::string suffix = "/unlock";
  if (!request.path.ends_with(suffix) || request.path.size() <= prefix.size() + suffix.size())
    throw Error(ErrorKind::not_found, "not_found", "There is nothing at this address.");
  if (!staff_helpdesk(session.account.role))
    throw Error(ErrorKind::forbidden, "forbidden", "Only the helpdesk and administrators can unlock accounts.");
  const auto nik = request.path.substr(prefix.size(), request.path.size() - prefix.size() - suffix.size());
  return idempotent(request, session, [&] {
    sessions_.unlock(session.account, nik);
    return json_response(200, json{{"nik", nik}, {"locked", false}});
  });
}

}  // namespace lontar
