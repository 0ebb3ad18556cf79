// The applicant's request pages: new request (LOCK token or eSign), the request with
// its progress tracker, CSR upload, cancellation.
#include "portal/pages.h"
#include "portal/support.h"
#include "portal/text.h"
#include "core/error.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using namespace portal_support;

std::string methods_of(const Product& p) {
  std::string out;
  for (const auto m : p.methods) out += std::string(out.empty() ? "" : ", ") + display_name(m);
  return out;
}

}  // namespace

http::HttpResponse RequestPages::show_new_request(const http::HttpRequest& request, const std::string& error,
                                            bool esign_chosen) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto& text = portal_text(v.lang);
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
    products.push_back(std::move(row));
  }
  data.set("products", products);
  data.set("esign_chosen", esign_chosen || (chosen.count("method") && chosen.at("method") == "esign"));
  data.set("letter_limit", std::to_string(instance_.requests().policy().letter_max_bytes / 1048576) + " MiB");
  data.set("agreement_version", instance_.requests().policy().agreement_version);
  return site_.render_form(v, say(text, "new_request"), "request_new.mustache", data, error);
}

http::HttpResponse RequestPages::create_request(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto& text = portal_text(v.lang);
  const auto form = checked_upload(request, v.session->session);
  NewRequest command;
  command.product_id = form.text("product");
  command.method = parse_method(form.text("method")).value_or(Method::lock);
  command.letter = form.file("letter");
  command.agreement_accepted = form.text("agree") == "yes";
  const bool esign = command.method == Method::esign;
  if (esign) {
    if (form.text("passphrase") != form.text("passphrase2"))
      return show_new_request(request, say(text, "passphrases_differ"), true);
    command.passphrase = form.text("passphrase");
  }
  OpenedRequest opened;
  try {
    opened = instance_.requests().open(v.session->account, command);
  } catch (const Error& e) {
    if (!e.is_user_error()) throw;
    return show_new_request(request, Site::error_text(text, e), esign);
  }
  if (esign) return redirect("/permohonan?id=" + std::to_string(opened.request.id) + "&created=1");

  mustache::data data;
  data.set("id", std::to_string(opened.request.id));
  data.set("token", opened.csr_token);
  data.set("expires", format_utc(opened.request.token_expires_at, "%Y-%m-%d %H:%M UTC"));
  data.set("expires_iso", format_utc(opened.request.token_expires_at, "%Y-%m-%dT%H:%M:%SZ"));
  auto response = site_.render(v, say(text, "token_title"), "request_token.mustache", data);
  response.status = 201;
  return response;
}

http::HttpResponse RequestPages::show_request(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto& text = portal_text(v.lang);
  const auto query = http::parse_form(request.query);
  const auto id = parse_request_id(query.count("id") ? query.at("id") : "");
  const auto r = instance_.requests().for_owner(v.session->account, id);
  auto data = site_.describe_request(r, text);
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
  return site_.render(v, say(text, "request") + " #" + std::to_string(id), "request.mustache", data);
}

http::HttpResponse RequestPages::upload_csr(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto form = checked_upload(request, v.session->session);
  const auto id = parse_request_id(form.text("id"));
  // The request must be the visitor's; the token inside the CSR must name this request.
  const auto mine = instance_.requests().for_owner(v.session->account, id);
  const std::string back = "/permohonan?id=" + std::to_string(id);
  try {
    const auto submitted = instance_.requests().submit_csr(v.session->account, form.file("csr"), form.file("letter"));
    if (submitted.id != mine.id) return redirect(back + "&error=token_unknown");
  } catch (const Error& e) {
    if (!e.is_user_error()) throw;
    const auto code = e.code().starts_with("csr_") && e.code() != "csr_without_token" ? "csr_invalid" : e.code();
    return redirect(back + "&error=" + code);
  }
  return redirect(back + "&submitted=1");
}

http::HttpResponse RequestPages::cancel_request(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto form = checked_form(request, v.session->session);
  const auto id = parse_request_id(form["id"]);
  try {
    instance_.requests().cancel(v.session->account, id);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict) throw;
    return redirect("/permohonan?id=" + std::to_string(id) + "&error=" + e.code());
  }
  return redirect("/permohonan?id=" + std::to_string(id) + "&cancelled=1");
}

void RequestPages::add_routes(http::Router& router) {
  const auto letter_limit = instance_.config().requests.letter_max_bytes + 256 * 1024;
  router.add("GET", "/permohonan/baru", [this](const http::HttpRequest& request) { return show_new_request(request); });
  router.add("POST", "/permohonan/baru", [this](const http::HttpRequest& request) { return create_request(request); });
  router.add("GET", "/permohonan", [this](const http::HttpRequest& request) { return show_request(request); });
  router.add("POST", "/permohonan/csr", [this](const http::HttpRequest& request) { return upload_csr(request); });
  router.add("POST", "/permohonan/batal", [this](const http::HttpRequest& request) { return cancel_request(request); });
  // Letters are parsed on the signed-in work pool, not on the threads that answer everything else.
  for (const auto* path : {"/permohonan/baru", "/permohonan/csr"}) {
    router.allow_body(path, letter_limit);
    router.run_apart("POST", path, http::Router::Lane::signed_in);
  }
}

}  // namespace lontar
