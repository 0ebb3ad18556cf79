#pragma once

#include <qpdf/QPDF.hh>

#include <string>

#include "core/error.h"
#include "pdf/untrusted_pdf.h"

namespace lontar::pdf {

// What in the PDF would act when it is opened or clicked, beyond showing pages and
// following plain links: JavaScript (in any action, whatever points to it: catalog,
// pages, annotations, form fields, outlines, /Next chains, name trees), launching
// programs, importing or submitting data, rich media, embedded files and XFA forms.
// Every object of the file is searched, reachable or not. Empty when there is none.
std::string find_active_content(QPDF& doc, PdfBudget& budget);

// Error(invalid_input, "pdf_scripted") naming what was found.
Error scripted(const std::string& found);

// Throws scripted(…) when find_active_content finds something.
void require_no_active_content(QPDF& doc, PdfBudget& budget);

}  // namespace lontar::pdf
