#include "pdf/pdf_signer.h"

#include <qrencode.h>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

#include "core/encoding.h"
#include "core/error.h"
#include "pdf/active_content.h"
#include "pdf/page_footer_objects.h"
#include "pdf/pdf_document.h"
#include "pdf/pdf_signatures.h"

namespace lontar::pdf {

namespace {
Error unsuitable(const std::string& why) { return Error(ErrorKind::invalid_input, "pdf_unsuitable", why); }

struct QrDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

std::string qr_code_drawing(const std::string& text, double x, double y, double size) {
  std::unique_ptr<QRcode, QrDeleter> code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) throw Error(ErrorKind::internal, "qr_failed", "Could not make the QR code.");
  const int quiet = 4;
  const int modules = code->width + 2 * quiet;
  const double unit = size / modules;
  std::ostringstream out;
  out << "q 1 1 1 rg " << number(x) << " " << number(y) << " " << number(size) << " " << number(size) << " re f\n";
  out << "0 0 0 rg\n";
  for (int row = 0; row < code->width; ++row) {
    for (int col = 0; col < code->width; ++col) {
      if (!(code->data[row * code->width + col] & 1)) continue;
      // PDF's y axis points up; the QR matrix's first row is its top.
      const double mx = x + (col + quiet) * unit;
      const double my = y + size - (row + quiet + 1) * unit;
      out << number(mx) << " " << number(my) << " " << number(unit) << " " << number(unit) << " re\n";
    }
  }
  out << "f Q\n";
  return out.str();
}

namespace {
struct Rect {
  double x = 0, y = 0, width = 260, height = 86;
};

// Where the stamp goes: 36 pt from the two edges of the page's visible box.
Rect stamp_rect(QPDFObjectHandle page, StampPosition position) {
  auto box = page.getKey("/CropBox").isArray() ? page.getKey("/CropBox") : page.getKey("/MediaBox");
  double left = 0, bottom = 0, right = 612, top = 792;
  bool numeric_box = box.isArray() && box.getArrayNItems() == 4;
  for (int i = 0; numeric_box && i < 4; ++i) numeric_box = box.getArrayItem(i).isNumber();
  if (numeric_box) {
    left = box.getArrayItem(0).getNumericValue();
    bottom = box.getArrayItem(1).getNumericValue();
    right = box.getArrayItem(2).getNumericValue();
    top = box.getArrayItem(3).getNumericValue();
  }
  Rect rect;
  const double margin = 36;
  const bool at_right = position == StampPosition::bottom_right || position == StampPosition::top_right;
  const bool at_top = position == StampPosition::top_left || position == StampPosition::top_right;
  rect.x = at_right ? std::max(left, right - margin - rect.width) : left + margin;
  rect.y = at_top ? std::max(bottom, top - margin - rect.height) : bottom + margin;
  return rect;
}

std::string stamp_drawing(const Stamp& stamp, const Rect& rect) {
  std::ostringstream look;
  look << "q 1 1 1 rg 0 0 " << number(rect.width) << " " << number(rect.height) << " re f\n"
       << "0.48 0.23 0.07 RG 1.2 w 0.6 0.6 " << number(rect.width - 1.2) << " " << number(rect.height - 1.2)
       << " re S Q\n"
       << qr_code_drawing(stamp.verification_url, 4, 4, rect.height - 8) << "BT 0 0 0 rg /F1 7.5 Tf "
       << number(rect.height) << " 70 Td " << literal("Ditandatangani secara elektronik") << " Tj 0 -9 Td "
       << literal("Electronically signed") << " Tj\n"
       << "/F1 9 Tf 0 -13 Td " << literal(stamp.signer_name) << " Tj\n"
       << "/F1 7.5 Tf 0 -10 Td " << literal(stamp.signer_unit) << " Tj 0 -10 Td " << literal(stamp.signing_time)
       << " Tj 0 -10 Td " << literal("Kode / Code: " + stamp.verification_code) << " Tj ET\n";
  return look.str();
}

// The signature field's widget (with its appearance and font when visible).
void add_widget(std::map<int, std::string>& objects, const Stamp& stamp, QPDFObjectHandle page, int sig, int size) {
  const int widget = size + 1, appearance = size + 2, font = size + 3;
  const std::string field_name = "Signature" + std::to_string(sig);
  const std::string common = "<< /Type /Annot /Subtype /Widget /FT /Sig /T " + literal(field_name) + " /V " +
                             reference(sig) + " /F 132 /P " + page.unparse();
  if (!stamp.visible) {
    // An invisible signature (ISO 32000-1 §12.7.4.5): a widget with an empty rectangle.
    objects[widget] = common + " /Rect [0 0 0 0] >>";
    return;
  }
  const auto rect = stamp_rect(page, stamp.position);
  const auto drawing = stamp_drawing(stamp, rect);
  objects[widget] = common + " /Rect [" + number(rect.x) + " " + number(rect.y) + " " + number(rect.x + rect.width) +
                    " " + number(rect.y + rect.height) + "] /AP << /N " + reference(appearance) + " >> >>";
  objects[appearance] = "<< /Type /XObject /Subtype /Form /BBox [0 0 " + number(rect.width) + " " +
                        number(rect.height) + "] /Resources << /Font << /F1 " + reference(font) + " >> >> /Length " +
                        std::to_string(drawing.size()) + " >>\nstream\n" + drawing + "\nendstream";
  objects[font] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
}

// The page gains the widget; the catalog's AcroForm gains the field. Changed
// dictionaries are written out again whole under their own object numbers.
void link_widget(std::map<int, std::string>& objects, std::map<int, std::map<std::string, std::string>>& page_changes,
                 QPDFObjectHandle page, QPDFObjectHandle root, int widget) {
  const auto array_plus = [&](QPDFObjectHandle array) {
    std::string out = "[";
    if (array.isArray())
      for (auto& item : array.getArrayAsVector()) out += item.unparse() + " ";
    return out + reference(widget) + "]";
  };
  auto annots = page.getKey("/Annots");
  if (annots.isIndirect())
    objects[annots.getObjectID()] = array_plus(annots);
  else
    page_changes[page.getObjectID()]["/Annots"] = array_plus(annots);
  auto acroform = root.getKey("/AcroForm");
  auto form_fields = acroform.isDictionary() ? acroform.getKey("/Fields") : QPDFObjectHandle::newNull();
  std::map<std::string, std::string> form_changes{{"/SigFlags", "3"}};
  if (form_fields.isIndirect())
    objects[form_fields.getObjectID()] = array_plus(form_fields);
  else
    form_changes["/Fields"] = array_plus(form_fields);
  if (acroform.isIndirect())
    objects[acroform.getObjectID()] = dictionary_with(acroform, form_changes);
  else
    objects[root.getObjectID()] = dictionary_with(root, {{"/AcroForm", dictionary_with(acroform, form_changes)}});
}

// Fills in the byte range, then the signature over exactly those bytes.
void fill_signature(std::string& out, std::size_t sig_at, std::size_t contents_bytes,
                    const std::function<std::string(std::string_view signed_bytes)>& make_cms) {
  const auto contents_start = out.find("/Contents <", sig_at) + 10;  // at '<'
  const auto contents_end = contents_start + 2 + contents_bytes * 2;  // after '>'
  const auto range_at = out.find("[0 0000000000 0000000000 0000000000]", sig_at);
  char range[40];
  std::snprintf(range, sizeof range, "[0 %010zu %010zu %010zu]", contents_start, contents_end,
                out.size() - contents_end);
  out.replace(range_at, 36, range);
  std::string signed_bytes = out.substr(0, contents_start) + out.substr(contents_end);
  const auto cms = make_cms(signed_bytes);
  if (cms.size() > contents_bytes)
    throw Error(ErrorKind::internal, "signature_too_large", "The signature does not fit the reserved space.");
  const auto hex = to_hex(as_bytes(cms));
  out.replace(contents_start + 1, hex.size(), hex);
}
}  // namespace

std::string sign_pdf(std::string_view pdf, const Stamp& stamp, const SignatureFields& fields,
                     const std::function<std::string(std::string_view signed_bytes)>& make_cms) {
  QPDF doc;
  load_pdf(doc, pdf, "sign an unprotected copy.");
  const auto pages = QPDFPageDocumentHelper(doc).getAllPages();
  if (pages.empty()) throw unsuitable("the PDF has no pages.");
  const int page_index = stamp.page == 0 ? static_cast<int>(pages.size()) - 1 : stamp.page - 1;
  if (page_index < 0 || page_index >= static_cast<int>(pages.size()))
    throw unsuitable("the PDF has no page " + std::to_string(stamp.page) + ".");
  auto page = pages[static_cast<std::size_t>(page_index)].getObjectHandle();
  auto trailer = doc.getTrailer();
  // Nothing in the document is run, but a signer must not vouch for active content a
  // reader might run: documents with scripts, actions or attachments anywhere are refused.
  PdfBudget budget;
  require_no_active_content(doc, budget);
  const int size = trailer.getKey("/Size").getIntValueAsInt();

  // New objects: the signature value, the field/widget and, when visible, its appearance and a font.
  const int sig = size;
  std::map<int, std::string> objects;  // object number → body (without "n 0 obj")
  objects[sig] = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange "
                 "[0 0000000000 0000000000 0000000000] /Contents <" +
                 std::string(fields.contents_bytes * 2, '0') + "> /M " + literal(fields.pdf_date) + " /Name " +
                 literal(fields.signer_name) + " /Reason " + literal(fields.reason) +
                 (fields.contact_info.empty() ? "" : " /ContactInfo " + literal(fields.contact_info)) + " >>";
  add_widget(objects, stamp, page, sig, size);
  int next_object = stamp.visible ? size + 4 : size + 2;
  std::map<int, std::map<std::string, std::string>> page_changes;
  std::vector<QPDFObjectHandle> page_objects;
  for (const auto& each : pages) page_objects.push_back(each.getObjectHandle());
  // Only the first signature may add the footer: content added to a page after a
  // signature is a change its verifiers must refuse (it could show anything).
  if (find_signatures(pdf).signatures.empty())
    add_page_footer(stamp.footer, page_objects, objects, page_changes, next_object);
  link_widget(objects, page_changes, page, trailer.getKey("/Root"), size + 1);
  for (const auto& each : page_objects)
    if (const auto changed = page_changes.find(each.getObjectID()); changed != page_changes.end())
      objects[changed->first] = dictionary_with(each, changed->second);

  auto update = append_update(pdf, trailer, objects, next_object);
  fill_signature(update.pdf, update.offsets.at(sig), fields.contents_bytes, make_cms);
  return std::move(update.pdf);
}

}  // namespace lontar::pdf
