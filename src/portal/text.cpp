#include "portal/text.h"

#include <array>

namespace lontar {

namespace {
using Entry = detail::PortalEntry;

constexpr std::array<Entry, 26> kText{{
    {"language", "Bahasa", "Language"},
    {"lang_code", "id", "en"},
    {"login_title", "Masuk", "Log in"},
    {"login_intro", "Masuk dengan NIK dan kata sandi Anda untuk mengelola sertifikat elektronik.",
     "Log in with your NIK and password to manage your electronic certificates."},
    {"nik", "NIK (16 digit)", "NIK (16 digits)"},
    {"password", "Kata sandi", "Password"},
    {"login", "Masuk", "Log in"},
    {"logout", "Keluar", "Log out"},
    {"bad_credentials", "NIK atau kata sandi salah, atau akun dikunci sementara setelah beberapa kali gagal.",
     "The NIK or password is wrong, or the account is locked for a while after repeated failures."},
    {"too_many", "Terlalu banyak percobaan masuk dari alamat ini. Coba lagi nanti.",
     "Too many login attempts from this address. Try again later."},
    {"expired_form", "Formulir kedaluwarsa. Silakan coba lagi.", "The form expired. Please try again."},
    {"my_certificates", "Sertifikat Saya", "My Certificates"},
    {"greeting", "Selamat datang", "Welcome"},
    {"product", "Produk", "Product"},
    {"status", "Status", "Status"},
    {"valid_until", "Berlaku sampai", "Valid until"},
    {"days_left", "hari lagi", "days left"},
    {"serial", "Nomor seri", "Serial number"},
    {"download", "Unduh", "Download"},
    {"chain", "Rantai", "Chain"},
    {"no_certificates", "Anda belum memiliki sertifikat elektronik.", "You have no electronic certificate yet."},
    {"status_valid", "Aktif", "Valid"},
    {"status_expiring", "Segera kedaluwarsa", "Expiring soon"},
    {"status_expired", "Kedaluwarsa", "Expired"},
    {"issued_by", "Sertifikat diterbitkan oleh", "Certificates are issued by"},
    {"legal",
     "Informasi elektronik, dokumen elektronik, dan hasil cetaknya merupakan alat bukti hukum yang sah (UU ITE "
     "No. 11 Tahun 2008 Pasal 5 ayat 1). Penyalahgunaan sertifikat elektronik dapat mengakibatkan pencabutan.",
     "Electronic information, electronic documents and their printouts are valid legal evidence (Law 11/2008 on "
     "Electronic Information and Transactions, art. 5(1)). Misuse of a certificate leads to its revocation."},
}};

constexpr std::array<Entry, 22> kStatus{{
    {"change_password", "Ganti kata sandi", "Change password"},
    {"forced_change", "Akun Anda dibuat oleh administrator. Ganti kata sandi sementara sebelum melanjutkan.",
     "Your account was created by an administrator. Replace the temporary password before you go on."},
    {"current_password", "Kata sandi saat ini", "Current password"},
    {"new_password", "Kata sandi baru", "New password"},
    {"repeat_password", "Ulangi kata sandi baru", "Repeat the new password"},
    {"password_rule", "Minimal 10 karakter, campuran huruf dengan angka atau simbol.",
     "At least 10 characters, letters mixed with digits or symbols."},
    {"save", "Simpan", "Save"},
    {"passwords_differ", "Kedua kata sandi baru tidak sama.", "The two new passwords differ."},
    {"weak_password", "Kata sandi baru terlalu lemah: minimal 10 karakter, campuran huruf dengan angka atau simbol.",
     "The new password is too weak: at least 10 characters, letters mixed with digits or symbols."},
    {"current_wrong", "Kata sandi saat ini salah.", "The current password is wrong."},
    {"status_revoked", "Dicabut", "Revoked"},
    {"status_superseded", "Digantikan", "Superseded"},
    {"revoke", "Cabut sertifikat", "Revoke certificate"},
    {"revoke_warning",
     "Pencabutan bersifat final: sertifikat tidak dapat dipakai lagi dan dokumen baru tidak dapat ditandatangani "
     "dengannya.",
     "Revocation is final: the certificate cannot be used again and no new document can be signed with it."},
    {"reason", "Alasan", "Reason"},
    {"reason_key_compromise", "Kunci privat bocor atau hilang", "The private key was lost or exposed"},
    {"reason_affiliation", "Tidak lagi bekerja di institusi ini", "No longer with this institution"},
    {"reason_cessation", "Tidak memerlukan sertifikat lagi", "The certificate is no longer needed"},
    {"password_again", "Masukkan kata sandi Anda lagi", "Enter your password again"},
    {"revoked_notice", "Sertifikat telah dicabut.", "The certificate has been revoked."},
    {"wrong_password", "Kata sandi salah; sertifikat tidak dicabut.",
     "The password is wrong; the certificate was not revoked."},
    {"reason_refused", "Alasan itu tidak dapat dipilih di sini.", "That reason cannot be chosen here."},
}};
}  // namespace

namespace {
kainjow::mustache::data text_in(bool english) {
  kainjow::mustache::data text;
  for (const auto& e : kText) text.set(e.key, english ? e.en : e.id);
  for (const auto& e : kStatus) text.set(e.key, english ? e.en : e.id);
  for (std::size_t i = 0; i < detail::kProcedureTextSize; ++i) {
    const auto& e = detail::kProcedureText[i];
    text.set(e.key, english ? e.en : e.id);
  }
  for (std::size_t i = 0; i < detail::kDocumentTextSize; ++i) {
    const auto& e = detail::kDocumentText[i];
    text.set(e.key, english ? e.en : e.id);
  }
  for (std::size_t i = 0; i < detail::kRenewalTextSize; ++i) {
    const auto& e = detail::kRenewalText[i];
    text.set(e.key, english ? e.en : e.id);
  }
  return text;
}
}  // namespace

// Built once per language: every page needs the whole table.
const kainjow::mustache::data& portal_text(const std::string& lang) {
  static const kainjow::mustache::data indonesian = text_in(false);
  static const kainjow::mustache::data english = text_in(true);
  return lang == "en" ? english : indonesian;
}

}  // namespace lontar
