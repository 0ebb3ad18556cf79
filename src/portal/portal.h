#pragma once

#include <map>
#include <mutex>
#include <string>

#include <kainjow/mustache.hpp>

#include "instance/failure_throttle.h"
#include "instance/instance.h"
#include "core/error.h"
#include "core/requests.h"
#include "core/sessions.h"
#include "http/router.h"

namespace lontar {

// The AMS portal's first pages: log in with NIK and password, My Certificates
// (Sertifikat Saya) with downloads, log out. Indonesian by default, English with
// ?lang=en (remembered in a cookie). Thin: parses, calls the core, renders.
class Portal final {
 public:
  explicit Portal(Instance& instance, SessionPolicy policy = {});
  void add_routes(http::Router& router);

 private:
  struct Visitor {
    std::string lang = "id";
    bool set_lang_cookie = false;
    std::optional<AuthenticatedSession> session;
  };
  Visitor visitor(const http::HttpRequest& request) const;
  http::HttpResponse render(const Visitor& visitor, const std::string& title, const std::string& body_template,
                            const kainjow::mustache::data& data) const;

  http::HttpResponse show_login(const http::HttpRequest& request, const std::string& error_key = {},
                                const std::string& nik = {}) const;
  http::HttpResponse login(const http::HttpRequest& request);
  http::HttpResponse logout(const http::HttpRequest& request) const;
  http::HttpResponse certificates(const http::HttpRequest& request) const;
  http::HttpResponse download(const http::HttpRequest& request) const;
  http::HttpResponse revoke(const http::HttpRequest& request) const;
  http::HttpResponse show_password(const http::HttpRequest& request, const std::string& error_key = {}) const;
  http::HttpResponse change_password(const http::HttpRequest& request) const;
  // Requests (portal_requests.cpp).
  http::HttpResponse show_new_request(const http::HttpRequest& request, const std::string& error = {},
                                      bool esign_chosen = false) const;
  http::HttpResponse create_request(const http::HttpRequest& request) const;
  http::HttpResponse show_request(const http::HttpRequest& request) const;
  http::HttpResponse upload_csr(const http::HttpRequest& request) const;
  http::HttpResponse cancel_request(const http::HttpRequest& request) const;
  kainjow::mustache::data describe_request(const CertificateRequest& r, const kainjow::mustache::data& text) const;
  static std::string error_text(const kainjow::mustache::data& text, const Error& error);

  // Verifiers, helpdesk, administration, help (portal_staff.cpp).
  http::HttpResponse show_queue(const http::HttpRequest& request) const;
  http::HttpResponse show_review(const http::HttpRequest& request) const;
  http::HttpResponse show_letter(const http::HttpRequest& request) const;
  http::HttpResponse decide(const http::HttpRequest& request, bool approve) const;
  http::HttpResponse helpdesk_search(const http::HttpRequest& request) const;
  http::HttpResponse helpdesk_account(const http::HttpRequest& request) const;
  http::HttpResponse unlock_account(const http::HttpRequest& request) const;
  http::HttpResponse show_admin(const http::HttpRequest& request) const;
  http::HttpResponse set_role(const http::HttpRequest& request) const;
  http::HttpResponse show_help(const http::HttpRequest& request) const;
  // The public verification page a signed document's QR code opens (portal_verify.cpp).
  http::HttpResponse show_verification(const http::HttpRequest& request) const;
  // Upload a PDF and see who signed it and whether it changed (no account needed).
  http::HttpResponse show_verify_upload(const http::HttpRequest& request, const std::string& error = {}) const;
  http::HttpResponse verify_upload(const http::HttpRequest& request) const;
  // eSign holders sign a PDF with their server-held key (portal_sign.cpp).
  http::HttpResponse show_sign(const http::HttpRequest& request, const std::string& error = {}) const;
  http::HttpResponse sign(const http::HttpRequest& request) const;
  // A redirect when the visitor is not logged in or must change the password first.
  static std::optional<http::HttpResponse> gate(const Visitor& visitor);


  Instance& instance_;
  SessionService sessions_;
  FailureThrottle failures_;
};

}  // namespace lontar
