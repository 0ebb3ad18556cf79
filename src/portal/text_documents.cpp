#include "portal/text.h"

namespace lontar::detail {

// The paper proof's words: the verification page's pages, visibility and withdrawal,
// the code typed by hand, and the signing form's title and visibility.
const PortalEntry kDocumentText[] = {
    {"verify_document_title", "Judul dokumen", "Document title"},
    {"verify_pages", "Jumlah halaman", "Pages"},
    {"verify_pages_heading", "Isi dokumen yang ditandatangani", "The signed document's pages"},
    {"verify_page", "Halaman", "Page"},
    {"verify_of", "dari", "of"},
    {"verify_preview_pending", "Pratinjau halaman ini sedang disiapkan; muat ulang halaman ini sebentar lagi.", "This page's preview is being prepared; reload in a moment."},
    {"verify_preview_none", "Halaman ini tidak memiliki pratinjau; unduh dokumennya untuk melihatnya.", "This page has no preview; download the document to see it."},
    {"verify_summary_only", "Penanda tangan hanya menampilkan ringkasan dokumen ini kepada pemegang kode: halaman pertamanya. Halaman lain dan berkasnya hanya untuk penanda tangan dan petugas.", "The signer shows holders of the code only a summary of this document: its first page. The other pages and the file are for the signer and staff."},
    {"verify_visibility", "Ditampilkan kepada pemegang kode", "Shown to holders of the code"},
    {"visibility_full", "Seluruh halaman dan berkasnya", "Every page and the file"},
    {"visibility_summary", "Ringkasan: judul, penanda tangan, waktu, jumlah halaman dan halaman pertama", "Summary: title, signer, time, page count and the first page"},
    {"verify_withdrawn", "Dokumen ini telah ditarik dan isinya tidak lagi ditampilkan. Jangan menganggap kertas yang memuat kode ini berlaku.", "This document has been withdrawn and its content is no longer shown. Do not rely on a paper carrying this code."},
    {"verify_withdrawn_at", "Ditarik pada", "Withdrawn at"},
    {"verify_withdrawn_reason", "Alasan penarikan", "Reason for withdrawal"},
    {"verify_withdraw_heading", "Tarik dokumen ini", "Withdraw this document"},
    {"verify_withdraw_help", "Setelah ditarik, halaman ini hanya menyatakan bahwa dokumen ditarik, kapan, dan mengapa. Penarikan tercatat di jejak audit dan tidak dapat dibatalkan.", "Once withdrawn, this page only says that the document was withdrawn, when and why. The withdrawal is kept in the audit trail and cannot be undone."},
    {"verify_withdraw_button", "Tarik dokumen", "Withdraw document"},
    {"verify_enter_code_title", "Periksa kode verifikasi", "Check a verification code"},
    {"verify_enter_code_intro", "Ketik kode verifikasi yang tercetak di bawah dokumen (20 karakter; tanda hubung dan huruf kecil boleh).", "Type the verification code printed at the foot of the document (20 characters; dashes and lower case are fine)."},
    {"verify_enter_code_label", "Kode verifikasi", "Verification code"},
    {"verify_open", "Buka", "Open"},
    {"err_withdrawal_reason_required", "Tuliskan alasan penarikan; halaman verifikasi menampilkannya.", "Say why the document is withdrawn; the verification page shows it."},
    {"err_withdrawal_reason_too_long", "Alasan terlalu panjang (paling banyak 200 karakter).", "The reason is too long (at most 200 characters)."},
    {"err_already_withdrawn", "Dokumen ini sudah ditarik.", "This document was withdrawn already."},
    {"err_not_signer", "Hanya penanda tangan atau administrator yang dapat menarik dokumen.", "Only the signer or an administrator may withdraw a document."},
    {"sign_document_title", "Judul dokumen (ditampilkan di halaman verifikasi)", "Document title (shown on the verification page)"},
    {"sign_visibility", "Yang dapat dilihat pemegang kode QR", "What holders of the QR code may see"},
};
const std::size_t kDocumentTextSize = sizeof(kDocumentText) / sizeof(kDocumentText[0]);

}  // namespace lontar::detail
