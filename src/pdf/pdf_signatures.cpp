#include "pdf/pdf_signatures.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "core/error.h"
#include "pdf/active_content.h"
#include "pdf/pdf_document.h"
#include "pdf/revision_changes.h"
#include "pdf/untrusted_pdf.h"

namespace lontar::pdf {

namespace {
Error unsuitable(const std::string& why) { return Error(ErrorKind::invalid_input, "pdf_unsuitable", why); }

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

std::string hex_decoded(std::string_view hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::strtol(std::string(hex.substr(i, 2)).c_str(), nullptr, 16));
  return out;
}

// A revision ends with %%EOF and at most an end of line.
bool ends_a_revision(std::string_view prefix) {
  const auto marker = prefix.rfind("%%EOF");
  return marker != std::string_view::npos && prefix.find_first_not_of("\r\n", marker + 5) == std::string_view::npos &&
         prefix.size() - (marker + 5) <= 2;
}

// The byte range must be [0, hole start) and [hole end, end of a revision), and the
// hole must be exactly this signature's /Contents as hex (ISO 32000-1 §12.8.1).
std::string layout_refusal(QPDFObjectHandle value, std::string_view pdf, EmbeddedSignature& s) {
  if (!value.isIndirect()) return "the signature dictionary is not an object of its own";
  auto range = value.getKey("/ByteRange");
  auto contents = value.getKey("/Contents");
  if (!contents.isString()) return "the signature has no value (/Contents)";
  s.contents = contents.getStringValue();
  if (!range.isArray() || range.getArrayNItems() != 4) return "the byte range does not have exactly two parts";
  for (int i = 0; i < 4; ++i) {
    if (!range.getArrayItem(i).isInteger()) return "the byte range is not made of integers";
    s.ranges[i] = range.getArrayItem(i).getIntValue();
  }
  const auto size = static_cast<std::int64_t>(pdf.size());
  const auto [start, first, second, rest] = std::tuple(s.ranges[0], s.ranges[1], s.ranges[2], s.ranges[3]);
  if (start != 0) return "the byte range does not start at the beginning of the file";
  if (first <= 0 || rest <= 0 || second <= first) return "the byte range's parts overlap or are empty";
  if (second > size || rest > size - second) return "the byte range reaches beyond the end of the file";
  const auto hole = pdf.substr(static_cast<std::size_t>(first), static_cast<std::size_t>(second - first));
  if (hole.size() < 2 || hole.front() != '<' || hole.back() != '>' ||
      !std::all_of(hole.begin() + 1, hole.end() - 1, is_hex) || hole.size() % 2 != 0)
    return "the gap in the byte range holds more than the signature value";
  if (hex_decoded(hole.substr(1, hole.size() - 2)) != s.contents)
    return "the gap in the byte range is not this signature's value";
  s.signed_size = second + rest;
  if (!ends_a_revision(pdf.substr(0, static_cast<std::size_t>(s.signed_size))))
    return "the byte range does not end where a revision of the file ends";
  s.covers_whole_file = s.signed_size == size;
  return {};
}

struct FieldWalk {
  std::string_view pdf;
  PdfBudget& budget;
  std::vector<std::pair<EmbeddedSignature, QPDFObjGen>> found;
  std::size_t visited = 0;

