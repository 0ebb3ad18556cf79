// The verifiers' pages: the queue, one request under review with its letter, the decision.
#include "portal/pages.h"
#include "portal/support.h"
#include "portal/text.h"
#include "core/error.h"
#include "core/requests.h"
#include "web/letter_response.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using namespace portal_support;
}  // namespace

http::HttpResponse ReviewPages::show_queue(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto& text = portal_text(v.lang);
  QueueFilter filter;
  // The oldest fifty: what a verifier works through in a sitting, and a page that stays
  // quick however long the queue grows.
  filter.limit = 50;
  filter.type = parse_certificate_type(query_value(request, "type"));
  filter.method = parse_method(query_value(request, "method"));
  const auto page = instance_.requests().queue(v.session->account, filter);
  mustache::list rows;
  for (const auto& [r, applicant, approvals] : page.requests) {
    const auto* product = instance_.config().catalog.find(r.product_id);
    mustache::data row;
    row.set("id", std::to_string(r.id));
    row.set("applicant", applicant ? applicant->name : "?");
    row.set("own", r.account_id == v.session->account.id);
    row.set("product", product ? product->name_for(v.lang) : r.product_id);
    row.set("method", std::string(display_name(r.method)));
    row.set("submitted", format_utc(r.submitted_at, "%Y-%m-%d %H:%M"));
    row.set("approvals", std::to_string(approvals));
    row.set("required", std::to_string(product ? product->approvals : 1));
    rows.push_back(std::move(row));
  }
  mustache::data data;
  data.set("requests", rows);
  data.set("has_requests", !page.requests.empty());
  data.set("more", page.more);
  data.set("type_individual", filter.type == CertificateType::individual);
  data.set("type_seal", filter.type == CertificateType::seal);
  data.set("method_lock", filter.method == Method::lock);
  data.set("method_esign", filter.method == Method::esign);
  return site_.render(v, say(text, "queue"), "queue.mustache", data);
}

http::HttpResponse ReviewPages::show_review(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto& text = portal_text(v.lang);
  const auto id = parse_request_id(query_value(request, "id"));
  const auto [r, applicant, approvals] = instance_.requests().review(v.session->account, id);
  const auto* product = instance_.config().catalog.find(r.product_id);
  auto data = site_.describe_request(r, text);
  if (!r.decision_reason.empty()) data.set("reason", r.decision_reason);
  if (applicant) {
    data.set("applicant_name", applicant->name);
    data.set("applicant_nik", applicant->nik);
    data.set("applicant_email", applicant->email);
    data.set("applicant_org", applicant->organisation);
    data.set("applicant_unit", applicant->unit);
    // A renewal shows what it renews: the holder's certificate of that type valid now.
    if (r.kind == RequestKind::renewal)
      for (const auto& c : instance_.certificates().list(*applicant))
        if (c.type == r.type && c.status == CertificateStatus::valid) {
          data.set("current_serial", c.serial_hex);
          data.set("current_until", format_utc(c.not_after, "%Y-%m-%d"));
        }
  }
  if (!r.key_sha256.empty()) data.set("fingerprint", r.key_sha256);
  if (!r.csr_pem.empty() && r.method == Method::lock) {
    try {
      data.set("claimed", instance_.factory().read_kept_request(r.csr_pem)->facts().claimed_subject);
    } catch (const Error&) {
    }
  }
  data.set("approvals", std::to_string(approvals));
  data.set("required", std::to_string(product ? product->approvals : 1));
  data.set("has_letter", !r.letter_blob.empty());
  const bool own = r.account_id == v.session->account.id;
  data.set("own", own);
  data.set("can_decide", can_decide(v.session->account.role) && !own && r.state == RequestState::submitted);
  const auto done = query_value(request, "done");
  if (!done.empty()) data.set("notice", say(text, "approved_notice"));
  const auto error = query_value(request, "error");
  if (!error.empty()) data.set("error", say(text, "err_" + error));
  return site_.render(v, say(text, "review") + " #" + std::to_string(id), "review.mustache", data);
}

http::HttpResponse ReviewPages::show_letter(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (!v.session) throw Error(ErrorKind::unauthenticated, "login_required", "Log in first.");
  const auto id = parse_request_id(query_value(request, "id"));
  return letter_response(instance_.requests().letter(v.session->account, id), id, true);
}

http::HttpResponse ReviewPages::decide(const http::HttpRequest& request, bool approve) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto form = checked_form(request, v.session->session);
  const auto id = parse_request_id(form["id"]);
  const std::string back = "/verifikasi/permohonan?id=" + std::to_string(id);
  try {
    if (approve)
      instance_.requests().approve(v.session->account, id);
    else
      instance_.requests().reject(v.session->account, id, form["reason"]);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict && e.kind() != ErrorKind::invalid_input && e.code() != "own_request") throw;
    return redirect(back + "&error=" + e.code());
  }
  return redirect(back + "&done=1");
}

void ReviewPages::add_routes(http::Router& router) {
  router.add("GET", "/verifikasi", [this](const http::HttpRequest& request) { return show_queue(request); });
  router.add("GET", "/verifikasi/permohonan", [this](const http::HttpRequest& request) { return show_review(request); });
  router.add("GET", "/verifikasi/surat", [this](const http::HttpRequest& request) { return show_letter(request); });
  router.add("POST", "/verifikasi/setujui", [this](const http::HttpRequest& request) { return decide(request, true); });
  router.add("POST", "/verifikasi/tolak", [this](const http::HttpRequest& request) { return decide(request, false); });
}

}  // namespace lontar
