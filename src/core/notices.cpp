#include "core/notices.h"

#include <array>

namespace lontar {

namespace {
struct NoticeText {
  const char* kind;
  const char* subject_id;
  const char* subject_en;
  const char* body_id;
  const char* body_en;
};

constexpr std::array<NoticeText, 7> kTexts{{
    {"request.submitted", "Permohonan sertifikat diterima", "Certificate request received",
     "Permohonan Anda telah diajukan dan menunggu verifikasi.", "Your request was submitted and awaits verification."},
    {"request.approved", "Permohonan sertifikat disetujui", "Certificate request approved",
     "Permohonan Anda telah disetujui oleh verifikator.", "Your request was approved by a verifier."},
    {"request.rejected", "Permohonan sertifikat ditolak", "Certificate request rejected",
     "Permohonan Anda ditolak. Alasan:", "Your request was rejected. Reason:"},
    {"request.issued", "Sertifikat elektronik terbit", "Electronic certificate issued",
     "Sertifikat Anda telah terbit. Nomor seri:", "Your certificate was issued. Serial number:"},
    {"request.cancelled", "Permohonan sertifikat dibatalkan", "Certificate request cancelled",
     "Permohonan Anda telah dibatalkan.", "Your request was cancelled."},
    {"certificate.expiring", "Sertifikat akan kedaluwarsa", "Certificate expiring",
     "Sertifikat Anda akan kedaluwarsa. Perbarui dengan tombol Perbarui di Sertifikat Saya (pemegang LOCK: "
     "`lontar-lock renew`). Hari tersisa:",
     "Your certificate is about to expire. Renew it with the Renew button in My Certificates (LOCK holders: "
     "`lontar-lock renew`). Days left:"},
    {"esign.key_locked", "Kunci eSign dikunci", "eSign key locked",
     "Frasa sandi kunci eSign Anda salah dimasukkan terlalu sering, sehingga kunci dikunci. Jika bukan Anda, "
     "segera cabut sertifikat. Helpdesk dapat membukanya kembali. Percobaan:",
     "The passphrase of your eSign key was entered wrongly too often, so the key is locked. If this was not you, "
     "revoke the certificate at once. The helpdesk can release it. Attempts:"},
}};
}  // namespace

void queue_notice(StoreTransaction& tx, const Account& to, const std::string& kind, const std::string& object,
                  const std::string& detail, const std::string& dedupe_key, std::int64_t at) {
  const NoticeText* text = nullptr;
  for (const auto& candidate : kTexts)
    if (kind == candidate.kind) text = &candidate;
  if (!text || to.email.empty()) return;
  Notification n;
  n.account_id = to.id;
  n.kind = kind;
  n.recipient = to.email;
  n.subject = std::string("[Lontar] ") + text->subject_id + " / " + text->subject_en;
  const std::string suffix = detail.empty() ? "" : " " + detail;
  n.body = "Yth. " + to.name + ",\r\n\r\n" + text->body_id + suffix + "\r\n(" + object + ")\r\n\r\n---\r\n\r\nDear " +
           to.name + ",\r\n\r\n" + text->body_en + suffix + "\r\n(" + object + ")\r\n";
  n.dedupe_key = dedupe_key;
  n.created_at = at;
  tx.notifications().enqueue(n);
}

}  // namespace lontar
