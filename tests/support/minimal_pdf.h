#pragma once

// Header-only, so the fuzz targets (which link no test library) share it with the tools.

#include <cstdio>
#include <string>
#include <vector>

namespace lontar::testing {

// A PDF of `objects` (numbered from 1, the first the catalog) with a classic
// cross-reference table whose offsets are right; `trailer_extra` goes into the trailer.
inline std::string pdf_with_xref(const std::vector<std::string>& objects, const std::string& trailer_extra = {}) {
  std::string pdf = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const auto xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const auto offset : offsets) {
    char line[21];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    pdf += line;
  }
  return pdf + "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R" + trailer_extra +
         " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
}

}  // namespace lontar::testing
