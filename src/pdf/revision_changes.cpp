#include "pdf/revision_changes.h"

#include <qpdf/QPDFObjectHandle.hh>

#include <set>

#include "core/error.h"
#include "pdf/pdf_document.h"

namespace lontar::pdf {

namespace {
// Compared by what they hold: unparse() of an indirect object is only "n g R".
bool same_object(QPDFObjectHandle a, QPDFObjectHandle b) {
  if (a.isStream() != b.isStream()) return false;
  if (!a.isStream()) return a.unparseResolved() == b.unparseResolved();
  return a.getDict().unparseResolved() == b.getDict().unparseResolved() && raw_stream_bytes(a) == raw_stream_bytes(b);
}

std::string object_name(QPDFObjectHandle object) {
  return "object " + std::to_string(object.getObjectID());
}

// A signature field (merged with its widget, or a widget of one).
bool is_signature_field(QPDFObjectHandle item) {
  if (!item.isDictionary()) return false;
  auto type = item.getKey("/Type");
  if (!type.isNull() && !(type.isName() && type.getName() == "/Annot")) return false;
  auto field = item;
  for (int depth = 0; depth < 8 && field.isDictionary(); ++depth, field = field.getKey("/Parent")) {
    auto type = field.getKey("/FT");
    if (type.isName()) {
      auto subtype = item.getKey("/Subtype");
      return type.getName() == "/Sig" && (subtype.isNull() || (subtype.isName() && subtype.getName() == "/Widget"));
    }
  }
  return false;
}

// `after` is `before` with signature fields appended, and nothing else.
bool appends_signature_fields(QPDFObjectHandle before, QPDFObjectHandle after) {
  if (before.isNull()) before = QPDFObjectHandle::newArray();
  if (!before.isArray() || !after.isArray() || after.getArrayNItems() < before.getArrayNItems()) return false;
  for (int i = 0; i < before.getArrayNItems(); ++i)
    if (before.getArrayItem(i).unparse() != after.getArrayItem(i).unparse()) return false;
  for (int i = before.getArrayNItems(); i < after.getArrayNItems(); ++i)
    if (!is_signature_field(after.getArrayItem(i))) return false;
  return true;
}

// The keys of two dictionaries that differ, but for those in `free`.
std::string changed_key(QPDFObjectHandle before, QPDFObjectHandle after, const std::set<std::string>& free) {
  std::set<std::string> keys;
  if (before.isDictionary())
    for (const auto& key : before.getKeys()) keys.insert(key);
  if (after.isDictionary())
    for (const auto& key : after.getKeys()) keys.insert(key);
  for (const auto& key : keys) {
    if (free.count(key)) continue;
    const auto b = before.isDictionary() ? before.getKey(key).unparse() : "null";
    const auto a = after.isDictionary() ? after.getKey(key).unparse() : "null";
    if (a != b) return key;
  }
  return {};
}

std::string form_change(QPDFObjectHandle before, QPDFObjectHandle after) {
  if (!after.isDictionary() && !after.isNull()) return "the form (/AcroForm) was replaced";
  if (auto key = changed_key(before, after, {"/Fields", "/SigFlags"}); !key.empty())
    return "the form (/AcroForm) changed in " + key;
  auto fields_before = before.isDictionary() ? before.getKey("/Fields") : QPDFObjectHandle::newNull();
  auto fields_after = after.isDictionary() ? after.getKey("/Fields") : QPDFObjectHandle::newNull();
  if (fields_before.unparse() != fields_after.unparse() && !appends_signature_fields(fields_before, fields_after))
    return "form fields other than signature fields were added or changed";
  return {};
}

// The earlier signature certified the document with DocMDP /P 1: no change at all.
bool certified_without_changes(QPDFObjectHandle catalog) {
  auto perms = catalog.getKey("/Perms");
  if (!perms.isDictionary()) return false;
  auto references = perms.getKey("/DocMDP").getKey("/Reference");
  if (!references.isArray()) return false;
  for (auto& reference : references.getArrayAsVector()) {
    auto p = reference.getKey("/TransformParams").getKey("/P");
    if (p.isInteger() && p.getIntValue() == 1) return true;
  }
  return false;
}

std::string change_of(QPDFObjectHandle before, QPDFObjectHandle after, bool signature_fields,
                      const std::set<QPDFObjGen>& forms) {
  if (same_object(before, after)) return {};
  if (after.isNull()) return object_name(before) + " was removed";
  if (!signature_fields) return object_name(before) + " was changed";
  if (forms.count(before.getObjGen())) return form_change(before, after);
  if (before.isArray() && appends_signature_fields(before, after)) return {};  // /Annots or /Fields of their own
  auto type = before.isDictionary() ? before.getKey("/Type") : QPDFObjectHandle::newNull();
  if (type.isName() && type.getName() == "/Page" && !before.isStream()) {
    if (auto key = changed_key(before, after, {"/Annots"}); !key.empty())
      return "page " + object_name(before) + " changed in " + key;
    auto annots_before = before.getKey("/Annots"), annots_after = after.getKey("/Annots");
    if (annots_before.unparse() == annots_after.unparse() || appends_signature_fields(annots_before, annots_after))
      return {};
    return "annotations other than signature fields were added to or changed on a page";
  }
  return object_name(before) + " was changed (page content, an annotation, a form value, a font or an image)";
}
}  // namespace

std::string unexplained_change(QPDF& before, QPDF& after, AllowedUpdate allowed, PdfBudget& budget) {
  try {
    auto root_before = before.getTrailer().getKey("/Root");
    auto root_after = after.getTrailer().getKey("/Root");
    if (!root_before.isDictionary() || root_before.getObjGen() != root_after.getObjGen() || !root_after.isDictionary())
      return "the document's catalog was replaced";
    // The document information (title, author) is shown by readers: its object may not
    // be swapped for another (its contents are compared with the other objects).
    for (const char* key : {"/Info", "/Encrypt"})
      if (before.getTrailer().getKey(key).unparse() != after.getTrailer().getKey(key).unparse())
        return std::string("the trailer's ") + key + " was replaced";
    bool signature_fields = allowed == AllowedUpdate::signature_fields;
    if (signature_fields && certified_without_changes(root_before)) signature_fields = false;
    std::set<QPDFObjGen> forms;
    auto form_before = root_before.getKey("/AcroForm");
    if (form_before.isIndirect()) forms.insert(form_before.getObjGen());
    // The catalog may change in its store and, for the next signer, its form.
    std::set<std::string> free{"/DSS"};
    if (signature_fields) free.insert("/AcroForm");
    if (auto key = changed_key(root_before, root_after, free); !key.empty())
      return "the document's catalog changed in " + key;
    if (signature_fields && !form_before.isIndirect())
      if (auto why = form_change(form_before, root_after.getKey("/AcroForm")); !why.empty()) return why;
    if (signature_fields && form_before.isIndirect() &&
        root_after.getKey("/AcroForm").getObjGen() != form_before.getObjGen())
      return "the form (/AcroForm) was replaced";
    const auto objects = before.getAllObjects();
    // An object the later revision still finds at the same offset is the same bytes of
    // the same file — unless qpdf had to repair the earlier revision (a stream /Length
    // reaching past its end, say), which it warns about: then everything is compared.
    const bool offsets_tell = !before.anyWarnings();
    const auto table_before = before.getXRefTable();
    const auto table_after = after.getXRefTable();
    const auto same_place = [&](QPDFObjGen id) {
      const auto b = table_before.find(id), a = table_after.find(id);
      return offsets_tell && b != table_before.end() && a != table_after.end() && b->second.getType() == 1 &&
             a->second.getType() == 1 && b->second.getOffset() == a->second.getOffset();
    };
    int seen = 0;
    for (auto object : objects) {
      if (++seen % 256 == 0) budget.check_time();
      if (object.getObjGen() == root_before.getObjGen() || same_place(object.getObjGen())) continue;
      auto later = after.getObjectByObjGen(object.getObjGen());
      if (auto why = change_of(object, later, signature_fields, forms); !why.empty()) return why;
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception&) {
    return "a later revision cannot be read";
  }
  return {};
}

}  // namespace lontar::pdf
