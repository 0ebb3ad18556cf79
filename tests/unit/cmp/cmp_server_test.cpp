// The CMP server without HTTP: OpenSSL's CMP client (OSSL_CMP_CTX) talks to two
// CmpServers on one data folder, as two `lontar serve` behind a balancer would be, each
// message to the other server: the transaction's state is in the database, not in
// either process.
#include "cmp/cmp_server.h"

#include <gtest/gtest.h>

#include <openssl/cmp.h>
#include <openssl/err.h>

#include "core/encoding.h"
#include "crypto/certificate.h"
#include "crypto/private_key.h"
#include "support/pdf_fixture.h"
#include "support/test_instance.h"

namespace lontar {
namespace {

struct Servers {
  std::vector<cmp::CmpServer*> all;
  int sent = 0;
  std::vector<std::string> requests;
};

OSSL_CMP_MSG* alternate(OSSL_CMP_CTX* ctx, const OSSL_CMP_MSG* request) {
  auto* servers = static_cast<Servers*>(OSSL_CMP_CTX_get_transfer_cb_arg(ctx));
  unsigned char* der = nullptr;
  const int length = i2d_OSSL_CMP_MSG(request, &der);
  std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  servers->requests.push_back(bytes);
  const auto answer = servers->all[servers->sent++ % servers->all.size()]->handle(bytes);
  if (!answer) return nullptr;
  const auto* cursor = reinterpret_cast<const unsigned char*>(answer->data());
  return d2i_OSSL_CMP_MSG(nullptr, &cursor, static_cast<long>(answer->size()));
}

int quiet(const char*, const char*, int, OSSL_CMP_severity, const char*) { return 1; }

TEST(CmpServerTest, AnIrPolledAndConfirmedThroughTwoServersIsIssuedOnce) {
  testing::TestInstance test;
  OpenOptions open;
  open.load_ca_key = true;
  auto second = Instance::open(test.data(), open);
  cmp::CmpServer one(test.instance());
  cmp::CmpServer two(*second);
  Servers servers;
  servers.all = {&one, &two};

  const auto applicant = test.add_account("5108010101900001", "Ni Luh Putu Ayu");
  const auto verifier = test.add_account("5108010101900009", "Kadek Verifikator", "UPT TIK", Role::verifier);
  NewRequest command{"individual-1y", Method::lock, testing::letter_pdf(), true, ""};
  const auto opened = test.instance().requests().open(applicant, command);
  const auto reference = std::to_string(opened.request.id);

  crypto::OsslPtr<OSSL_CMP_CTX> client(OSSL_CMP_CTX_new(nullptr, nullptr));
  auto* ctx = client.get();
  OSSL_CMP_CTX_set_log_cb(ctx, quiet);
  OSSL_CMP_CTX_set1_secretValue(ctx, reinterpret_cast<const unsigned char*>(opened.csr_token.data()),
                                static_cast<int>(opened.csr_token.size()));
  OSSL_CMP_CTX_set1_referenceValue(ctx, reinterpret_cast<const unsigned char*>(reference.data()),
                                   static_cast<int>(reference.size()));
  const auto root = crypto::Certificate::from_pem(read_file(test.instance().dir().certificate("root")));
  const auto issuing = crypto::Certificate::from_pem(read_file(test.instance().dir().certificate("issuing")));
  crypto::OsslPtr<X509_NAME> name(X509_NAME_new());
  X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("x"), -1, -1, 0);
  OSSL_CMP_CTX_set1_subjectName(ctx, name.get());
  OSSL_CMP_CTX_set1_recipient(ctx, X509_get_subject_name(issuing.get()));
  auto key = crypto::PrivateKey::generate("ec-p256");
  EVP_PKEY_up_ref(key.get());
  OSSL_CMP_CTX_set0_newPkey(ctx, 1, key.get());
  OSSL_CMP_CTX_set_transfer_cb(ctx, alternate);
  OSSL_CMP_CTX_set_transfer_cb_arg(ctx, &servers);

  int check_after = 0;
  // OpenSSL's client follows a "waiting" answer with its first pollReq at once.
  ASSERT_EQ(OSSL_CMP_try_certreq(ctx, OSSL_CMP_IR, nullptr, &check_after), -1) << "the ir waits for a verifier";
  EXPECT_EQ(check_after, 2) << "pollRep's checkAfter, from the other server";
  ASSERT_EQ(OSSL_CMP_try_certreq(ctx, OSSL_CMP_IR, nullptr, &check_after), -1) << "polled on the first server";
  EXPECT_EQ(second->requests().approve(verifier, opened.request.id).state, RequestState::issued);
  ASSERT_EQ(OSSL_CMP_try_certreq(ctx, OSSL_CMP_IR, nullptr, &check_after), 1) << "delivered, then confirmed";
  ERR_clear_error();
  X509* issued = OSSL_CMP_CTX_get0_newCert(ctx);
  ASSERT_NE(issued, nullptr);
  EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(issued), key.get()), 1) << "the certificate carries the client's key";
  EXPECT_EQ(servers.sent, 5) << "ir, pollReq ×3, certConf, alternating";

  // The transaction, as any server sees it.
  const auto* cursor = reinterpret_cast<const unsigned char*>(servers.requests.front().data());
  crypto::OsslPtr<OSSL_CMP_MSG> first(
      d2i_OSSL_CMP_MSG(nullptr, &cursor, static_cast<long>(servers.requests.front().size())));
  const auto* id = OSSL_CMP_HDR_get0_transactionID(OSSL_CMP_MSG_get0_header(first.get()));
  const auto hex = to_hex({ASN1_STRING_get0_data(id), static_cast<std::size_t>(ASN1_STRING_length(id))});
  const auto transaction = second->cmp_transactions().find(hex);
  ASSERT_TRUE(transaction);
  EXPECT_EQ(transaction->state, "confirmed");
  EXPECT_EQ(transaction->request_id, opened.request.id);
  EXPECT_EQ(test.instance().certificates().list(applicant).size(), 1u) << "issued once";

  // The first message again, to either server: its transactionID is taken.
  const auto replayed = one.handle(servers.requests.front());
  ASSERT_TRUE(replayed);
  EXPECT_EQ(test.instance().certificates().list(applicant).size(), 1u);
  EXPECT_EQ(test.instance().requests().for_transaction(opened.request.id)->request.state, RequestState::issued);
  EXPECT_FALSE(one.handle("not a CMP message")) << "garbage gets no CMP answer";
}

}  // namespace
}  // namespace lontar
