#include "pdf/active_content.h"

#include <qpdf/QPDFObjectHandle.hh>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "core/error.h"

namespace lontar::pdf {

namespace {
constexpr int kMaxNesting = 64;  // direct objects inside one indirect object

// Action types (ISO 32000-1 §12.6.4) that run code, start programs or send data.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kActiveActions{{
    {"/JavaScript", "JavaScript"},
    {"/Launch", "an action that launches a program"},
    {"/ImportData", "an action that imports data"},
    {"/SubmitForm", "an action that submits form data"},
    {"/RichMediaExecute", "a rich-media action"},
    {"/GoToE", "an action that opens an embedded file"},
    {"/Rendition", "a media rendition action"},
    {"/Movie", "a movie action"},
}};

std::string name_of(QPDFObjectHandle value) { return value.isName() ? value.getName() : std::string(); }

std::string in_dictionary(QPDFObjectHandle dict) {
  if (dict.hasKey("/JS")) return "JavaScript";
  if (dict.hasKey("/XFA")) return "an XFA form";
  if (dict.hasKey("/EmbeddedFiles") || dict.hasKey("/EmbeddedFile")) return "embedded files";
  if (dict.hasKey("/JavaScript")) return "JavaScript";
  const auto type = name_of(dict.getKey("/Type"));
  if (type == "/EmbeddedFile" || (type == "/Filespec" && dict.hasKey("/EF"))) return "embedded files";
  const auto subtype = name_of(dict.getKey("/Subtype"));
  if (subtype == "/RichMedia" || subtype == "/Screen" || subtype == "/Movie" || subtype == "/Sound" ||
      subtype == "/3D")
    return "rich media";
  if (subtype == "/FileAttachment") return "embedded files";
  const auto action = name_of(dict.getKey("/S"));
  for (const auto& [name, what] : kActiveActions)
    if (action == name) return std::string(what);
  // A link is plain unless its address is a script (viewers in browsers run those).
  if (action == "/URI" && dict.getKey("/URI").isString()) {
    auto uri = dict.getKey("/URI").getUTF8Value();
    uri.erase(std::remove_if(uri.begin(), uri.end(), [](unsigned char c) { return c <= ' '; }), uri.end());
    std::transform(uri.begin(), uri.end(), uri.begin(), [](unsigned char c) { return std::tolower(c); });
    if (uri.starts_with("javascript:") || uri.starts_with("vbscript:") || uri.starts_with("data:"))
      return "a link whose address is a script";
  }
  return {};
}

// Searches one object and the direct objects inside it; indirect ones are searched
// on their own turn.
std::string search(QPDFObjectHandle object, int depth) {
  if (depth > kMaxNesting) return "objects nested deeper than " + std::to_string(kMaxNesting) + " levels";
  QPDFObjectHandle dict = object.isStream() ? object.getDict() : object;
  if (dict.isDictionary()) {
    if (auto found = in_dictionary(dict); !found.empty()) return found;
    for (const auto& key : dict.getKeys()) {
      auto value = dict.getKey(key);
      if (value.isIndirect()) continue;
      if (auto found = search(value, depth + 1); !found.empty()) return found;
    }
  } else if (dict.isArray()) {
    for (int i = 0; i < dict.getArrayNItems(); ++i) {
      auto value = dict.getArrayItem(i);
      if (value.isIndirect()) continue;
      if (auto found = search(value, depth + 1); !found.empty()) return found;
    }
  }
  return {};
}
}  // namespace

std::string find_active_content(QPDF& doc, PdfBudget& budget) {
  try {
    const auto trailer = search(doc.getTrailer(), 0);
    if (!trailer.empty()) return trailer;
    int seen = 0;
    for (auto& object : doc.getAllObjects()) {
      if (++seen % 256 == 0) budget.check_time();
      if (auto found = search(object, 0); !found.empty()) return found;
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception&) {
    throw Error(ErrorKind::invalid_input, "pdf_unsuitable", "The file is damaged or not a PDF.");
  }
  return {};
}

Error scripted(const std::string& found) {
  return Error(ErrorKind::invalid_input, "pdf_scripted",
               "The PDF contains " + found + ", which Lontar does not accept; print it to a new PDF and try again.");
}

void require_no_active_content(QPDF& doc, PdfBudget& budget) {
  if (auto found = find_active_content(doc, budget); !found.empty()) throw scripted(found);
}

}  // namespace lontar::pdf
