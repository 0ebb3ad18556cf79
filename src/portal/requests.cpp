// The applicant's request pages: new request (LOCK token or eSign), the request with
// its progress tracker, CSR upload, cancellation.
#include <ctime>

#include "portal/portal.h"
#include "portal/support.h"
#include "portal/text.h"
#include "core/error.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using portal_support::checked_form;
using portal_support::checked_upload;
using portal_support::id_from;
using portal_support::redirect;

std::string methods_of(const Product& p) {
  std::string out;
  for (const auto m : p.methods) out += (out.empty() ? "" : ", ") + std::string(m == Method::lock ? "LOCK" : "eSign");
  return out;
}

// Where a request stands among the procedure's eight steps (SPEC §1): the step the
// applicant is at now; every earlier step is done.
int current_step(const CertificateRequest& r) {
  switch (r.state) {
    case RequestState::draft: return 3;
    case RequestState::token_issued: return 4;
    case RequestState::submitted: return 6;
    case RequestState::approved: return 7;
    case RequestState::issued: return 9;  // all eight done
    case RequestState::rejected: return 6;
    case RequestState::cancelled:
    case RequestState::expired: return r.submitted_at ? 6 : 4;
  }
  return 1;
}
}  // namespace

std::optional<http::HttpResponse> Portal::gate(const Visitor& visitor) {
  if (!visitor.session) return redirect("/login");
  if (visitor.session->account.must_change_password) return redirect("/kata-sandi");
  return std::nullopt;
}

std::string Portal::error_text(const mustache::data& text, const Error& error) {
  const auto* localised = text.get("err_" + error.code());
  if (localised && localised->is_string()) return localised->string_value();
  return error.what();
}

mustache::data Portal::describe_request(const CertificateRequest& r, const mustache::data& text) const {
  mustache::data row;
  const auto* product = instance_.config().catalog.find(r.product_id);
  row.set("id", std::to_string(r.id));
  row.set("product", product ? product->name_for(say(text, "lang_code")) : r.product_id);
  row.set("method", r.method == Method::lock ? "LOCK" : "eSign");
  row.set("kind", say(text, std::string("kind_") + to_string(r.kind)));
  row.set("state", to_string(r.state));
  row.set("state_label", say(text, std::string("state_") + to_string(r.state)));
  if (!r.decision_reason.empty() && r.state == RequestState::rejected) row.set("reason", r.decision_reason);
  if (!r.key_description.empty()) row.set("key", r.key_description);
  if (!r.certificate_serial.empty()) row.set("serial", r.certificate_serial);
  row.set("next_action", say(text, std::string("next_") + to_string(r.state)));

  const int at = current_step(r);
  const bool stopped = r.state == RequestState::rejected || r.state == RequestState::cancelled ||
                       r.state == RequestState::expired;
  mustache::list steps;
  for (int n = 1; n <= 8; ++n) {
    mustache::data step;
    std::string key = "step_" + std::to_string(n);
    if (r.method == Method::esign && n >= 3 && n <= 7) key = "estep_" + std::to_string(n);
    step.set("number", std::to_string(n));
    step.set("label", say(text, key));
    step.set("state", n < at ? "done" : n == at ? (stopped ? "stopped" : "current") : "todo");
    step.set("current", n == at);
    steps.push_back(step);
  }
  row.set("steps", steps);
  return row;
}

http::HttpResponse Portal::show_new_request(const http::HttpRequest& request, const std::string& error,
                                            bool esign_chosen) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  const auto text = portal_text(v.lang);
  mustache::data data;
  mustache::list products;
  const auto chosen = http::parse_form(request.query);
  for (const auto& p : instance_.config().catalog.products) {
    mustache::data row;
    row.set("id", p.id);
    row.set("name", p.name_for(v.lang));
    row.set("type_label", say(text, std::string("type_") + to_string(p.type)));
    row.set("methods", methods_of(p));
    row.set("approvals", std::to_string(p.approvals));
    row.set("selected", chosen.count("product") && chosen.at("product") == p.id);
    products.push_back(row);
  }
  data.set("products", products);
  data.set("esign_chosen", esign_chosen || (chosen.count("method") && chosen.at("method") == "esign"));
  data.set("letter_limit", std::to_string(instance_.requests().policy().letter_max_bytes / 1048576) + " MiB");
  data.set("agreement_version", instance_.requests().policy().agreement_version);
  if (!error.empty()) data.set("error", error);
  auto response = render(v, say(text, "new_request"), "request_new.mustache", data);
  if (!error.empty()) response.status = 400;
  return response;
}

