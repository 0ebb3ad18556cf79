#pragma once

#include <optional>
#include <string>

#include <kainjow/mustache.hpp>

#include "core/error.h"
#include "core/sessions.h"
#include "http/message.h"
#include "instance/instance.h"

namespace lontar {

// What every page of the portal needs: who is visiting (language, session), the layout
// around a page, the gate in front of pages for the signed-in. Indonesian by default,
// English with ?lang=en (remembered in a cookie).
class Site final {
 public:
  Site(Instance& instance, SessionPolicy policy);

  struct Visitor {
    std::string lang = "id";
    bool set_lang_cookie = false;
    std::optional<AuthenticatedSession> session;
  };

  Instance& instance() const { return instance_; }
  const SessionService& sessions() const { return sessions_; }
  Visitor visitor(const http::HttpRequest& request) const;
  http::HttpResponse render(const Visitor& visitor, const std::string& title, const std::string& body_template,
                            const kainjow::mustache::data& data) const;
  // A form page; after a refused attempt, with `error` above the form and status 400.
  http::HttpResponse render_form(const Visitor& visitor, const std::string& title, const std::string& body_template,
                                 kainjow::mustache::data data, const std::string& error) const;
  // A redirect that keeps a language chosen on this very request (`/?lang=en` lands on
  // `/login?lang=en`, not on the Indonesian page).
  static http::HttpResponse redirect_for(const Visitor& visitor, const std::string& location);
  // A redirect when the visitor is not logged in or must change the password first.
  static std::optional<http::HttpResponse> gate(const Visitor& visitor);
  // An error in the visitor's language when the texts have it, else the error's own message.
  static std::string error_text(const kainjow::mustache::data& text, const Error& error);
  // A person as the staff lists show them: NIK, name, unit.
  static kainjow::mustache::data describe_person(const Account& account);
  static kainjow::mustache::list renewal_steps(const CertificateRequest& r, const kainjow::mustache::data& text,
                                               bool stopped);
  // A request as its pages and lists show it: product, method, state, tracker.
  kainjow::mustache::data describe_request(const CertificateRequest& r, const kainjow::mustache::data& text) const;

 private:
  Instance& instance_;
  SessionService sessions_;
  std::string issuer_;  // "Sertifikat diterbitkan oleh …": this CA, or the upstream in RA mode
};

}  // namespace lontar
