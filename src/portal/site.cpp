// What every page of the portal needs: the visitor, the layout, the gate.
#include "portal/site.h"

#include <map>

#include "portal/support.h"
#include "core/encoding.h"
#include "core/error.h"
#include "http/forms.h"
#include "portal/text.h"
#include "web/session_cookie.h"
#include "web/web_assets.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using namespace portal_support;

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

// Who issues: this CA (its issuing CA's organisation), or in RA mode the upstream CA.
namespace {
std::string issuer_of(const Instance& instance) {
  if (instance.config().ra_mode()) return instance.config().upstream.name;
  const auto subject = instance.holder_chain().issuer_subject;
  const auto organisation = subject_attribute(subject, "O");
  return organisation.empty() ? subject_attribute(subject, "CN") : organisation;
}
}  // namespace

Site::Site(Instance& instance, SessionPolicy policy)
    : instance_(instance), sessions_(instance.sessions(policy)), issuer_(issuer_of(instance)) {}

Site::Visitor Site::visitor(const http::HttpRequest& request) const {
  Visitor v;
  const auto cookies = http::parse_cookies(request.header("cookie"));
  const auto query = http::parse_form(request.query);
  if (const auto lang = query.find("lang"); lang != query.end() && (lang->second == "en" || lang->second == "id")) {
    v.lang = lang->second;
    v.set_lang_cookie = true;
  } else if (const auto cookie = cookies.find("lang"); cookie != cookies.end() && cookie->second == "en") {
    v.lang = "en";
  }
  v.session = session_of(sessions_, request);
  return v;
}

namespace {
// Templates are compiled into the binary and never change: each is parsed once per
// thread (a parsed template is not meant to be shared between threads).
mustache::mustache& compiled_template(const std::string& name) {
  thread_local std::map<std::string, mustache::mustache, std::less<>> parsed;
  auto found = parsed.find(name);
  if (found == parsed.end()) found = parsed.emplace(name, std::string(web::asset(name))).first;
  return found->second;
}
}  // namespace

namespace {
// What the layout shows in one language, built once: a page's values are looked up
// before these, so no request copies the whole text of the portal.
const mustache::data& language_scope(const std::string& lang) {
  const auto build = [](const std::string& language) {
    mustache::data scope;
    scope.set("t", portal_text(language));
    scope.set("lang", language);
    scope.set("is_id", language == "id");
    scope.set("is_en", language == "en");
    scope.set("tracker", mustache::partial([] { return std::string(web::asset("templates/tracker.mustache")); }));
    return scope;
  };
  static const mustache::data indonesian = build("id");
  static const mustache::data english = build("en");
  return lang == "en" ? english : indonesian;
}
}  // namespace

http::HttpResponse Site::render(const Visitor& visitor, const std::string& title, const std::string& body_template,
                                  const mustache::data& data) const {
  auto& body = compiled_template("templates/" + body_template);
  auto& layout = compiled_template("templates/layout.mustache");
  // The page's own values, then the language's, then the body's: the same precedence a
  // copy of `data` overwritten with these had, without copying a page of rows.
  mustache::data page;
  page.set("title", title);
  page.set("issuer", issuer_);
  if (visitor.session) {
    const auto role = visitor.session->account.role;
    page.set("user", visitor.session->account.name);
    page.set("csrf", visitor.session->session.csrf);
    page.set("is_reviewer", role == Role::verifier || role == Role::admin || role == Role::auditor);
    page.set("is_helpdesk", can_help(role));
    page.set("is_admin", role == Role::admin);
  }
  mustache::context<std::string> scope{&data};
  scope.push(&language_scope(visitor.lang));
  scope.push(&page);
  page.set("body", body.render(scope));
  http::HttpResponse response;
  response.content_type = "text/html; charset=utf-8";
  response.body = layout.render(scope);
  response.headers.emplace_back("Cache-Control", "no-store");
  if (visitor.set_lang_cookie)
    response.headers.emplace_back("Set-Cookie", "lang=" + visitor.lang + "; Path=/; Max-Age=31536000; SameSite=Lax");
  return response;
}

