#include "portal/text.h"

namespace lontar::detail {

// Renewal (pembaharuan): the Renew action in My Certificates and the renewal tracker.
const PortalEntry kRenewalText[] = {
    {"renew", "Perbarui", "Renew"},
    {"current_certificate", "Sertifikat yang diperbarui", "Certificate being renewed"},
    {"renew_esign_help",
     "Sertifikat baru diterbitkan untuk akun yang sama dengan kunci baru yang dibuat di server. Masukkan frasa sandi "
     "kunci eSign Anda; kunci baru dikunci dengan frasa sandi yang sama.",
     "A new certificate is issued to the same account with a new key made on the server. Enter the passphrase of "
     "your eSign key; the new key is sealed with the same passphrase."},
    {"renew_passphrase", "Frasa sandi kunci eSign", "eSign key passphrase"},
    {"renew_lock_help",
     "Kunci LOCK dibuat di komputer Anda. Jalankan perintah ini di komputer tempat kunci Anda sekarang disimpan:",
     "A LOCK key is made on your computer. Run this command on the computer that holds your current key:"},
    {"renew_lock_fallback", "Atau ajukan permohonan baru dengan token CSR", "Or make a new request with a CSR token"},
    {"renew_opens", "Dapat diperbarui mulai", "Can be renewed from"},
    {"kind_renewal_note", "Pembaruan sertifikat", "Certificate renewal"},
    {"rstep_1", "Perbarui dari Sertifikat Saya atau dengan lontar-lock renew",
     "Renew from My Certificates or with lontar-lock renew"},
    {"rstep_2", "Kunci baru dibuat", "A new key is made"},
    {"rstep_3", "Verifikasi (atau otomatis bila tidak ada yang berubah)",
     "Verification (or automatic when nothing changed)"},
    {"rstep_4", "Sertifikat baru terbit; yang lama digantikan", "The new certificate is issued; the old one is superseded"},
    {"wrong_passphrase", "Frasa sandi salah; sertifikat tidak diperbarui.",
     "The passphrase is wrong; the certificate was not renewed."},
    {"esign_key_locked",
     "Kunci eSign Anda dikunci karena frasa sandi terlalu sering salah. Hubungi helpdesk untuk membukanya.",
     "Your eSign key is locked after too many wrong passphrases. Ask the helpdesk to release it."},
    {"outside_renewal_window", "Sertifikat ini belum dapat diperbarui.", "This certificate cannot be renewed yet."},
    {"open_request_exists", "Sudah ada permohonan yang belum selesai; selesaikan atau batalkan dahulu.",
     "There is an unfinished request; finish or cancel it first."},
    {"certificate_not_valid", "Hanya sertifikat yang masih berlaku yang dapat diperbarui.",
     "Only a valid certificate can be renewed."},
};
const std::size_t kRenewalTextSize = sizeof(kRenewalText) / sizeof(kRenewalText[0]);

}  // namespace lontar::detail
