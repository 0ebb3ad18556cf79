#include "pdf/pdf_document.h"

#include <qpdf/QPDFExc.hh>

#include <cstdint>
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

// A PDF literal string from UTF-8 text: parentheses and backslashes escaped, Latin-1
// letters (é, ñ, ü: names are not all ASCII) as octal escapes — the same bytes in
// WinAnsiEncoding, the stamp font's encoding, and in PDFDocEncoding, the dictionaries'
// — and anything else as '?'.
std::string literal(const std::string& text) {
  std::string out = "(";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::uint32_t code = c;
    std::size_t length = 1;
    if (c >= 0xc2 && c <= 0xdf && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xc0) == 0x80) {
      code = ((c & 0x1fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3fu);
      length = 2;
    } else if (c >= 0x80) {
      while (i + length < text.size() && (static_cast<unsigned char>(text[i + length]) & 0xc0) == 0x80) ++length;
      code = '?';
    }
    i += length;
    if (code == '(' || code == ')' || code == '\\') out += '\\';
    if (code >= 32 && code < 127) {
      out += static_cast<char>(code);
    } else if (code >= 0xa0 && code <= 0xff) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\%03o", static_cast<unsigned>(code));
      out += escaped;
    } else {
      out += '?';
    }
  }
  return out + ")";
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
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
  const auto previous = last_xref_offset(pdf);
  std::string keys = " /Root " + trailer.getKey("/Root").unparse() + " /Prev " + std::to_string(previous);
  if (trailer.hasKey("/Info")) keys += " /Info " + trailer.getKey("/Info").unparse();
  if (trailer.hasKey("/ID")) keys += " /ID " + trailer.getKey("/ID").unparse();
  const auto xref = out.size();
  const bool previous_is_stream = pdf.substr(static_cast<std::size_t>(previous), 4) != "xref";
  if (!previous_is_stream) {
    out += "xref\n";
    for (const auto& [n, offset] : update.offsets) {
      char line[21];
      std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
      out += std::to_string(n) + " 1\n" + line;
    }
    out += "trailer\n<< /Size " + std::to_string(size) + keys + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return update;
  }
  // A file whose cross-reference section is a stream (PDF 1.5) gets its update in the
  // same form (ISO 32000-1 §7.5.8): a cross-reference stream, itself a new object,
  // with rows of type (1 byte), offset (4 bytes) and generation (2 bytes).
  const int self = size;
  update.offsets[self] = xref;
  std::string rows, index;
  for (const auto& [n, offset] : update.offsets) {
    const auto at = static_cast<std::uint32_t>(offset);
    rows += static_cast<char>(1);
    for (int shift = 24; shift >= 0; shift -= 8) rows += static_cast<char>((at >> shift) & 0xff);
    rows += std::string(2, '\0');
    index += std::to_string(n) + " 1 ";
  }
  index.pop_back();
  out += std::to_string(self) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(size + 1) + " /W [1 4 2] /Index [" +
         index + "]" + keys + " /Length " + std::to_string(rows.size()) + " >>\nstream\n" + rows +
         "\nendstream\nendobj\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return update;
}

}  // namespace lontar::pdf