http::HttpResponse Site::render_form(const Visitor& visitor, const std::string& title,
                                       const std::string& body_template, mustache::data data,
                                       const std::string& error) const {
  if (error.empty()) return render(visitor, title, body_template, data);
  data.set("error", error);
  auto response = render(visitor, title, body_template, data);
  response.status = 400;
  return response;
}

http::HttpResponse Site::redirect_for(const Visitor& visitor, const std::string& location) {
  if (!visitor.set_lang_cookie) return redirect(location);
  return redirect(location + (location.find('?') == std::string::npos ? "?" : "&") + "lang=" + visitor.lang);
}

std::optional<http::HttpResponse> Site::gate(const Visitor& visitor) {
  if (!visitor.session) return redirect_for(visitor, "/login");
  if (visitor.session->account.must_change_password) return redirect_for(visitor, "/kata-sandi");
  return std::nullopt;
}

std::string Site::error_text(const mustache::data& text, const Error& error) {
  const auto* localised = text.get("err_" + error.code());
  if (localised && localised->is_string()) return localised->string_value();
  return error.what();
}

mustache::data Site::describe_request(const CertificateRequest& r, const mustache::data& text) const {
  mustache::data row;
  const auto* product = instance_.config().catalog.find(r.product_id);
  row.set("id", std::to_string(r.id));
  row.set("product", product ? product->name_for(say(text, "lang_code")) : r.product_id);
  row.set("method", std::string(display_name(r.method)));
  row.set("kind", say(text, std::string("kind_") + to_string(r.kind)));
  row.set("state", to_string(r.state));
  row.set("state_label", say(text, std::string("state_") + to_string(r.state)));
  if (!r.decision_reason.empty() && r.state == RequestState::rejected) row.set("reason", r.decision_reason);
  if (!r.key_description.empty()) row.set("key", r.key_description);
  if (!r.certificate_serial.empty()) row.set("serial", r.certificate_serial);
  row.set("next_action", say(text, std::string("next_") + to_string(r.state)));

  const bool stopped = r.state == RequestState::rejected || r.state == RequestState::cancelled ||
                       r.state == RequestState::expired;
  if (r.kind == RequestKind::renewal && r.letter_blob.empty()) {
    row.set("steps", renewal_steps(r, text, stopped));
    return row;
  }
  const int at = current_step(r);
  mustache::list steps;
  for (int n = 1; n <= 8; ++n) {
    mustache::data step;
    std::string key = "step_" + std::to_string(n);
    if (r.method == Method::esign && n >= 3 && n <= 7) key = "estep_" + std::to_string(n);
    step.set("number", std::to_string(n));
    step.set("label", say(text, key));
    step.set("state", n < at ? "done" : n == at ? (stopped ? "stopped" : "current") : "todo");
    step.set("current", n == at);
    steps.push_back(std::move(step));
  }
  row.set("steps", steps);
  return row;
}

// A renewal opened with the current certificate (portal Renew, CMP kur): no token and
// no letter, four steps.
mustache::list Site::renewal_steps(const CertificateRequest& r, const mustache::data& text, bool stopped) {
  const int at = r.state == RequestState::issued     ? 5
                 : r.state == RequestState::approved ? 4
                                                     : 3;
  mustache::list steps;
  for (int n = 1; n <= 4; ++n) {
    mustache::data step;
    step.set("number", std::to_string(n));
    step.set("label", say(text, "rstep_" + std::to_string(n)));
    step.set("state", n < at ? "done" : n == at ? (stopped ? "stopped" : "current") : "todo");
    step.set("current", n == at);
    steps.push_back(std::move(step));
  }
  return steps;
}

mustache::data Site::describe_person(const Account& account) {
  mustache::data row;
  row.set("nik", account.nik);
  row.set("name", account.name);
  row.set("unit", account.unit);
  return row;
}

}  // namespace lontar
