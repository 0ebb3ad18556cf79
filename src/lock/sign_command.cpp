// lontar-lock sign: the LOCK holder signs a PDF on their own computer (PAdES B-LT with
// the visible QR stamp). The key never leaves; the server only timestamps, answers
// status questions and registers the signed file, which the signature authenticates.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/document.h"
#include "core/encoding.h"
#include "core/error.h"
#include "crypto/certificate.h"
#include "crypto/holder_files.h"
#include "crypto/pades_cms.h"
#include "crypto/private_key.h"
#include "crypto/signature_check.h"
#include "crypto/validation_data.h"
#include "lock/api_call.h"
#include "lock/lock_tool.h"
#include "pdf/dss_writer.h"
#include "pdf/pdf_signatures.h"
#include "pdf/pdf_signer.h"

namespace lontar::lock {

namespace fs = std::filesystem;

namespace {
// The signed file is meant to be shared: an ordinary file (umask), written whole
// before it takes its name.
void write_document(const fs::path& file, const std::string& content) {
  const auto partial = fs::path(file.string() + ".part");
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush()) throw Failure("cannot write " + partial.string());
  }
  fs::rename(partial, file);
}

std::string read_document(Lang lang, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Failure(say(lang, "input_unreadable") + ": " + file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

// The enrolment to sign with: the one named, else the newest whose certificate has
// been fetched and has not expired.
Enrolment LockTool::signing_enrolment() const {
  if (options_.request_id) return chosen();
  const auto now = std::chrono::system_clock::now();
  const auto all = keystore_.list();
  for (auto e = all.rbegin(); e != all.rend(); ++e) {
    const auto certificate = keystore_.folder(e->request_id) / "certificate.pem";
    if (fs::exists(certificate) && crypto::Certificate::from_pem(read_text_file(certificate)).not_after() > now)
      return *e;
  }
  throw Failure(t("not_issued") + " `lontar-lock fetch`");
}

int LockTool::sign() {
  const auto e = signing_enrolment();
  const auto folder = keystore_.folder(e.request_id);
  if (!fs::exists(folder / "certificate.pem")) throw Failure(t("not_issued") + " `lontar-lock fetch`");
  const auto certificate_pem = read_text_file(folder / "certificate.pem");
  const auto chain_pem = read_text_file(folder / "chain.pem");
  const auto certificate = crypto::Certificate::from_pem(certificate_pem);
  if (certificate.not_after() <= std::chrono::system_clock::now()) throw Failure(t("certificate_expired"));
  const auto document = read_document(lang_, options_.in);
  const auto key = open_key(folder, read_passphrase(false), certificate_pem);

  try {
    pdf::PdfBudget budget;
    pdf::require_earlier_signatures_intact(document, crypto::signature_intact, budget);
  } catch (const Error& error) {
    throw failure_from(error);
  }
  const auto http = client(e);
  const auto code = call(lang_, http, "POST", "/api/v1/documents/codes", "");
  const std::string url = code.at("verification_url");
  const auto signed_at = to_unix(std::chrono::system_clock::now());
  pdf::Stamp stamp;
  stamp.verification_url = url;
  stamp.verification_code = code.at("display_code");
  stamp.signer_name = subject_attribute(certificate.subject(), "CN");
  stamp.signer_unit = subject_attribute(certificate.subject(), "OU");
  stamp.signing_time = format_utc(signed_at, "%Y-%m-%d %H:%M UTC");
  stamp.page = options_.page;
  stamp.visible = !options_.no_stamp;
  stamp.position = parse_stamp_position(options_.position).value_or(StampPosition::bottom_left);
  // The server words the footer (its CA, its language, the code): printed on every page.
  if (const auto footer = code.find("footer"); footer != code.end() && footer->is_array())
    for (const auto& line : *footer)
      if (line.is_string()) stamp.footer.lines.push_back(line.get<std::string>());
  pdf::SignatureFields fields;
  fields.reason = options_.reason.empty() ? "Ditandatangani secara elektronik" : options_.reason;
  fields.signer_name = stamp.signer_name;
  fields.pdf_date = format_utc(signed_at, "D:%Y%m%d%H%M%SZ");
  fields.contact_info = url;

  std::cout << t("signing") << std::endl;
  std::string cms, signed_pdf;
  try {
    signed_pdf = pdf::sign_pdf(document, stamp, fields, [&](std::string_view bytes) {
      cms = crypto::make_pades_cms(key, certificate, chain_pem, bytes, [&](std::string_view request) {
        return fetch_binary(lang_, http, "POST", "/tsa", std::string(request), "application/timestamp-query",
                            "application/timestamp-reply");
      });
      return cms;
    });
    // B-LT: the status answers are checked before anything is registered, so a
    // revoked certificate stops here.
    const auto validation = crypto::gather_validation_data(
        cms, chain_pem,
        [&](std::string_view request) {
          return fetch_binary(lang_, http, "POST", "/ocsp", std::string(request), "application/ocsp-request",
                              "application/ocsp-response");
        },
        {fetch_binary(lang_, http, "GET", "/crl/root.crl", "", "", "application/pkix-crl")});
    signed_pdf = pdf::add_validation_data(signed_pdf, validation);
  } catch (const Error& error) {
    throw failure_from(error);
  }
  std::string target = "/api/v1/documents/" + code.at("code").get<std::string>();
  std::string query;
  if (!options_.title.empty()) query += "title=" + percent_encode(options_.title);
  if (!options_.visibility.empty()) query += (query.empty() ? "" : "&") + std::string("visibility=") + options_.visibility;
  if (!query.empty()) target += "?" + query;
  const auto registered = call(lang_, http, "PUT", target, signed_pdf, {{"Content-Type", "application/pdf"}});
  write_document(options_.out, signed_pdf);
  std::cout << t("signed") << ": " << options_.out << "\n"
            << t("verify_at") << " " << registered.value("verification_url", url) << std::endl;
  return 0;
}

}  // namespace lontar::lock
