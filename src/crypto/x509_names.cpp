#include "crypto/x509_names.h"

#include <openssl/x509v3.h>

#include "crypto/ossl_ptr.h"

namespace lontar::crypto {

namespace {
std::string utf8_of(const ASN1_STRING* value) {
  unsigned char* text = nullptr;
  const int length = value ? ASN1_STRING_to_UTF8(&text, value) : -1;
  if (length < 0) return {};
  std::string out(reinterpret_cast<char*>(text), static_cast<std::size_t>(length));
  OPENSSL_free(text);
  return out;
}
struct ExtensionsFree {
  void operator()(STACK_OF(X509_EXTENSION) * extensions) const noexcept {
    sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
  }
};
}  // namespace

std::vector<std::pair<std::string, std::string>> name_attributes(const X509_NAME* name) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!name) return out;
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
    const char* short_name = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
    out.emplace_back(short_name ? short_name : "unknown", utf8_of(X509_NAME_ENTRY_get_data(entry)));
  }
  return out;
}

std::vector<std::string> email_addresses(const STACK_OF(X509_EXTENSION) * extensions) {
  std::vector<std::string> out;
  if (!extensions) return out;
  OsslPtr<GENERAL_NAMES> names(
      static_cast<GENERAL_NAMES*>(X509V3_get_d2i(extensions, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* entry = sk_GENERAL_NAME_value(names.get(), i);
    if (entry->type == GEN_EMAIL) out.push_back(utf8_of(entry->d.rfc822Name));
  }
  return out;
}

std::vector<std::string> request_email_addresses(const X509_REQ* request) {
  const std::unique_ptr<STACK_OF(X509_EXTENSION), ExtensionsFree> extensions(
      X509_REQ_get_extensions(const_cast<X509_REQ*>(request)));
  return email_addresses(extensions.get());
}

}  // namespace lontar::crypto
