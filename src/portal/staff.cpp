// Pages for staff: the verifier's queue and review, the helpdesk, administration; and
// the public help page.
#include "portal/portal.h"
#include "web/letter_response.h"
#include "portal/support.h"
#include "portal/text.h"
#include "core/error.h"
#include "core/requests.h"
#include "web/web_assets.h"

#include <nlohmann/json.hpp>

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using portal_support::checked_form;
using portal_support::id_from;
using portal_support::redirect;

std::string query_value(const http::HttpRequest& request, const char* name) {
  const auto query = http::parse_form(request.query);
  const auto found = query.find(name);
  return found == query.end() ? std::string() : found->second;
}

Error forbidden_page() {
  return Error(ErrorKind::forbidden, "forbidden", "Your role does not give access to this page.");
}

bool is_helpdesk(Role role) { return role == Role::helpdesk || role == Role::admin; }

std::string lock_state(const mustache::data& text, const Account& a, std::int64_t now) {
  return say(text, a.locked || a.locked_until > now ? "account_locked" : "account_active");
}
}  // namespace

http::HttpResponse Portal::show_queue(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  const auto text = portal_text(v.lang);
  QueueFilter filter;
  filter.type = parse_certificate_type(query_value(request, "type"));
  filter.method = parse_method(query_value(request, "method"));
  const auto requests = instance_.requests().queue(v.session->account, filter);
  mustache::list rows;
  for (const auto& r : requests) {
    std::optional<Account> applicant;
    instance_.store().read([&](StoreTransaction& tx) { applicant = tx.accounts().find_by_id(r.account_id); });
    const auto* product = instance_.config().catalog.find(r.product_id);
    mustache::data row;
    row.set("id", std::to_string(r.id));
    row.set("applicant", applicant ? applicant->name : "?");
    row.set("own", r.account_id == v.session->account.id);
    row.set("product", product ? product->name_for(v.lang) : r.product_id);
    row.set("method", r.method == Method::lock ? "LOCK" : "eSign");
    row.set("submitted", format_utc(r.submitted_at, "%Y-%m-%d %H:%M"));
    row.set("approvals", std::to_string(instance_.requests().approvals(r.id).size()));
    row.set("required", std::to_string(product ? product->approvals : 1));
    rows.push_back(row);
  }
  mustache::data data;
  data.set("requests", rows);
  data.set("has_requests", !requests.empty());
  data.set("type_individual", filter.type == CertificateType::individual);
  data.set("type_seal", filter.type == CertificateType::seal);
  data.set("method_lock", filter.method == Method::lock);
  data.set("method_esign", filter.method == Method::esign);
  return render(v, say(text, "queue"), "queue.mustache", data);
}

http::HttpResponse Portal::show_review(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  const auto text = portal_text(v.lang);
  const auto id = id_from(query_value(request, "id"));
  const auto r = instance_.requests().for_reviewer(v.session->account, id);
  std::optional<Account> applicant;
  instance_.store().read([&](StoreTransaction& tx) { applicant = tx.accounts().find_by_id(r.account_id); });
  const auto* product = instance_.config().catalog.find(r.product_id);
  auto data = describe_request(r, text);
  if (!r.decision_reason.empty()) data.set("reason", r.decision_reason);
  if (applicant) {
    data.set("applicant_name", applicant->name);
    data.set("applicant_nik", applicant->nik);
    data.set("applicant_email", applicant->email);
    data.set("applicant_org", applicant->organisation);
    data.set("applicant_unit", applicant->unit);
  }
  if (!r.key_sha256.empty()) data.set("fingerprint", r.key_sha256);
  if (!r.csr_pem.empty() && r.method == Method::lock) {
    try {
      data.set("claimed", instance_.factory().parse_csr(r.csr_pem)->facts().claimed_subject);
    } catch (const Error&) {
    }
  }
  data.set("approvals", std::to_string(instance_.requests().approvals(id).size()));
  data.set("required", std::to_string(product ? product->approvals : 1));
  data.set("has_letter", !r.letter_blob.empty());
  const bool own = r.account_id == v.session->account.id;
  data.set("own", own);
  data.set("can_decide", can_decide(v.session->account.role) && !own && r.state == RequestState::submitted);
  const auto done = query_value(request, "done");
  if (!done.empty()) data.set("notice", say(text, "approved_notice"));
  const auto error = query_value(request, "error");
  if (!error.empty()) data.set("error", say(text, "err_" + error));
  return render(v, say(text, "review") + " #" + std::to_string(id), "review.mustache", data);
}

