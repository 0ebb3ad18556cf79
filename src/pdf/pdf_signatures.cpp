#include "pdf/pdf_signatures.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <cstdlib>
#include <set>

#include "core/error.h"
#include "pdf/pdf_document.h"

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
  if (value.getKey("/ContactInfo").isString()) s.contact_info = value.getKey("/ContactInfo").getUTF8Value();
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
      s.signed_size = s.ranges[2] + s.ranges[3];
      s.covers_whole_file = s.signed_size == size;
    }
  }
  out.push_back(std::move(s));
}
}  // namespace

PdfSignatures find_signatures(std::string_view pdf) {
  QPDF doc;
  load_pdf(doc, pdf, "it cannot be checked.");
  PdfSignatures out;
  try {
    auto fields = doc.getRoot().getKey("/AcroForm").getKey("/Fields");
    if (fields.isArray())
      for (auto& field : fields.getArrayAsVector()) collect(field, pdf, out.signatures, 0);
    auto store = doc.getRoot().getKey("/DSS");
    const auto streams = [&](const char* key) {
      std::vector<std::string> data;
      auto array = store.isDictionary() ? store.getKey(key) : QPDFObjectHandle::newNull();
      if (array.isArray())
        for (auto& item : array.getArrayAsVector())
          if (item.isStream()) try {
              const auto buffer = item.getStreamData(qpdf_dl_generalized);
              data.emplace_back(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
            } catch (const std::exception&) {
              // An undecodable entry validates nothing; the others still count.
            }
      return data;
    };
    out.validation_data = {streams("/Certs"), streams("/OCSPs"), streams("/CRLs")};
    out.long_term_validation_data = !out.validation_data.ocsp_responses.empty() || !out.validation_data.crls.empty();
  } catch (const std::exception&) {
    throw unsuitable("the PDF's form structure is damaged.");
  }
  return out;
}

void require_earlier_signatures_intact(std::string_view pdf, const SignatureIntegrityCheck& intact) {
  for (const auto& s : find_signatures(pdf).signatures)
    if (!s.well_formed || !intact(s.contents, s.signed_bytes))
      throw Error(ErrorKind::invalid_input, "pdf_already_changed",
                  "An earlier signature in this PDF no longer matches the file (it was changed after that signature); "
                  "signing it again would hide that. Ask for an unchanged copy.");
}

namespace {
bool same_object(QPDFObjectHandle a, QPDFObjectHandle b) {
  if (a.isStream() != b.isStream()) return false;
  if (!a.isStream()) return a.unparse() == b.unparse();
  return a.getDict().unparse() == b.getDict().unparse() &&
         raw_stream_bytes(a) == raw_stream_bytes(b);
}
}  // namespace

bool only_validation_data_added(std::string_view pdf, std::int64_t signed_size) {
  if (signed_size <= 0 || signed_size > static_cast<std::int64_t>(pdf.size())) return false;
  // The tail must be whole incremental updates: the file ends with its last %%EOF
  // and its cross-reference section lies in the tail.
  const auto end_marker = pdf.rfind("%%EOF");
  const auto startxref = pdf.rfind("startxref");
  if (end_marker == std::string_view::npos || startxref == std::string_view::npos ||
      pdf.find_first_not_of(" \r\n", end_marker + 5) != std::string_view::npos ||
      std::atoll(std::string(pdf.substr(startxref + 9, 24)).c_str()) < signed_size)
    return false;
  QPDF signed_revision, current;
  try {
    load_pdf(signed_revision, pdf.substr(0, static_cast<std::size_t>(signed_size)), "it cannot be checked.");
    load_pdf(current, pdf, "it cannot be checked.");
    auto signed_root = signed_revision.getTrailer().getKey("/Root");
    auto root = current.getTrailer().getKey("/Root");
    if (signed_root.getObjGen() != root.getObjGen()) return false;
    // Every object of the signed revision must be there unchanged (a freed or
    // re-generated object would change what references to it show); only the
    // catalog may differ, and only in its document security store.
    for (auto& before : signed_revision.getAllObjects()) {
      auto after = current.getObjectByObjGen(before.getObjGen());
      if (before.getObjGen() == signed_root.getObjGen()) {
        if (!after.isDictionary()) return false;
        std::set<std::string> keys;
        for (const auto& key : before.getKeys()) keys.insert(key);
        for (const auto& key : after.getKeys()) keys.insert(key);
        for (const auto& key : keys)
          if (key != "/DSS" && before.getKey(key).unparse() != after.getKey(key).unparse()) return false;
        continue;
      }
      if (!same_object(before, after)) return false;
    }
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

}  // namespace lontar::pdf
