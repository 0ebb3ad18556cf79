// The public verification page: PUBLIC_URL/v/CODE, opened from the QR code on a signed
// document (or PUBLIC_URL/v, where the code is typed from paper), and the upload form
// that checks any PDF. Anyone may open them; they show the document itself — its title
// and a preview of every page, so a reader can see that the paper in hand is the one
// signed — what the signer's certificate says (never the NIK), when it was signed, the
// certificate's status then and now, and the SHA-256 of the registered file. The
// signer or an administrator may withdraw the document.
#include "portal/pages.h"
#include "documents/registered_file.h"
#include "portal/support.h"
#include "portal/text.h"
#include "core/error.h"
#include "documents/verification.h"
#include "http/forms.h"
#include "http/multipart.h"

namespace lontar {

namespace {
namespace mustache = kainjow::mustache;
using namespace portal_support;

// A document's pages are for whoever holds its code, not for search engines.
http::HttpResponse noindex(http::HttpResponse response) {
  response.headers.emplace_back("X-Robots-Tag", "noindex");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}
}  // namespace

http::HttpResponse VerifyPages::show_verification(const http::HttpRequest& request, const std::string& error) const {
  const auto v = site_.visitor(request);
  const auto& text = portal_text(v.lang);
  const auto& id = request.param("code");
  const auto registered = instance_.documents().find(id);
  mustache::data data;
  if (!registered || !registered->signer_certificate) {
    data.set("unknown", true);
    auto response = site_.render(v, say(text, "verify_title"), "verify.mustache", data);
    response.status = 404;
    return response;
  }
  const auto* document = &registered->document;
  const auto& certificate = registered->signer_certificate;
  const auto view = view_of(*registered, v.session ? std::optional(v.session->account) : std::nullopt);
  data.set("code", document->id);
  data.set("display_code", display_code(document->id));
  data.set("signer", document->signer_name);
  if (view.withdrawn) {
    mustache::data withdrawn;
    withdrawn.set("withdrawn_at", format_utc(document->withdrawn_at, "%Y-%m-%d %H:%M UTC"));
    withdrawn.set("withdrawn_reason", document->withdrawn_reason);
    data.set("withdrawn", withdrawn);
    return noindex(site_.render(v, say(text, "verify_title"), "verify.mustache", data));
  }
  mustache::data shown;
  if (!error.empty()) shown.set("error", error);
  shown.set("title", document->title.empty() ? display_code(document->id) : document->title);
  shown.set("pages", std::to_string(document->pages));
  shown.set("visibility", say(text, std::string("visibility_") + to_string(document->visibility)));
  shown.set("unit", document->signer_unit);
  shown.set("signed_at", format_utc(document->signed_at, "%Y-%m-%d %H:%M:%S UTC"));
  shown.set("sha256", document->sha256);
  shown.set("serial", certificate->serial_hex);
  shown.set("signatures", std::to_string(document->signature_count));
  const auto now = to_unix(instance_.clock().now());
  std::string status_now = "verify_status_valid";
  if (certificate->status != CertificateStatus::valid) {
    // Signing refuses revoked certificates, so a revocation in the same second came after.
    status_now = certificate->revoked_at >= document->signed_at ? "verify_status_revoked_after"
                                                               : "verify_status_revoked";
    shown.set("revoked_at", format_utc(certificate->revoked_at, "%Y-%m-%d %H:%M UTC"));
  } else if (certificate->not_after <= now) {
    status_now = "verify_status_expired";
  }
  shown.set("status_now_class", certificate->status == CertificateStatus::valid && certificate->not_after > now
                                    ? "valid"
                                    : "revoked");
  shown.set("status_now", say(text, status_now));
  mustache::list previews;
  for (int page = 1; page <= view.pages_shown; ++page) {
    mustache::data preview;
    preview.set("number", std::to_string(page));
    if (page <= document->previews) preview.set("ready", true);
    else if (document->previews == 0) preview.set("pending", true);
    else preview.set("none", true);
    previews.push_back(std::move(preview));
  }
  shown.set("previews", previews);
  if (view.pages_shown < document->pages) shown.set("summary_only", true);
  if (view.download) shown.set("download", true);
  if (view.may_withdraw) shown.set("may_withdraw", true);
  data.set("shown", shown);
  return noindex(site_.render(v, say(text, "verify_title"), "verify.mustache", data));
}

// GET /v[?code=…]: the code typed from paper, opened as its page.
http::HttpResponse VerifyPages::show_code_entry(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  const auto& text = portal_text(v.lang);
  const auto form = http::parse_form(request.query);
  std::string error;
  if (const auto typed = form.find("code"); typed != form.end()) {
    const auto code = normalise_document_code(typed->second);
    if (is_document_code(code)) return site_.redirect_for(v, "/v/" + code);
    error = say(text, "verify_unknown");
  }
  mustache::data data;
  if (!error.empty()) data.set("error", error);
  return noindex(site_.render(v, say(text, "verify_enter_code_title"), "verify_code.mustache", data));
}

// POST /v/{code}/tarik: the signer or an administrator withdraws the document.
http::HttpResponse VerifyPages::withdraw(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  if (auto redirect_to = Site::gate(v)) return *redirect_to;
  const auto& text = portal_text(v.lang);
  const auto form = checked_form(request, v.session->session);
  const auto& code = request.param("code");
  try {
    instance_.documents().withdraw(code, v.session->account, form["reason"], to_unix(instance_.clock().now()));
  } catch (const Error& e) {
    if (!e.is_user_error()) throw;
    if (e.kind() == ErrorKind::not_found) throw;
    auto again = show_verification(request, Site::error_text(text, e));
    again.status = e.kind() == ErrorKind::forbidden ? 403 : 422;
    return again;
  }
  return site_.redirect_for(v, "/v/" + code);
}

http::HttpResponse VerifyPages::show_verify_upload(const http::HttpRequest& request, const std::string& error) const {
  const auto v = site_.visitor(request);
  const auto& text = portal_text(v.lang);
  mustache::data data;
  data.set("action", "/verifikasi-dokumen");
  return site_.render_form(v, say(text, "verify_upload_title"), "verify_upload.mustache", data, error);
}

http::HttpResponse VerifyPages::verify_upload(const http::HttpRequest& request) const {
  const auto v = site_.visitor(request);
  const auto& text = portal_text(v.lang);
  const auto parts = http::parse_multipart(request.header("content-type"), request.body);
  if (!parts || !parts->count("document") || parts->at("document").data.empty())
    return show_verify_upload(request, say(text, "err_bad_upload"));
  const auto& code = request.param("code");
  VerificationReport report;
  try {
    const auto slot = instance_.verification_budget().acquire(request.remote_address, to_unix(instance_.clock().now()));
    report = verify_document(instance_, parts->at("document").data, code);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::rate_limited) {
      auto busy = show_verify_upload(request, say(text, "err_" + e.code()));
      busy.status = 429;
      busy.headers.emplace_back("Retry-After", "60");
      return busy;
    }
    if (e.kind() != ErrorKind::invalid_input && e.kind() != ErrorKind::policy) throw;
    auto refused = show_verify_upload(request, e.what());
    if (e.kind() == ErrorKind::policy) refused.status = 422;  // past a document limit
    return refused;
  }
  auto verdict = report.verdict;
  // Compared with a code: a validly signed file that is not the registered one says so.
  if (!code.empty() && verdict == Verdict::identical && (!report.registered || report.registered->id != code))
    verdict = Verdict::valid;
  mustache::data data;
  data.set("verdict", to_string(verdict));
  data.set("verdict_text", say(text, std::string("verdict_") + to_string(verdict)));
  data.set("sha256", report.sha256);
  if (!report.problem.empty()) data.set("verdict_reason", report.problem);
  data.set("long_term", say(text, report.long_term_validation_data ? "verify_ltv_yes" : "verify_ltv_no"));
  if (report.registered && verdict == Verdict::identical) data.set("registered_code", report.registered->id);
  // The file may be the one signed, but its signer or an administrator took it back:
  // whoever compares it must be told, whatever the verdict.
  if (report.registered && report.registered->withdrawn()) {
    data.set("withdrawn_at", format_utc(report.registered->withdrawn_at, "%Y-%m-%d %H:%M UTC"));
    data.set("withdrawn_reason", report.registered->withdrawn_reason);
  }
  mustache::list rows;
  int number = 0;
  for (const auto& s : report.signatures) {
    mustache::data row;
    row.set("number", std::to_string(++number));
    row.set("signer", s.signer.empty() ? "?" : s.signer);
    row.set("unit", s.unit);
    row.set("time", s.timestamp ? format_utc(s.timestamp, "%Y-%m-%d %H:%M:%S UTC") : "-");
    row.set("integrity", say(text, s.intact ? "verify_intact" : "verify_broken"));
    row.set("trust", say(text, s.trusted ? "verify_trusted" : "verify_untrusted"));
    row.set("status_now", say(text, "status_word_" + s.status_now) +
                              (s.revoked_after_signing ? " — " + say(text, "verify_status_revoked_after") : ""));
    if (!s.problem.empty()) row.set("problem", s.problem);
    rows.push_back(std::move(row));
  }
  data.set("signatures", rows);
  return site_.render(v, say(text, "verify_result_title"), "verify_report.mustache", data);
}