http::HttpResponse Portal::show_letter(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (!v.session) throw Error(ErrorKind::unauthenticated, "login_required", "Log in first.");
  const auto id = id_from(query_value(request, "id"));
  return letter_response(instance_.requests().letter(v.session->account, id), id, true);
}

http::HttpResponse Portal::decide(const http::HttpRequest& request, bool approve) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  const auto form = checked_form(request, v.session->session);
  const auto id = id_from(form["id"]);
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

http::HttpResponse Portal::helpdesk_search(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  if (!is_helpdesk(v.session->account.role)) throw forbidden_page();
  const auto text = portal_text(v.lang);
  const auto q = query_value(request, "q");
  mustache::data data;
  data.set("q", q);
  if (q.size() >= 3) {
    std::vector<Account> found;
    instance_.store().read([&](StoreTransaction& tx) { found = tx.accounts().search(q, 50); });
    const auto now = to_unix(instance_.clock().now());
    mustache::list rows;
    for (const auto& a : found) {
      mustache::data row;
      row.set("nik", a.nik);
      row.set("name", a.name);
      row.set("unit", a.unit);
      row.set("role", to_string(a.role));
      row.set("lock_state", lock_state(text, a, now));
      rows.push_back(row);
    }
    data.set("searched", true);
    data.set("accounts", rows);
    data.set("has_accounts", !found.empty());
  }
  return render(v, say(text, "helpdesk"), "helpdesk.mustache", data);
}

http::HttpResponse Portal::helpdesk_account(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  if (!is_helpdesk(v.session->account.role)) throw forbidden_page();
  const auto text = portal_text(v.lang);
  std::optional<Account> account;
  std::vector<CertificateRequest> requests;
  std::vector<CertificateRecord> certificates;
  instance_.store().read([&](StoreTransaction& tx) {
    account = tx.accounts().find_by_nik(query_value(request, "nik"));
    if (!account) return;
    requests = tx.requests().list_for_account(account->id);
    certificates = tx.certificates().list_for_account(account->id);
  });
  if (!account) throw Error(ErrorKind::not_found, "unknown_account", "No account has that NIK.");
  const auto now = to_unix(instance_.clock().now());
  mustache::data data;
  data.set("nik", account->nik);
  data.set("name", account->name);
  data.set("email", account->email);
  data.set("organisation", account->organisation);
  data.set("unit", account->unit);
  data.set("role", to_string(account->role));
  data.set("lock_state", lock_state(text, *account, now));
  data.set("locked", account->locked || account->locked_until > now);
  mustache::list request_rows;
  for (const auto& r : requests) {
    auto row = describe_request(r, text);
    row.set("updated", format_utc(r.updated_at, "%Y-%m-%d %H:%M"));
    request_rows.push_back(row);
  }
  data.set("requests", request_rows);
  mustache::list certificate_rows;
  for (const auto& c : certificates) {
    mustache::data row;
    row.set("serial", c.serial_hex);
    row.set("product", c.product_id);
    row.set("status", to_string(c.status));
    row.set("not_after", format_utc(c.not_after, "%Y-%m-%d"));
    certificate_rows.push_back(row);
  }
  data.set("certificates", certificate_rows);
  if (!query_value(request, "unlocked").empty()) data.set("notice", say(text, "unlocked_notice"));
  return render(v, account->name, "account.mustache", data);
}

