// Writes a small well-formed PDF letter to stdout, for the shell and browser tests.
#include <iostream>
#include <string>

#include "support/pdf_fixture.h"

int main(int argc, char** argv) {
  const std::string text = argc > 1 ? argv[1] : "Surat Rekomendasi";
  const int pages = argc > 2 ? std::stoi(argv[2]) : 1;
  std::cout << lontar::testing::letter_pdf(text, pages);
  return 0;
}