  void collect(QPDFObjectHandle field, int depth) {
    if (!field.isDictionary() || depth > 8) return;
    if (++visited > budget.limits().max_objects) exceeded("objects", "its form has too many fields");
    auto kids = field.getKey("/Kids");
    if (kids.isArray())
      for (auto& kid : kids.getArrayAsVector()) collect(kid, depth + 1);
    auto value = field.getKey("/V");
    if (!(field.getKey("/FT").isName() && field.getKey("/FT").getName() == "/Sig") || !value.isDictionary()) return;
    if (found.size() >= budget.limits().max_signatures)
      exceeded("signatures", "it has more than " + std::to_string(budget.limits().max_signatures) + " signatures");
    EmbeddedSignature s;
    s.field_name = field.getKey("/T").isString() ? field.getKey("/T").getUTF8Value() : "";
    s.sub_filter = value.getKey("/SubFilter").isName() ? value.getKey("/SubFilter").getName() : "";
    if (value.getKey("/ContactInfo").isString()) s.contact_info = value.getKey("/ContactInfo").getUTF8Value();
    s.refusal = layout_refusal(value, pdf, s);
    found.emplace_back(std::move(s), value.getObjGen());
  }
};

ValidationData read_store(QPDF& doc, PdfBudget& budget) {
  auto store = doc.getRoot().getKey("/DSS");
  std::size_t entries = 0;
  const auto streams = [&](const char* key) {
    std::vector<std::string> data;
    auto array = store.isDictionary() ? store.getKey(key) : QPDFObjectHandle::newNull();
    if (!array.isArray()) return data;
    entries += static_cast<std::size_t>(array.getArrayNItems());
    if (entries > budget.limits().max_dss_entries)
      exceeded("dss_entries", "its validation data has more than " + std::to_string(budget.limits().max_dss_entries) +
                                  " entries");
    for (auto& item : array.getArrayAsVector()) {
      if (!item.isStream()) continue;
      try {
        data.push_back(bounded_stream_data(item, budget));
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::invalid_input) throw;
        // An undecodable entry validates nothing; the others still count.
      }
    }
    return data;
  };
  return {streams("/Certs"), streams("/OCSPs"), streams("/CRLs")};
}

// The signature dictionary must be an object of the revision it signs, written
// before its own value: otherwise the signed bytes say nothing about it.
std::string revision_refusal(QPDF& revision, std::string_view pdf, const EmbeddedSignature& s, QPDFObjGen dictionary) {
  const auto table = revision.getXRefTable();
  const auto entry = table.find(dictionary);
  if (entry == table.end() || entry->second.getType() != 1)
    return "the signature dictionary is not part of the revision it signs";
  const auto offset = entry->second.getOffset();
  if (offset >= s.ranges[1] ||
      pdf.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(s.ranges[1] - offset)).find("endobj") !=
          std::string_view::npos)
    return "the signature's value lies outside its signature dictionary";
  auto in_revision = revision.getObjectByObjGen(dictionary);
  if (!in_revision.isDictionary() || !in_revision.getKey("/Contents").isString() ||
      in_revision.getKey("/Contents").getStringValue() != s.contents)
    return "the signature dictionary is not part of the revision it signs";
  return {};
}

// The tail after the last revision must be whole incremental updates: the file ends
// with its last %%EOF and its cross-reference section lies in the tail.
bool whole_updates_after(std::string_view pdf, std::int64_t signed_size) {
  const auto end_marker = pdf.rfind("%%EOF");
  const auto startxref = pdf.rfind("startxref");
  return end_marker != std::string_view::npos && startxref != std::string_view::npos &&
         pdf.find_first_not_of(" \r\n", end_marker + 5) == std::string_view::npos &&
         std::atoll(std::string(pdf.substr(startxref + 9, 24)).c_str()) >= signed_size;
}
}  // namespace