http::HttpResponse Portal::unlock_account(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  const auto form = checked_form(request, v.session->session);
  if (!is_helpdesk(v.session->account.role)) throw forbidden_page();
  const auto nik = form["nik"];
  sessions_.unlock(v.session->account, nik);
  return redirect("/helpdesk/akun?nik=" + nik + "&unlocked=1");
}

http::HttpResponse Portal::show_admin(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  if (v.session->account.role != Role::admin) throw forbidden_page();
  const auto text = portal_text(v.lang);
  std::vector<Account> accounts;
  instance_.store().read([&](StoreTransaction& tx) { accounts = tx.accounts().list(); });
  mustache::list rows;
  for (const auto& a : accounts) {
    mustache::data row;
    row.set("nik", a.nik);
    row.set("name", a.name);
    row.set("unit", a.unit);
    row.set("csrf", v.session->session.csrf);
    mustache::list roles;
    for (const auto role : {Role::applicant, Role::verifier, Role::helpdesk, Role::admin, Role::auditor}) {
      mustache::data option;
      option.set("value", to_string(role));
      option.set("selected", role == a.role);
      roles.push_back(option);
    }
    row.set("roles", roles);
    rows.push_back(row);
  }
  mustache::list products;
  for (const auto& p : instance_.config().catalog.products) {
    mustache::data row;
    row.set("id", p.id);
    row.set("name", p.name_for(v.lang));
    row.set("type_label", say(text, std::string("type_") + to_string(p.type)));
    row.set("days", std::to_string(p.validity_days));
    std::string keys, methods;
    for (const auto& k : p.keys) keys += (keys.empty() ? "" : ", ") + k.describe();
    for (const auto m : p.methods) methods += (methods.empty() ? "" : ", ") + std::string(to_string(m));
    row.set("keys", keys);
    row.set("methods", methods);
    row.set("approvals", std::to_string(p.approvals));
    products.push_back(row);
  }
  mustache::data data;
  data.set("accounts", rows);
  data.set("products", products);
  if (!query_value(request, "saved").empty()) data.set("notice", say(text, "role_saved"));
  return render(v, say(text, "administration"), "admin.mustache", data);
}

http::HttpResponse Portal::set_role(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  if (auto redirect_to = gate(v)) return *redirect_to;
  const auto form = checked_form(request, v.session->session);
  if (v.session->account.role != Role::admin) throw forbidden_page();
  const auto role = parse_role(form["role"]);
  if (!role) throw Error(ErrorKind::invalid_input, "bad_role", "Unknown role.");
  const auto nik = form["nik"];
  if (nik == v.session->account.nik && *role != Role::admin)
    throw Error(ErrorKind::policy, "last_admin", "You cannot take the administrator role from yourself.");
  const auto now = to_unix(instance_.clock().now());
  instance_.store().write([&](StoreTransaction& tx) {
    auto account = tx.accounts().find_by_nik(nik);
    if (!account) throw Error(ErrorKind::not_found, "unknown_account", "No account has that NIK.");
    const auto before = account->role;
    account->role = *role;
    tx.accounts().update(*account);
    tx.audit().append({"nik:" + v.session->account.nik, "account.role_changed", "account:" + nik,
                       nlohmann::json{{"from", to_string(before)}, {"to", to_string(*role)}}.dump()},
                      now);
  });
  return redirect("/admin?saved=1");
}

http::HttpResponse Portal::show_help(const http::HttpRequest& request) const {
  const auto v = visitor(request);
  const auto text = portal_text(v.lang);
  mustache::list steps;
  for (int n = 1; n <= 8; ++n) steps.push_back(mustache::data(say(text, "step_" + std::to_string(n))));
  mustache::data data;
  data.set("steps", steps);
  return render(v, say(text, "help"), "help.mustache", data);
}

}  // namespace lontar
