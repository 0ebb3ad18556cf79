// The helpdesk's pages: find a person, see their requests and certificates, lift a lock.
#include <algorithm>

#include "portal/pages.h"
#include "portal/support.h"
#include "portal/text.h"
#include "core/error.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using namespace portal_support;

std::string lock_state(const mustache::data& text, const Account& a, std::int64_t now) {
  return say(text, is_locked(a, now) ? "account_locked" : "account_active");
}
}  // namespace

http::HttpResponse HelpdeskPages::helpdesk_search(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  if (!can_help(v.session->account.role)) throw forbidden_page();
  const auto& text = portal_text(v.lang);
  const auto q = query_value(request, "q");
  mustache::data data;
  data.set("q", q);
  if (q.size() >= 3) {
    const auto found = instance_.accounts().search(Actor::person(v.session->account), q);
    const auto now = to_unix(instance_.clock().now());
    mustache::list rows;
    for (const auto& a : found.accounts) {
      auto row = Site::describe_person(a);
      row.set("role", to_string(a.role));
      row.set("lock_state", lock_state(text, a, now));
      rows.push_back(std::move(row));
    }
    data.set("searched", true);
    data.set("accounts", rows);
    data.set("has_accounts", !found.accounts.empty());
    data.set("more", found.more);
  }
  return site_.render(v, say(text, "helpdesk"), "helpdesk.mustache", data);
}

http::HttpResponse HelpdeskPages::helpdesk_account(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  if (!can_help(v.session->account.role)) throw forbidden_page();
  const auto& text = portal_text(v.lang);
  const auto [person, requests, certificates] =
      instance_.accounts().file(Actor::person(v.session->account), query_value(request, "nik"));
  const auto now = to_unix(instance_.clock().now());
  mustache::data data;
  data.set("nik", person.nik);
  data.set("name", person.name);
  data.set("email", person.email);
  data.set("organisation", person.organisation);
  data.set("unit", person.unit);
  data.set("role", to_string(person.role));
  data.set("lock_state", lock_state(text, person, now));
  data.set("locked", is_locked(person, now));
  mustache::list request_rows;
  for (const auto& r : requests) {
    auto row = site_.describe_request(r, text);
    row.set("updated", format_utc(r.updated_at, "%Y-%m-%d %H:%M"));
    request_rows.push_back(std::move(row));
  }
  data.set("requests", request_rows);
  mustache::list certificate_rows;
  for (const auto& c : certificates) {
    mustache::data row;
    row.set("serial", c.serial_hex);
    row.set("product", c.product_id);
    row.set("status", to_string(c.status));
    row.set("not_after", format_utc(c.not_after, "%Y-%m-%d"));
    certificate_rows.push_back(std::move(row));
  }
  data.set("certificates", certificate_rows);
  data.set("holds_esign", std::any_of(requests.begin(), requests.end(), [](const CertificateRequest& r) {
             return r.method == Method::esign && r.state == RequestState::issued;
           }));
  if (!query_value(request, "unlocked").empty()) data.set("notice", say(text, "unlocked_notice"));
  const auto released = query_value(request, "released");
  if (!released.empty())
    data.set("notice", say(text, released == "0" ? "esign_none_locked_notice" : "esign_released_notice"));
  return site_.render(v, person.name, "account.mustache", data);
}

// A helpdesk action on the person the form names; back to their page, where `action`'s
// answer ("unlocked=1") picks the notice.
http::HttpResponse HelpdeskPages::act_on_person(const http::HttpRequest& request, const PersonAction& action) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto form = checked_form(request, v.session->session);
  if (!can_help(v.session->account.role)) throw forbidden_page();
  const auto nik = form["nik"];
  return redirect("/helpdesk/akun?nik=" + nik + "&" + action(Actor::person(v.session->account), nik));
}

void HelpdeskPages::add_routes(http::Router& router) {
  router.add("GET", "/helpdesk", [this](const http::HttpRequest& request) { return helpdesk_search(request); });
  router.add("GET", "/helpdesk/akun", [this](const http::HttpRequest& request) { return helpdesk_account(request); });
  router.add("POST", "/helpdesk/buka-kunci", [this](const http::HttpRequest& request) {
    return act_on_person(request, [this](const Actor& actor, const std::string& nik) {
      instance_.accounts().unlock(actor, nik);
      return std::string("unlocked=1");
    });
  });
  router.add("POST", "/helpdesk/buka-kunci-esign", [this](const http::HttpRequest& request) {
    return act_on_person(request, [this](const Actor& actor, const std::string& nik) {
      return "released=" + std::to_string(instance_.esign_keys().release(actor, nik));
    });
  });
}

}  // namespace lontar