http::HttpResponse Portal::create_request(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  const auto text = portal_text(v.lang);
  const auto form = checked_upload(request, v.session->session);
  NewRequest command;
  command.product_id = form["product"];
  command.method = parse_method(form["method"]).value_or(Method::lock);
  command.letter = form["letter"];
  command.agreement_accepted = form["agree"] == "yes";
  const bool esign = command.method == Method::esign;
  if (esign) {
    if (form["passphrase"] != form["passphrase2"])
      return show_new_request(request, say(text, "passphrases_differ"), true);
    command.passphrase = form["passphrase"];
  }
  OpenedRequest opened;
  try {
    opened = instance_.requests().open(v.session->account, command);
  } catch (const Error& e) {
    if (!e.is_user_error()) throw;
    return show_new_request(request, error_text(text, e), esign);
  }
  if (esign) return redirect("/permohonan?id=" + std::to_string(opened.request.id) + "&created=1");

  mustache::data data;
  data.set("id", std::to_string(opened.request.id));
  data.set("token", opened.csr_token);
  data.set("expires", format_utc(opened.request.token_expires_at, "%Y-%m-%d %H:%M UTC"));
  data.set("expires_iso", format_utc(opened.request.token_expires_at, "%Y-%m-%dT%H:%M:%SZ"));
  auto response = render(v, say(text, "token_title"), "request_token.mustache", data);
  response.status = 201;
  return response;
}

http::HttpResponse Portal::show_request(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  const auto text = portal_text(v.lang);
  const auto query = http::parse_form(request.query);
  const auto id = id_from(query.count("id") ? query.at("id") : "");
  const auto r = instance_.requests().for_owner(v.session->account, id);
  auto data = describe_request(r, text);
  data.set("can_upload", r.state == RequestState::token_issued);
  data.set("can_cancel", r.state == RequestState::token_issued || r.state == RequestState::submitted);
  data.set("has_letter", !r.letter_blob.empty());
  if (query.count("created")) data.set("notice", say(text, "created_notice"));
  if (query.count("submitted")) data.set("notice", say(text, "csr_submitted"));
  if (query.count("cancelled")) data.set("notice", say(text, "cancelled_notice"));
  if (const auto error = query.find("error"); error != query.end()) {
    const auto* message = text.get("err_" + error->second);
    if (message && message->is_string()) data.set("error", message->string_value());
  }
  return render(v, say(text, "request") + " #" + std::to_string(id), "request.mustache", data);
}

http::HttpResponse Portal::upload_csr(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  const auto form = checked_upload(request, v.session->session);
  const auto id = id_from(form["id"]);
  // The request must be the visitor's; the token inside the CSR must name this request.
  const auto mine = instance_.requests().for_owner(v.session->account, id);
  const std::string back = "/permohonan?id=" + std::to_string(id);
  try {
    const auto submitted = instance_.requests().submit_csr(v.session->account, form["csr"], form["letter"]);
    if (submitted.id != mine.id) return redirect(back + "&error=token_unknown");
  } catch (const Error& e) {
    if (!e.is_user_error()) throw;
    const auto code = e.code().starts_with("csr_") && e.code() != "csr_without_token" ? "csr_invalid" : e.code();
    return redirect(back + "&error=" + code);
  }
  return redirect(back + "&submitted=1");
}

http::HttpResponse Portal::cancel_request(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  const auto form = checked_form(request, v.session->session);
  const auto id = id_from(form["id"]);
  try {
    instance_.requests().cancel(v.session->account, id);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict) throw;
    return redirect("/permohonan?id=" + std::to_string(id) + "&error=" + e.code());
  }
  return redirect("/permohonan?id=" + std::to_string(id) + "&cancelled=1");
}

}  // namespace lontar
