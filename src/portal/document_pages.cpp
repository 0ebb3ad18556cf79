// eSign holders sign a PDF in the portal: upload, choose the stamp's page, enter the
// passphrase, download the signed file.
#include "portal/pages.h"
#include "portal/support.h"
#include "portal/text.h"
#include "core/error.h"
#include "documents/signing.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using namespace portal_support;
}  // namespace

http::HttpResponse DocumentPages::show_sign(const http::HttpRequest& request, const std::string& error) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto& text = portal_text(v.lang);
  mustache::data data;
  // The configured default comes first, so it is what the form sends untouched.
  const bool summary_first = default_visibility(instance_) == DocumentVisibility::summary;
  mustache::list visibilities;
  for (const auto visibility : summary_first ? std::vector{DocumentVisibility::summary, DocumentVisibility::full}
                                             : std::vector{DocumentVisibility::full, DocumentVisibility::summary}) {
    mustache::data option;
    option.set("value", to_string(visibility));
    option.set("label", say(text, std::string("visibility_") + to_string(visibility)));
    visibilities.push_back(std::move(option));
  }
  data.set("visibilities", visibilities);
  return site_.render_form(v, say(text, "sign_title"), "sign.mustache", data, error);
}

http::HttpResponse DocumentPages::sign(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto& text = portal_text(v.lang);
  const auto form = portal_support::checked_upload(request, v.session->session);
  SignDocumentCommand command;
  command.pdf = form.file("document");
  command.title = form.text("title");
  command.file_name = form.file_name("document");
  if (const auto visibility = form.text("visibility"); !visibility.empty()) {
    command.visibility = parse_document_visibility(visibility);
    if (!command.visibility) return show_sign(request, say(text, "err_pdf_unsuitable"));
  }
  const auto page = form.text("page");
  if (!page.empty()) {
    if (page.size() > 5 || page.find_first_not_of("0123456789") != std::string::npos)
      return show_sign(request, say(text, "err_pdf_unsuitable"));
    command.page = std::stoi(page);
  }
  command.reason = form.text("reason");
  if (form.text("position") == "none") {
    command.visible_stamp = false;
  } else {
    const auto position = parse_stamp_position(form.text("position"));
    if (!position) return show_sign(request, say(text, "err_pdf_unsuitable"));
    command.position = *position;
  }
  SignedDocumentResult result;
  try {
    const auto type = parse_certificate_type(form.text("certificate_type")).value_or(CertificateType::individual);
    result = sign_with_esign(instance_, v.session->account, form.text("passphrase"), command, type);
  } catch (const Error& e) {
    if (!e.is_user_error()) throw;
    return show_sign(request, Site::error_text(text, e));
  }
  http::HttpResponse response;
  response.content_type = "application/pdf";
  response.body = std::move(result.pdf);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"signed-" + result.record.id + ".pdf\"");
  response.headers.emplace_back("X-Verification-Url", result.verification_url);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

void DocumentPages::add_routes(http::Router& router) {
  router.add("GET", "/dokumen", [this](const http::HttpRequest& request) { return show_sign(request); });
  router.add("POST", "/dokumen/tanda-tangan", [this](const http::HttpRequest& request) { return sign(request); });
  router.allow_body("/dokumen/tanda-tangan", kUploadLimit);
  router.run_apart("POST", "/dokumen/tanda-tangan", http::Router::Lane::signed_in);
}

}  // namespace lontar
