// Writes a small well-formed PDF letter to stdout, for the shell and browser tests:
//   make_letter [TEXT [PAGES [--qr URL]]]
// With --qr, the last page also carries a body of text and a QR code for URL — what a
// forger makes when copying the QR code of a genuine letter onto another one.
#include <iostream>
#include <string>

#include "pdf/pdf_signer.h"
#include "support/pdf_fixture.h"

int main(int argc, char** argv) {
  const std::string text = argc > 1 ? argv[1] : "Surat Rekomendasi";
  const int pages = argc > 2 ? std::stoi(argv[2]) : 1;
  std::string drawing;
  if (argc > 4 && std::string(argv[3]) == "--qr") {
    drawing = "BT /F1 12 Tf 72 700 Td 18 TL";
    for (const char* line : {"Dengan ini diberikan hibah sebesar Rp 5.000.000.000 kepada pemegang surat ini.",
                             "Dana dapat dicairkan di bagian keuangan tanpa persetujuan lain.",
                             "Surat ini berlaku sejak ditandatangani sampai dengan waktu yang tidak ditentukan.",
                             "Segala akibat yang timbul menjadi tanggung jawab universitas.",
                             "Demikian surat ini dibuat untuk dipergunakan sebagaimana mestinya."})
      drawing += std::string(" (") + line + ") Tj T*";
    drawing += " ET\n" + lontar::pdf::qr_code_drawing(argv[4], 380, 50, 150);
  }
  std::cout << lontar::testing::letter_pdf(text, pages, drawing);
  return 0;
}
