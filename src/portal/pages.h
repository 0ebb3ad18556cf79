#pragma once

// The portal's pages, one class an area; each registers its own routes. They read the
// form, call a service of the domain and render the answer.

#include <functional>
#include <string>

#include "http/router.h"
#include "portal/site.h"

namespace lontar {

// What each area holds: the site's shared parts and the instance whose services it calls.
class PageArea {
 public:
  explicit PageArea(const Site& site) : site_(site), instance_(site.instance()) {}

 protected:
  const Site& site_;
  Instance& instance_;
};

// Log in, log out, change the password (account_pages.cpp).
class AccountPages final : PageArea {
 public:
  explicit AccountPages(const Site& site);
  void add_routes(http::Router& router);

 private:
  http::HttpResponse show_login(const http::HttpRequest& request, const std::string& error_key = {},
                                const std::string& nik = {}) const;
  http::HttpResponse login(const http::HttpRequest& request);
  http::HttpResponse logout(const http::HttpRequest& request) const;
  http::HttpResponse show_password(const http::HttpRequest& request, const std::string& error_key = {}) const;
  http::HttpResponse change_password(const http::HttpRequest& request) const;
};

// My Certificates, downloads, revocation by the holder (certificate_pages.cpp).
class CertificatePages final : PageArea {
 public:
  using PageArea::PageArea;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse certificates(const http::HttpRequest& request) const;
  http::HttpResponse download(const http::HttpRequest& request) const;
  http::HttpResponse revoke(const http::HttpRequest& request) const;
  http::HttpResponse renew(const http::HttpRequest& request) const;
  void describe_renewal(kainjow::mustache::data& row, const CertificateRecord& r,
                        const std::vector<CertificateRequest>& requests, std::int64_t now) const;
  static bool is_shown_error(const std::string& code);
};

// An applicant's requests (request_pages.cpp).
class RequestPages final : PageArea {
 public:
  using PageArea::PageArea;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse show_new_request(const http::HttpRequest& request, const std::string& error = {},
                                      bool esign_chosen = false) const;
  http::HttpResponse create_request(const http::HttpRequest& request) const;
  http::HttpResponse show_request(const http::HttpRequest& request) const;
  http::HttpResponse upload_csr(const http::HttpRequest& request) const;
  http::HttpResponse cancel_request(const http::HttpRequest& request) const;
};

// The verifiers' queue, review and decisions (review_pages.cpp).
class ReviewPages final : PageArea {
 public:
  using PageArea::PageArea;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse show_queue(const http::HttpRequest& request) const;
  http::HttpResponse show_review(const http::HttpRequest& request) const;
  http::HttpResponse show_letter(const http::HttpRequest& request) const;
  http::HttpResponse decide(const http::HttpRequest& request, bool approve) const;
};

// The helpdesk: search, a person's file, unlocking (helpdesk_pages.cpp).
class HelpdeskPages final : PageArea {
 public:
  using PageArea::PageArea;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse helpdesk_search(const http::HttpRequest& request) const;
  http::HttpResponse helpdesk_account(const http::HttpRequest& request) const;
  using PersonAction = std::function<std::string(const Actor& actor, const std::string& nik)>;
  http::HttpResponse act_on_person(const http::HttpRequest& request, const PersonAction& action) const;
};

// Administration: roles and the product catalogue (admin_pages.cpp).
class AdminPages final : PageArea {
 public:
  using PageArea::PageArea;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse show_admin(const http::HttpRequest& request) const;
  http::HttpResponse set_role(const http::HttpRequest& request) const;
};

// eSign holders sign a PDF (document_pages.cpp).
class DocumentPages final : PageArea {
 public:
  using PageArea::PageArea;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse show_sign(const http::HttpRequest& request, const std::string& error = {}) const;
  http::HttpResponse sign(const http::HttpRequest& request) const;
};

// The public checks: the page a QR code opens, and any uploaded PDF (verify_pages.cpp).
class VerifyPages final : PageArea {
 public:
  using PageArea::PageArea;
  void add_routes(http::Router& router);

 private:
  http::HttpResponse show_verification(const http::HttpRequest& request, const std::string& error = {}) const;
  http::HttpResponse show_code_entry(const http::HttpRequest& request) const;
  http::HttpResponse withdraw(const http::HttpRequest& request) const;
  std::optional<Account> viewer(const http::HttpRequest& request) const;
  http::HttpResponse show_verify_upload(const http::HttpRequest& request, const std::string& error = {}) const;
  http::HttpResponse verify_upload(const http::HttpRequest& request) const;
};

}  // namespace lontar
