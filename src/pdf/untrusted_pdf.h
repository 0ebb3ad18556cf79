#pragma once

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <string>
#include <string_view>

#include "pdf/pdf_limits.h"

namespace lontar::pdf {

// Opens an untrusted PDF within the budget: the tokens qpdf would parse are counted
// before it parses anything, the object count is checked, and every object stream is
// decoded once under the limits (and its tokens counted) before qpdf resolves anything
// in it (qpdf would otherwise inflate and parse it without bound). Throws Error(invalid_input,
// "pdf_unsuitable") for a damaged or encrypted file, Error(policy) past a limit.
void load_untrusted(QPDF& doc, std::string_view pdf, const std::string& purpose, PdfBudget& budget);

// A stream's decoded bytes within the budget (filters counted, size bounded while
// decoding, not after). Throws Error(invalid_input) when the data cannot be decoded.
std::string bounded_stream_data(QPDFObjectHandle stream, PdfBudget& budget);

}  // namespace lontar::pdf
