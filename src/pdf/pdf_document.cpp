#include "pdf/pdf_document.h"

#include <qpdf/QPDFExc.hh>

#include <cstdio>
#include <cstdlib>

#include "core/error.h"

namespace lontar::pdf {

namespace {
Error unsuitable(const std::string& why) { return Error(ErrorKind::invalid_input, "pdf_unsuitable", why); }

// The byte offset the file's last startxref names.
long long last_xref_offset(std::string_view pdf) {
  const auto at = pdf.rfind("startxref");
  if (at == std::string_view::npos) throw unsuitable("the PDF has no cross-reference table.");
  return std::atoll(std::string(pdf.substr(at + 9, 24)).c_str());
}
}  // namespace

void load_pdf(QPDF& doc, std::string_view pdf, const std::string& purpose) {
  try {
    doc.setSuppressWarnings(true);
    doc.setAttemptRecovery(false);
    doc.processMemoryFile("document.pdf", pdf.data(), pdf.size());
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) throw unsuitable("the PDF is encrypted; " + purpose);
    throw unsuitable("the file is damaged or not a PDF.");
  } catch (const std::exception&) {
    throw unsuitable("the file is damaged or not a PDF.");
  }
  if (doc.isEncrypted()) throw unsuitable("the PDF is encrypted; " + purpose);
}

std::string dictionary_with(QPDFObjectHandle dictionary, const std::map<std::string, std::string>& changes) {
  std::string out = "<<";
  if (dictionary.isDictionary())
    for (const auto& key : dictionary.getKeys())
      if (!changes.count(key)) out += " " + key + " " + dictionary.getKey(key).unparse();
  for (const auto& [key, value] : changes) out += " " + key + " " + value;
  return out + " >>";
}

std::string raw_stream_bytes(QPDFObjectHandle stream) {
  const auto buffer = stream.getRawStreamData();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

std::string reference(int object_number) { return std::to_string(object_number) + " 0 R"; }

IncrementalUpdate append_update(std::string_view pdf, QPDFObjectHandle trailer, const std::map<int, std::string>& objects,
                                int size) {
  IncrementalUpdate update;
  auto& out = update.pdf;
  out.reserve(pdf.size() + 4096);
  out.assign(pdf);
  if (!out.empty() && out.back() != '\n') out += '\n';
  for (const auto& [n, body] : objects) {
    update.offsets[n] = out.size();
    out += std::to_string(n) + " 0 obj\n" + body + "\nendobj\n";
  }
  const auto xref = out.size();
  out += "xref\n";
  for (const auto& [n, offset] : update.offsets) {
    char line[21];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    out += std::to_string(n) + " 1\n" + line;
  }
  std::string tail = "<< /Size " + std::to_string(size) + " /Root " + trailer.getKey("/Root").unparse() + " /Prev " +
                     std::to_string(last_xref_offset(pdf));
  if (trailer.hasKey("/Info")) tail += " /Info " + trailer.getKey("/Info").unparse();
  if (trailer.hasKey("/ID")) tail += " /ID " + trailer.getKey("/ID").unparse();
  out += "trailer\n" + tail + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return update;
}

}  // namespace lontar::pdf
