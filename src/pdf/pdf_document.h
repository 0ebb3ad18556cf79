#pragma once

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace lontar::pdf {

// Reads `pdf` from memory with qpdf (nothing in it is run). Throws
// Error(invalid_input, "pdf_unsuitable") for an encrypted, damaged or non-PDF file;
// `purpose` ends the sentence for encrypted files ("sign an unprotected copy").
void load_pdf(QPDF& doc, std::string_view pdf, const std::string& purpose);

// `dictionary` written out again with `changes` (key → PDF syntax) applied.
std::string dictionary_with(QPDFObjectHandle dictionary, const std::map<std::string, std::string>& changes);

// A stream's bytes as stored in the file (not decoded).
std::string raw_stream_bytes(QPDFObjectHandle stream);

// A PDF literal string "(…)" from UTF-8 text: Latin-1 letters as octal escapes (the
// same bytes in WinAnsiEncoding and PDFDocEncoding), anything else beyond as '?'.
std::string literal(const std::string& text);
// A number for a content stream, two decimals.
std::string number(double value);

// "n 0 R"
std::string reference(int object_number);

struct IncrementalUpdate {
  std::string pdf;                      // the whole file with the update appended
  std::map<int, std::size_t> offsets;  // object number → where its definition starts
};

// Appends `objects` (object number → body without "n 0 obj") as one incremental
// update (ISO 32000-1 §7.5.6): the original bytes stay untouched, so every earlier
// signature stays valid. `trailer` is the document's current trailer; `size` the new
// /Size.
IncrementalUpdate append_update(std::string_view pdf, QPDFObjectHandle trailer, const std::map<int, std::string>& objects,
                                int size);

}  // namespace lontar::pdf
