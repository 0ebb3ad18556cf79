#include "lock/messages.h"

#include <cstdlib>
#include <string_view>

namespace lontar::lock {

namespace {
struct Entry {
  const char* key;
  const char* id;
  const char* en;
};

const Entry kMessages[] = {
    {"usage_hint", "Jalankan `lontar-lock --help` untuk melihat perintah.", "Run `lontar-lock --help` to see the commands."},
    {"token_for", "Token CSR ini untuk:", "This CSR token belongs to:"},
    {"applicant", "Pemohon", "Applicant"},
    {"product", "Produk", "Product"},
    {"request", "Permohonan", "Request"},
    {"valid_until", "Token berlaku sampai", "Token valid until"},
    {"key_kind", "Kunci yang akan dibuat", "Key to be generated"},
    {"confirm", "Lanjutkan? [y/T] ", "Continue? [y/N] "},
    {"aborted", "Dibatalkan. Tidak ada yang dikirim.", "Stopped. Nothing was sent."},
    {"need_yes", "Tambahkan --yes untuk menyetujui tanpa ditanya (tidak ada terminal untuk bertanya).", "Add --yes to confirm without a question (there is no terminal to ask on)."},
    {"passphrase", "Frasa sandi: ", "Passphrase: "},
    {"passphrase_again", "Ulangi frasa sandi: ", "Repeat the passphrase: "},
    {"passphrase_mismatch", "Kedua frasa sandi tidak sama.", "The two passphrases differ."},
    {"passphrase_weak", "Frasa sandi terlalu lemah", "The passphrase is too weak"},
    {"passphrase_rule", "paling sedikit 10 karakter, campuran huruf dengan angka atau simbol.", "at least 10 characters, letters mixed with digits or symbols."},
    {"plain_http_refused", "Alamat http:// biasa ditolak; gunakan https:// (atau --insecure-http untuk server uji lokal).", "A plain http:// address is refused; use https:// (or --insecure-http for a local test server)."},
    {"bad_server_address", "Alamat server tidak dapat dipakai", "The server address cannot be used"},
    {"ca_file_missing", "Berkas --ca-file tidak ditemukan", "The --ca-file was not found"},
    {"passphrase_needed", "Frasa sandi diperlukan: jalankan di terminal atau berikan --passphrase-file.", "A passphrase is needed: run in a terminal or give --passphrase-file."},
    {"letter_not_pdf", "Surat rekomendasi harus berupa berkas PDF yang utuh", "The recommendation letter must be a complete PDF file"},
    {"letter_unreadable", "Surat rekomendasi tidak dapat dibaca", "The recommendation letter cannot be read"},
    {"token_unknown", "Token CSR tidak dikenal. Periksa apakah token disalin lengkap, atau minta token baru di portal.", "The CSR token is not known. Check that it was copied completely, or request a new one in the portal."},
    {"token_used", "Token CSR ini sudah dipakai untuk CSR lain. Minta token baru di portal.", "This CSR token was already used for another CSR. Request a new one in the portal."},
    {"token_expired", "Token CSR sudah kedaluwarsa. Minta token baru di portal.", "The CSR token has expired. Request a new one in the portal."},
    {"token_cancelled", "Permohonan untuk token ini sudah dibatalkan.", "The request this token belongs to was cancelled."},
    {"too_many_attempts", "Terlalu banyak token salah dari komputer ini; tunggu 15 menit.", "Too many wrong tokens from this computer; wait 15 minutes."},
    {"untrusted", "Sertifikat server tidak dipercaya; tidak ada yang dikirim.", "The server's certificate is not trusted; nothing was sent."},
    {"unreachable", "Server tidak dapat dihubungi", "The server cannot be reached"},
    {"retrying", "Koneksi terputus; mencoba lagi dengan CSR yang sama", "The connection broke; trying again with the same CSR"},
    {"renewing", "Memperbarui sertifikat: kunci baru dibuat di komputer ini, permohonan ditandatangani dengan kunci lama…", "Renewing: a new key is made on this computer and the request is signed with the current key…"},
    {"renewal_waiting", "Pembaruan menunggu keputusan verifikator", "The renewal waits for the verifier's decision"},
    {"renewed", "Sertifikat baru sudah terbit dan disimpan di", "The new certificate is issued and kept in"},
    {"renew_refused", "Pembaruan ditolak", "The renewal was refused"},
    {"renew_timeout", "Belum ada keputusan; jalankan `lontar-lock renew` lagi nanti (permohonan tetap menunggu).", "No decision yet; run `lontar-lock renew` again later (the request keeps waiting)."},
    {"generating", "Membuat kunci privat di komputer ini…", "Generating the private key on this computer…"},
    {"submitting", "Mengirim CSR dan surat rekomendasi…", "Submitting the CSR and the recommendation letter…"},
    {"submitted", "telah diajukan dan menunggu verifikasi.", "was submitted and awaits verification."},
    {"key_kept", "Kunci privat tersimpan terenkripsi di", "The private key is kept, encrypted, in"},
    {"next_wait", "Langkah berikutnya: `lontar-lock wait` menunggu keputusan verifikator, lalu `lontar-lock fetch` mengambil sertifikat.", "Next: `lontar-lock wait` waits for the verifier's decision, then `lontar-lock fetch` downloads the certificate."},
    {"state", "Status", "State"},
    {"state_token_issued", "menunggu CSR", "waiting for the CSR"},
    {"state_submitted", "menunggu verifikasi", "waiting for verification"},
    {"state_approved", "disetujui, sertifikat sedang diterbitkan", "approved, the certificate is being issued"},
    {"state_issued", "sertifikat terbit", "certificate issued"},
    {"state_rejected", "ditolak", "rejected"},
    {"state_cancelled", "dibatalkan", "cancelled"},
    {"state_expired", "token kedaluwarsa", "token expired"},
    {"state_renewal_pending", "pembaruan menunggu verifikasi", "renewal waiting for verification"},
    {"reason", "Alasan", "Reason"},
    {"waiting", "Menunggu keputusan verifikator", "Waiting for the verifier's decision"},
    {"wait_timeout", "Belum ada keputusan; jalankan `lontar-lock wait` lagi nanti.", "No decision yet; run `lontar-lock wait` again later."},
    {"rejected", "Permohonan ditolak.", "The request was rejected."},
    {"issued_next", "Sertifikat sudah terbit. Jalankan `lontar-lock fetch`.", "The certificate is issued. Run `lontar-lock fetch`."},
    {"not_issued", "Sertifikat belum terbit.", "The certificate is not issued yet."},
    {"key_mismatch", "Sertifikat dari server tidak cocok dengan kunci di komputer ini; tidak disimpan.", "The certificate from the server does not match the key on this computer; not saved."},
    {"chain_mismatch", "Sertifikat tidak berantai ke CA yang dicatat saat pendaftaran; tidak disimpan.", "The certificate does not chain to the CA recorded at enrolment; not saved."},
    {"fetched", "Sertifikat disimpan di", "The certificate was saved in"},
    {"exported", "Berkas PKCS#12 dibuat", "PKCS#12 file written"},
    {"wrong_passphrase", "Frasa sandi salah.", "The passphrase is wrong."},
    {"no_enrolments", "Belum ada kunci di keystore ini.", "This keystore holds no key yet."},
    {"choose_request", "Ada lebih dari satu permohonan; pilih dengan --request N.", "There is more than one request; choose one with --request N."},
    {"ask_server", "Alamat server (misalnya https://ams.universitas.ac.id): ", "Server address (for example https://ams.university.ac.id): "},
    {"ask_token", "Token CSR: ", "CSR token: "},
    {"ask_letter", "Berkas surat rekomendasi (PDF): ", "Recommendation letter file (PDF): "},
    {"welcome", "Aplikasi LOCK — membuat kunci privat di komputer Anda dan mengajukan sertifikat.", "The LOCK application — makes your private key on this computer and requests the certificate."},
    {"server_error", "Server menolak permintaan", "The server refused the request"},
    {"signing", "Menandatangani dengan kunci di komputer ini…", "Signing with the key on this computer…"},
    {"signed", "Dokumen ditandatangani dan terdaftar", "The document is signed and registered"},
    {"verify_at", "Dapat diverifikasi di", "It can be verified at"},
    {"input_unreadable", "Dokumen yang akan ditandatangani tidak dapat dibaca", "The document to sign cannot be read"},
    {"certificate_expired", "Sertifikat sudah kedaluwarsa; ajukan pembaruan di portal.", "The certificate has expired; request a renewal in the portal."},
    {"certificate_revoked", "Sertifikat sudah dicabut; dokumen tidak ditandatangani.", "The certificate is revoked; the document was not signed."},
    {"certificate_not_valid", "Sertifikat tidak berlaku lagi; dokumen tidak didaftarkan.", "The certificate is no longer valid; the document was not registered."},
    {"timestamp_stale", "Stempel waktu sudah terlalu lama; tandatangani ulang.", "The timestamp is too old; sign again."},
    {"pdf_unsuitable", "PDF ini tidak dapat ditandatangani (terenkripsi, rusak, atau berisi skrip/lampiran).", "This PDF cannot be signed (encrypted, damaged, or it holds scripts or attachments)."},
    {"validation_data_unusable", "Data validasi dari server tidak dapat dipakai; dokumen tidak ditandatangani.", "The server's validation data is unusable; the document was not signed."},
    {"pdf_already_changed", "Tanda tangan sebelumnya di PDF ini tidak cocok lagi dengan isinya (berkas diubah setelah ditandatangani); minta salinan yang belum diubah.", "An earlier signature in this PDF no longer matches its content (the file was changed after it was signed); ask for an unchanged copy."},
    {"timestamp_refused", "Server stempel waktu menolak permintaan.", "The timestamp server refused the request."},
};
}  // namespace

Lang choose_lang(const std::string& flag) {
  if (flag == "en") return Lang::en;
  if (flag == "id") return Lang::id;
  for (const char* variable : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(variable);
    if (value && *value) return std::string_view(value).starts_with("en") ? Lang::en : Lang::id;
  }
  return Lang::id;
}

std::string say(Lang lang, const std::string& key) {
  for (const auto& e : kMessages)
    if (key == e.key) return lang == Lang::en ? e.en : e.id;
  return key;
}

}  // namespace lontar::lock