PdfSignatures find_signatures(std::string_view pdf, PdfBudget& budget) {
  QPDF doc;
  load_untrusted(doc, pdf, "it cannot be checked.", budget);
  PdfSignatures out;
  FieldWalk walk{pdf, budget, {}, 0};
  try {
    out.active_content = find_active_content(doc, budget);
    auto fields = doc.getRoot().getKey("/AcroForm").getKey("/Fields");
    if (fields.isArray())
      for (auto& field : fields.getArrayAsVector()) walk.collect(field, 0);
    out.validation_data = read_store(doc, budget);
    out.long_term_validation_data = !out.validation_data.ocsp_responses.empty() || !out.validation_data.crls.empty();
  } catch (const Error&) {
    throw;
  } catch (const std::exception&) {
    throw unsuitable("the PDF's form structure is damaged.");
  }
  auto& found = walk.found;
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first.signed_size < b.first.signed_size; });
  // Each sound signature against its own revision, and each revision against the next
  // sound one: two revisions in memory at a time, whatever the number of signatures.
  std::unique_ptr<QPDF> previous;
  std::size_t previous_index = 0;
  std::int64_t previous_size = 0;
  const auto judge = [&](QPDF& later, AllowedUpdate allowed) {
    if (!previous || !out.change_after_signing.empty()) return;
    if (auto why = unexplained_change(*previous, later, allowed, budget); !why.empty())
      out.change_after_signing = "after signature " + std::to_string(previous_index + 1) + ": " + why;
  };
  for (std::size_t i = 0; i < found.size(); ++i) {
    auto& [s, dictionary] = found[i];
    if (!s.well_formed()) continue;
    if (previous && previous_size == s.signed_size) {
      s.refusal = "two signatures claim the same revision";
      continue;
    }
    auto revision = std::make_unique<QPDF>();
    try {
      load_untrusted(*revision, pdf.substr(0, static_cast<std::size_t>(s.signed_size)), "it cannot be checked.", budget);
      s.refusal = revision_refusal(*revision, pdf, s, dictionary);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::invalid_input) throw;
      s.refusal = "the revision this signature signs is not a readable PDF";
    }
    if (!s.well_formed()) continue;
    judge(*revision, AllowedUpdate::signature_fields);
    previous = std::move(revision);
    previous_index = i;
    previous_size = s.signed_size;
  }
  if (previous && previous_size != static_cast<std::int64_t>(pdf.size())) {
    if (!whole_updates_after(pdf, previous_size)) {
      if (out.change_after_signing.empty())
        out.change_after_signing = "bytes were appended after signature " + std::to_string(previous_index + 1) +
                                   " that are not a whole revision of the file";
    } else {
      judge(doc, AllowedUpdate::validation_data);
    }
  }
  for (auto& [s, dictionary] : found) out.signatures.push_back(std::move(s));
  return out;
}

std::array<std::string_view, 2> EmbeddedSignature::signed_parts(std::string_view pdf) const {
  if (!well_formed()) return {};
  return {pdf.substr(0, static_cast<std::size_t>(ranges[1])),
          pdf.substr(static_cast<std::size_t>(ranges[2]), static_cast<std::size_t>(ranges[3]))};
}

PdfSignatures find_signatures(std::string_view pdf) {
  PdfBudget budget;
  return find_signatures(pdf, budget);
}

void require_earlier_signatures_intact(std::string_view pdf, const SignatureIntegrityCheck& intact, PdfBudget& budget) {
  const auto scan = find_signatures(pdf, budget);
  if (!scan.active_content.empty()) throw scripted(scan.active_content);
  bool sound = scan.change_after_signing.empty();
  for (const auto& s : scan.signatures) sound = sound && s.well_formed() && intact(s.contents, s.signed_parts(pdf));
  if (!sound)
    throw Error(ErrorKind::invalid_input, "pdf_already_changed",
                "An earlier signature in this PDF no longer matches the file (it was changed after that signature); "
                "signing it again would hide that. Ask for an unchanged copy.");
}

bool only_validation_data_added(std::string_view pdf, std::int64_t signed_size) {
  if (signed_size <= 0 || signed_size > static_cast<std::int64_t>(pdf.size()) || !whole_updates_after(pdf, signed_size))
    return false;
  PdfBudget budget;
  QPDF signed_revision, current;
  try {
    load_untrusted(signed_revision, pdf.substr(0, static_cast<std::size_t>(signed_size)), "it cannot be checked.",
                   budget);
    load_untrusted(current, pdf, "it cannot be checked.", budget);
  } catch (const Error&) {
    return false;
  }
  return unexplained_change(signed_revision, current, AllowedUpdate::validation_data, budget).empty();
}

}  // namespace lontar::pdf
