#pragma once

#include "core/sessions.h"
#include "http/router.h"
#include "instance/instance.h"
#include "portal/pages.h"
#include "portal/site.h"

namespace lontar {

// The AMS portal (SPEC §1): every page area on one site, with the help page and the
// static files. Thin: pages parse, call the domain's services, render.
class Portal final {
 public:
  explicit Portal(Instance& instance, SessionPolicy policy = {});
  void add_routes(http::Router& router);

 private:
  http::HttpResponse show_help(const http::HttpRequest& request) const;

  Site site_;
  AccountPages accounts_{site_};
  CertificatePages certificates_{site_};
  RequestPages requests_{site_};
  ReviewPages review_{site_};
  HelpdeskPages helpdesk_{site_};
  AdminPages admin_{site_};
  DocumentPages documents_{site_};
  VerifyPages verify_{site_};
};

}  // namespace lontar
