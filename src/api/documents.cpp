// The API's document verification: the same checks as the public pages, as JSON.
#include "api/resources.h"
#include "documents/registered_file.h"
#include "api/support.h"
#include "documents/registration.h"
#include "documents/paper_footer.h"
#include "documents/signing.h"
#include "documents/verification.h"
#include "core/document_registry.h"
#include "core/encoding.h"
#include "http/forms.h"

namespace lontar {

namespace {
using namespace api_support;

json registration_json(const SignedDocument& d) {
  if (d.withdrawn())
    return {{"code", d.id},
            {"signer", d.signer_name},
            {"withdrawn", true},
            {"withdrawn_at", d.withdrawn_at},
            {"withdrawn_reason", d.withdrawn_reason}};
  return {{"code", d.id},          {"sha256", d.sha256},         {"signer", d.signer_name}, {"unit", d.signer_unit},
          {"signed_at", d.signed_at}, {"signatures", d.signature_count}, {"certificate_serial", d.signer_serial},
          {"title", d.title},      {"pages", d.pages},           {"visibility", to_string(d.visibility)},
          {"withdrawn", false}};
}

// What this viewer may see of it: the previews ready, the file.
void add_view(json& out, const Instance& instance, const RegisteredDocument& registered, const DocumentView& view) {
  const auto& d = registered.document;
  const auto base = document_url(instance, d.id);
  json previews = json::array();
  for (int page = 1; page <= view.pages_shown; ++page)
    previews.push_back({{"page", page},
                        {"ready", page <= d.previews},
                        {"url", instance.config().public_url + "/api/v1/documents/" + d.id + "/pages/" +
                                    std::to_string(page)}});
  out["previews"] = previews;
  out["previews_state"] = d.previews == 0 ? "pending" : d.previews == kPreviewsFailed ? "failed" : "ready";
  out["pages_shown"] = view.pages_shown;
  if (view.download) out["pdf_url"] = base + "/pdf";
  out["verification_url"] = base;
}
std::optional<DocumentVisibility> visibility_field(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const auto visibility = parse_document_visibility(text);
  if (!visibility) throw Error(ErrorKind::invalid_input, "bad_visibility", "visibility is \"full\" or \"summary\".");
  return visibility;
}
}  // namespace

void DocumentApi::add_routes(http::Router& router) {
  router.add("GET", "/api/v1/documents/{code}", [this](const http::HttpRequest& request) { return document(request); });
  router.add("GET", "/api/v1/documents/{code}/pdf", [this](const http::HttpRequest& request) {
    return registered_pdf_download(instance_, request, access_.viewer(request));
  });
  router.run_apart("GET", "/api/v1/documents/{code}/pdf", http::Router::Lane::anonymous);
  router.add("GET", "/api/v1/documents/{code}/pages/{page}", [this](const http::HttpRequest& request) {
    return registered_page_preview(instance_, request, access_.viewer(request));
  });
  router.add("POST", "/api/v1/documents/{code}/withdraw",
             [this](const http::HttpRequest& request) { return withdraw(request); });
  router.add("POST", "/api/v1/documents/sign", [this](const http::HttpRequest& request) { return sign(request); });
  router.allow_body("/api/v1/documents/sign", 28 * 1024 * 1024);
  router.add("POST", "/api/v1/documents/codes", [this](const http::HttpRequest& request) { return new_code(request); });
  router.add("PUT", "/api/v1/documents/{code}",
             [this](const http::HttpRequest& request) { return register_signed(request); });
  router.allow_body("/api/v1/documents/{code}", 20 * 1024 * 1024);
  router.add("POST", "/api/v1/verify", [this](const http::HttpRequest& request) { return verify(request); });
  router.allow_body("/api/v1/verify", 20 * 1024 * 1024);
  // Every route that parses an uploaded PDF runs on a work pool: public checks and
  // registrations on the anonymous lane, signed-in work on its own.
  router.run_apart("POST", "/api/v1/verify", http::Router::Lane::anonymous);
  router.run_apart("PUT", "/api/v1/documents/{code}", http::Router::Lane::anonymous);
  router.run_apart("POST", "/api/v1/documents/sign", http::Router::Lane::signed_in);
}

http::HttpResponse DocumentApi::document(const http::HttpRequest& request) const {
  const auto& code = request.param("code");
  const auto registered = instance_.documents().find(code);
  if (!registered) throw Error(ErrorKind::not_found, "unknown_document", "No document is registered under that code.");
  auto out = registration_json(registered->document);
  if (registered->document.withdrawn()) return json_response(200, out);
  if (const auto& certificate = registered->signer_certificate) {
    out["certificate_status"] = to_string(certificate->status);
    if (certificate->revoked_at) out["revoked_at"] = certificate->revoked_at;
  }
  add_view(out, instance_, *registered, view_of(*registered, access_.viewer(request)));
  auto response = json_response(200, out);
  response.headers.emplace_back("X-Robots-Tag", "noindex");
  return response;
}

// POST /api/v1/documents/{code}/withdraw {"reason"}: by the signer or an administrator.
http::HttpResponse DocumentApi::withdraw(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, true);
  const auto body = parse_body(request);
  const auto withdrawn = instance_.documents().withdraw(request.param("code"), session.account,
                                                        text_field(body, "reason"), to_unix(instance_.clock().now()));
  return json_response(200, registration_json(withdrawn));
}

