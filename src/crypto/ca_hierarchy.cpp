#include "crypto/ca_hierarchy.h"

#include <functional>

#include "crypto/certificate_builder.h"
#include "crypto/signer.h"

namespace lontar::crypto {

namespace {
std::vector<std::uint8_t> serial(RandomSource& random) {
  std::vector<std::uint8_t> bytes(16);
  random.fill(bytes);
  bytes[0] = static_cast<std::uint8_t>((bytes[0] & 0x3f) | 0x40);
  return bytes;
}

std::vector<SubjectAttribute> ca_name(const CaHierarchyOptions& o, const std::string& common_name) {
  return {{"C", o.country}, {"O", o.organisation}, {"CN", common_name}};
}
}  // namespace

namespace {
// An end-entity certificate for one of the CA's own services, from the issuing CA.
KeyAndCertificate issue_service_certificate(const CaHierarchyOptions& o, const Signer& issuing, TimePoint now,
                                            RandomSource& random, const std::string& role, int validity_days,
                                            const std::function<void(CertificateBuilder&)>& purpose) {
  auto key = PrivateKey::generate(o.algorithm);
  const auto name = build_name(ca_name(o, o.organisation + " " + role));
  const auto end = std::min(now + std::chrono::days{validity_days}, issuing.certificate().not_after());
  CertificateBuilder builder;
  builder.serial(serial(random))
      .issuer(issuing.certificate().get())
      .subject(name.get())
      .validity(now, end)
      .public_key(key.get())
      .extension(NID_basic_constraints, "critical,CA:FALSE")
      .extension(NID_key_usage, "critical,digitalSignature");
  purpose(builder);
  builder.subject_key_identifier().extension(NID_authority_key_identifier, "keyid:always");
  auto certificate = builder.sign(issuing);
  return KeyAndCertificate{std::move(key), std::move(certificate)};
}
}  // namespace

// RFC 6960 §4.2.2.2: a delegated responder has id-kp-OCSPSigning and, with
// id-pkix-ocsp-nocheck, needs no status check of its own, so it lives briefly and is
// renewed by the server before it expires.
KeyAndCertificate issue_ocsp_responder(const CaHierarchyOptions& o, const Signer& issuing, TimePoint now,
                                       RandomSource& random) {
  return issue_service_certificate(o, issuing, now, random, "OCSP Responder", o.ocsp_validity_days,
                                   [](CertificateBuilder& b) {
                                     b.extension(NID_ext_key_usage, "OCSPSigning")
                                         .extension(NID_id_pkix_OCSP_noCheck, "ignored");
                                   });
}

KeyAndCertificate issue_timestamp_authority(const CaHierarchyOptions& o, const Signer& issuing, TimePoint now,
                                            RandomSource& random) {
  return issue_service_certificate(
      o, issuing, now, random, "Time-Stamping Authority", o.tsa_validity_days, [&](CertificateBuilder& b) {
        b.extension(NID_ext_key_usage, "critical,timeStamping")
            .extension(NID_crl_distribution_points, "URI:" + o.urls.crl)
            .extension(NID_info_access, "OCSP;URI:" + o.urls.ocsp + ",caIssuers;URI:" + o.urls.issuer);
      });
}

KeyAndCertificate issue_cmp_signer(const CaHierarchyOptions& o, const Signer& issuing, TimePoint now,
                                   RandomSource& random) {
  return issue_service_certificate(o, issuing, now, random, "CMP Server", o.cmp_validity_days,
                                   [&](CertificateBuilder& b) {
                                     b.extension(NID_ext_key_usage, "1.3.6.1.5.5.7.3.27")
                                         .extension(NID_crl_distribution_points, "URI:" + o.urls.crl)
                                         .extension(NID_info_access, "OCSP;URI:" + o.urls.ocsp + ",caIssuers;URI:" + o.urls.issuer);
                                   });
}

std::string root_algorithm_for(const std::string& issuing_algorithm) {
  if (issuing_algorithm == "ec-p256" || issuing_algorithm == "ec-p384") return "ec-p384";
  return "rsa-4096";
}

CaHierarchy create_ca_hierarchy(const CaHierarchyOptions& o, TimePoint now, RandomSource& random) {
  const auto days = [](int n) { return std::chrono::days{n}; };

  auto root_key = PrivateKey::generate(root_algorithm_for(o.algorithm));
  const auto root_name = build_name(ca_name(o, o.organisation + " Root CA"));
  CertificateBuilder root_builder;
  root_builder.serial(serial(random))
      .subject(root_name.get())
      .self_issued()
      .validity(now, now + days(o.root_validity_days))
      .public_key(root_key.get())
      .extension(NID_basic_constraints, "critical,CA:TRUE")
      .extension(NID_key_usage, "critical,keyCertSign,cRLSign")
      .subject_key_identifier();
  auto root = root_builder.self_sign(root_key.get());
  FileSigner root_signer(std::move(root_key), std::move(root));

  auto issuing_key = PrivateKey::generate(o.algorithm);
  const auto issuing_name = build_name(ca_name(o, o.organisation + " Issuing CA"));
  const auto issuing_end = std::min(now + days(o.issuing_validity_days), root_signer.certificate().not_after());
  auto issuing = CertificateBuilder()
                     .serial(serial(random))
                     .issuer(root_signer.certificate().get())
                     .subject(issuing_name.get())
                     .validity(now, issuing_end)
                     .public_key(issuing_key.get())
                     .extension(NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
                     .extension(NID_key_usage, "critical,keyCertSign,cRLSign")
                     .subject_key_identifier()
                     .extension(NID_authority_key_identifier, "keyid:always")
                     .extension(NID_crl_distribution_points, "URI:" + o.urls.root_crl)
                     .extension(NID_info_access, "caIssuers;URI:" + o.urls.root_issuer)
                     .sign(root_signer);
  FileSigner issuing_signer(std::move(issuing_key), std::move(issuing));

  auto ocsp = issue_ocsp_responder(o, issuing_signer, now, random);

  auto tls_key = PrivateKey::generate(o.algorithm);
  const auto tls_name = build_name({{"C", o.country}, {"O", o.organisation}, {"CN", o.tls_dns_names.front()}});
  auto tls = CertificateBuilder()
                 .serial(serial(random))
                 .issuer(issuing_signer.certificate().get())
                 .subject(tls_name.get())
                 .validity(now, now + days(o.tls_validity_days))
                 .public_key(tls_key.get())
                 .extension(NID_basic_constraints, "critical,CA:FALSE")
                 .extension(NID_key_usage, "critical,digitalSignature")
                 .extension(NID_ext_key_usage, "serverAuth")
                 .subject_key_identifier()
                 .extension(NID_authority_key_identifier, "keyid:always")
                 .dns_and_ip_names(o.tls_dns_names, o.tls_ip_addresses)
                 .extension(NID_info_access, "OCSP;URI:" + o.urls.ocsp + ",caIssuers;URI:" + o.urls.issuer)
                 .sign(issuing_signer);

  return CaHierarchy{
      {PrivateKey::share(root_signer.key()), root_signer.certificate().duplicate()},
      {PrivateKey::share(issuing_signer.key()), issuing_signer.certificate().duplicate()},
      std::move(ocsp),
      {std::move(tls_key), std::move(tls)},
  };
}

}  // namespace lontar::crypto
