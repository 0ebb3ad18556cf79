#include "pdf/dss_writer.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <set>
#include <vector>

#include "pdf/pdf_document.h"

namespace lontar::pdf {

std::string add_validation_data(std::string_view pdf, const ValidationData& data) {
  QPDF doc;
  load_pdf(doc, pdf, "it cannot carry validation data.");
  auto trailer = doc.getTrailer();
  auto root = trailer.getKey("/Root");
  auto store = root.getKey("/DSS");
  int next = trailer.getKey("/Size").getIntValueAsInt();
  std::map<int, std::string> objects;

  const auto merged = [&](const std::string& key, const std::vector<std::string>& items) {
    std::string array = "[";
    std::set<std::string> held;
    auto existing = store.isDictionary() ? store.getKey(key) : QPDFObjectHandle::newNull();
    if (existing.isArray())
      for (auto& item : existing.getArrayAsVector()) {
        if (item.isStream()) held.insert(raw_stream_bytes(item));
        array += item.unparse() + " ";
      }
    for (const auto& der : items) {
      if (!held.insert(der).second) continue;
      const int number = next++;
      objects[number] = "<< /Length " + std::to_string(der.size()) + " >>\nstream\n" + der + "\nendstream";
      array += reference(number) + " ";
    }
    return array + "]";
  };
  std::map<std::string, std::string> entries;
  if (store.isDictionary())
    for (const auto& key : store.getKeys()) entries[key] = store.getKey(key).unparse();
  entries["/Certs"] = merged("/Certs", data.certificates);
  entries["/OCSPs"] = merged("/OCSPs", data.ocsp_responses);
  entries["/CRLs"] = merged("/CRLs", data.crls);
  std::string body = "<<";
  for (const auto& [key, value] : entries) body += " " + key + " " + value;
  const int dss = next++;
  objects[dss] = body + " >>";
  objects[root.getObjectID()] = dictionary_with(root, {{"/DSS", reference(dss)}});
  return append_update(pdf, trailer, objects, next).pdf;
}

}  // namespace lontar::pdf