std::optional<Account> VerifyPages::viewer(const http::HttpRequest& request) const {
  auto v = site_.visitor(request);
  if (!v.session) return std::nullopt;
  return std::move(v.session->account);
}

void VerifyPages::add_routes(http::Router& router) {
  router.add("GET", "/v", [this](const http::HttpRequest& request) { return show_code_entry(request); });
  router.add("GET", "/v/{code}", [this](const http::HttpRequest& request) { return show_verification(request); });
  router.add("GET", "/v/{code}/pdf", [this](const http::HttpRequest& request) {
    return registered_pdf_download(instance_, request, viewer(request));
  });
  // A registered PDF may be tens of MiB, read whole: off the network threads, and only
  // as many at once as the anonymous pool holds.
  router.run_apart("GET", "/v/{code}/pdf", http::Router::Lane::anonymous);
  router.add("GET", "/v/{code}/pages/{page}", [this](const http::HttpRequest& request) {
    return registered_page_preview(instance_, request, viewer(request));
  });
  router.add("POST", "/v/{code}/tarik", [this](const http::HttpRequest& request) { return withdraw(request); });
  router.add("GET", "/verifikasi-dokumen", [this](const http::HttpRequest& request) { return show_verify_upload(request); });
  // Anyone may check a PDF: on the anonymous work pool, apart from signed-in work.
  for (const auto* path : {"/v/{code}", "/verifikasi-dokumen"}) {
    router.add("POST", path, [this](const http::HttpRequest& request) { return verify_upload(request); });
    router.allow_body(path, kUploadLimit);
    router.run_apart("POST", path, http::Router::Lane::anonymous);
  }
}

}  // namespace lontar
