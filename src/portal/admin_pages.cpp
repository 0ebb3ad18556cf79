// Administration: accounts and their roles, the product catalogue.
#include "portal/pages.h"
#include "portal/support.h"
#include "portal/text.h"
#include "core/error.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using namespace portal_support;
}  // namespace

http::HttpResponse AdminPages::show_admin(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  if (v.session->account.role != Role::admin) throw forbidden_page();
  const auto& text = portal_text(v.lang);
  const auto accounts = instance_.accounts().list(Actor::person(v.session->account));
  mustache::list rows;
  for (const auto& a : accounts) {
    auto row = Site::describe_person(a);
    row.set("csrf", v.session->session.csrf);
    mustache::list roles;
    for (const auto role : {Role::applicant, Role::verifier, Role::helpdesk, Role::admin, Role::auditor}) {
      mustache::data option;
      option.set("value", to_string(role));
      option.set("selected", role == a.role);
      roles.push_back(std::move(option));
    }
    row.set("roles", roles);
    rows.push_back(std::move(row));
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
    products.push_back(std::move(row));
  }
  mustache::data data;
  data.set("accounts", rows);
  data.set("products", products);
  if (!query_value(request, "saved").empty()) data.set("notice", say(text, "role_saved"));
  return site_.render(v, say(text, "administration"), "admin.mustache", data);
}

http::HttpResponse AdminPages::set_role(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto form = checked_form(request, v.session->session);
  if (v.session->account.role != Role::admin) throw forbidden_page();
  const auto role = parse_role(form["role"]);
  if (!role) throw Error(ErrorKind::invalid_input, "bad_role", "Unknown role.");
  instance_.accounts().set_role(Actor::person(v.session->account), form["nik"], *role);
  return redirect("/admin?saved=1");
}

void AdminPages::add_routes(http::Router& router) {
  router.add("GET", "/admin", [this](const http::HttpRequest& request) { return show_admin(request); });
  router.add("POST", "/admin/peran", [this](const http::HttpRequest& request) { return set_role(request); });
}

}  // namespace lontar
