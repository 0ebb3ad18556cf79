#include "documents/paper_footer.h"

#include "core/encoding.h"
#include "crypto/certificate.h"

namespace lontar {

namespace {
std::string issuer_name(const Instance& instance) {
  const auto subject = instance.holder_chain().issuer_subject;
  auto name = subject_attribute(subject, "O");
  return name.empty() ? subject_attribute(subject, "CN") : name;
}

std::string code_address(const Instance& instance) {
  std::string url = instance.config().public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/v";
}
}  // namespace

pdf::PageFooter paper_footer(const Instance& instance, const std::string& code) {
  const auto& settings = instance.config().documents;
  if (!settings.footer) return {};
  const auto ca = issuer_name(instance);
  const auto where = code_address(instance);
  const auto shown = display_code(code);
  if (settings.footer_language == "en")
    return {{"This document has been signed electronically with an electronic certificate issued by " + ca + ".",
             "Its authenticity can be proven by scanning the QR code, or at " + where + " with the code " + shown +
                 ". Page {page} of {pages}.",
             "Under Law No. 11 of 2008 on Electronic Information and Transactions (UU ITE), Article 5(1), electronic "
             "information, electronic documents and their printouts are valid legal evidence."}};
  return {{"Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh " +
               ca + ".",
           "Keaslian dokumen ini dapat dibuktikan dengan memindai kode QR, atau di " + where + " dengan kode " + shown +
               ". Halaman {page} dari {pages}.",
           "Sesuai UU ITE No. 11 Tahun 2008 Pasal 5 ayat 1, informasi elektronik, dokumen elektronik dan/atau hasil "
           "cetaknya merupakan alat bukti hukum yang sah."}};
}

}  // namespace lontar