// POST /api/v1/verify[?code=CODE] with the PDF as the body (application/pdf).
http::HttpResponse DocumentApi::verify(const http::HttpRequest& request) const {
  if (request.header("content-type") != "application/pdf")
    throw Error(ErrorKind::invalid_input, "pdf_required", "Send the document as application/pdf.");
  const auto query = http::parse_form(request.query);
  const auto slot = instance_.verification_budget().acquire(request.remote_address, to_unix(instance_.clock().now()));
  const auto report = verify_document(instance_, request.body, query.count("code") ? query.at("code") : "");
  json signatures = json::array();
  for (const auto& s : report.signatures)
    signatures.push_back({{"signer", s.signer},
                          {"unit", s.unit},
                          {"certificate_serial", s.serial},
                          {"timestamp", s.timestamp},
                          {"intact", s.intact},
                          {"trusted", s.trusted},
                          {"certificate_status_now", s.status_now},
                          {"revoked_after_signing", s.revoked_after_signing},
                          {"problem", s.problem}});
  json out{{"verdict", to_string(report.verdict)},
           {"problem", report.problem},
           {"sha256", report.sha256},
           {"long_term_validation_data", report.long_term_validation_data},
           {"signatures", signatures}};
  if (report.registered) out["registered"] = registration_json(*report.registered);
  return json_response(200, out);
}

// POST /api/v1/documents/sign {"pdf_base64", "passphrase", "page"?, "reason"?}: eSign.
http::HttpResponse DocumentApi::sign(const http::HttpRequest& request) const {
  const auto session = access_.require_session(request, true);
  const auto body = parse_body(request);
  const auto pdf = from_base64(text_field(body, "pdf_base64"));
  if (!pdf) throw Error(ErrorKind::invalid_input, "bad_base64", "pdf_base64 is not valid base64.");
  SignDocumentCommand command;
  command.pdf.assign(pdf->begin(), pdf->end());
  command.page = optional_number(body, "page", 0, 0, 100000);
  command.reason = optional_text(body, "reason");
  command.title = optional_text(body, "title");
  command.file_name = optional_text(body, "file_name");
  command.visibility = visibility_field(optional_text(body, "visibility"));
  const auto position = optional_text(body, "position");
  if (position == "none") {
    command.visible_stamp = false;
  } else {
    const auto parsed = parse_stamp_position(position);
    if (!parsed)
      throw Error(ErrorKind::invalid_input, "bad_position",
                  "position is bottom-left, bottom-right, top-left, top-right or none.");
    command.position = *parsed;
  }
  const auto type_text = optional_text(body, "certificate_type");
  const auto type = type_text.empty() ? std::optional(CertificateType::individual) : parse_certificate_type(type_text);
  if (!type) throw Error(ErrorKind::invalid_input, "bad_type", "certificate_type is \"individual\" or \"seal\".");
  const auto result = sign_with_esign(instance_, session.account, text_field(body, "passphrase"), command, *type);
  return json_response(200, json{{"code", result.record.id},
                                 {"verification_url", result.verification_url},
                                 {"sha256", result.record.sha256},
                                 {"pdf_base64", to_base64(as_bytes(result.pdf))}});
}

// POST /api/v1/documents/codes: a verification code and its URL for a document about
// to be signed elsewhere. Nothing is stored until the signed file is registered.
http::HttpResponse DocumentApi::new_code(const http::HttpRequest&) const {
  const auto code = lontar::new_document_code(instance_.random());
  return json_response(201, json{{"code", code},
                                 {"display_code", display_code(code)},
                                 {"verification_url", document_url(instance_, code)},
                                 {"footer", paper_footer(instance_, code).lines}});
}

// PUT /api/v1/documents/{code} with the signed PDF (application/pdf).
http::HttpResponse DocumentApi::register_signed(const http::HttpRequest& request) const {
  if (request.header("content-type") != "application/pdf")
    throw Error(ErrorKind::invalid_input, "pdf_required", "Send the document as application/pdf.");
  const auto& code = request.param("code");
  require_document_code(code);  // before the check's budget is spent
  const auto slot = instance_.verification_budget().acquire(request.remote_address, to_unix(instance_.clock().now()));
  const auto query = http::parse_form(request.query);
  RegistrationDetails details;
  if (const auto title = query.find("title"); title != query.end()) details.title = title->second;
  if (const auto visibility = query.find("visibility"); visibility != query.end())
    details.visibility = visibility_field(visibility->second);
  const auto registration = register_signed_document(instance_, code, request.body, details);
  auto out = registration_json(registration.record);
  out["verification_url"] = document_url(instance_, code);
  return json_response(registration.created ? 201 : 200, out);
}

}  // namespace lontar
