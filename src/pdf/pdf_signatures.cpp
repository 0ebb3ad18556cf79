#include "pdf/pdf_signatures.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include "core/error.h"

namespace lontar::pdf {

namespace {
Error unsuitable(const std::string& why) { return Error(ErrorKind::invalid_input, "pdf_unsuitable", why); }

void collect(QPDFObjectHandle field, std::string_view pdf, std::vector<EmbeddedSignature>& out, int depth) {
  if (!field.isDictionary() || depth > 8) return;
  auto kids = field.getKey("/Kids");
  if (kids.isArray())
    for (auto& kid : kids.getArrayAsVector()) collect(kid, pdf, out, depth + 1);
  auto value = field.getKey("/V");
  if (!(field.getKey("/FT").isName() && field.getKey("/FT").getName() == "/Sig") || !value.isDictionary()) return;
  EmbeddedSignature s;
  s.field_name = field.getKey("/T").isString() ? field.getKey("/T").getUTF8Value() : "";
  s.sub_filter = value.getKey("/SubFilter").isName() ? value.getKey("/SubFilter").getName() : "";
  auto range = value.getKey("/ByteRange");
  auto contents = value.getKey("/Contents");
  if (contents.isString()) s.contents = contents.getStringValue();
  if (range.isArray() && range.getArrayNItems() == 4) {
    bool integers = true;
    for (int i = 0; i < 4; ++i) {
      integers = integers && range.getArrayItem(i).isInteger();
      if (integers) s.ranges[i] = range.getArrayItem(i).getIntValue();
    }
    const auto size = static_cast<std::int64_t>(pdf.size());
    s.well_formed = integers && s.ranges[0] == 0 && s.ranges[1] > 0 && s.ranges[2] > s.ranges[1] &&
                    s.ranges[3] >= 0 && s.ranges[2] + s.ranges[3] <= size;
    if (s.well_formed) {
      s.signed_bytes = std::string(pdf.substr(0, static_cast<std::size_t>(s.ranges[1]))) +
                       std::string(pdf.substr(static_cast<std::size_t>(s.ranges[2]), static_cast<std::size_t>(s.ranges[3])));
      s.covers_whole_file = s.ranges[2] + s.ranges[3] == size;
    }
  }
  out.push_back(std::move(s));
}
}  // namespace

std::vector<EmbeddedSignature> find_signatures(std::string_view pdf) {
  QPDF doc;
  try {
    doc.setSuppressWarnings(true);
    doc.setAttemptRecovery(false);
    doc.processMemoryFile("upload.pdf", pdf.data(), pdf.size());
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) throw unsuitable("the PDF is encrypted; it cannot be checked.");
    throw unsuitable("the file is damaged or not a PDF.");
  } catch (const std::exception&) {
    throw unsuitable("the file is damaged or not a PDF.");
  }
  std::vector<EmbeddedSignature> out;
  try {
    auto fields = doc.getRoot().getKey("/AcroForm").getKey("/Fields");
    if (fields.isArray())
      for (auto& field : fields.getArrayAsVector()) collect(field, pdf, out, 0);
  } catch (const std::exception&) {
    throw unsuitable("the PDF's form structure is damaged.");
  }
  return out;
}

}  // namespace lontar::pdf
