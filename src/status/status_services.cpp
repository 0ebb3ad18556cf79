#include "status/status_services.h"

#include <spdlog/spdlog.h>

#include "core/encoding.h"
#include "core/error.h"
#include "crypto/crl_writer.h"

namespace lontar {

PublishedCrl generate_crl(Store& store, const crypto::Signer& issuing, const Clock& clock,
                          std::chrono::seconds validity) {
  PublishedCrl out;
  store.write([&](StoreTransaction& tx) { out.number = tx.ca_state().next_crl_number(); });
  const auto now = clock.now();
  crypto::CrlWriter writer(issuing, out.number, now, now + validity);
  store.read([&](StoreTransaction& tx) {
    tx.certificates().for_each_revoked([&](const CertificateStatusInfo& entry) { writer.add(entry); });
  });
  out.der = writer.finish();
  out.this_update = to_unix(now);
  out.next_update = to_unix(now + validity);
  out.etag = "\"" + sha256_hex(out.der).substr(0, 32) + "\"";
  return out;
}

std::unique_ptr<crypto::OcspResponder> make_ocsp_responder(Instance& instance, std::chrono::seconds validity) {
  return std::make_unique<crypto::OcspResponder>(
      instance.issuing_signer().certificate(), [&instance] { return instance.ocsp_signer(); },
      [&instance, tsa = instance.tsa_signer()](const std::string& serial) {
        std::optional<CertificateStatusInfo> info;
        instance.store().read([&](StoreTransaction& tx) { info = tx.certificates().status(serial); });
        // The timestamp authority's certificate is not a subscriber's, but relying
        // parties validating a timestamp years later need its status too.
        if (!info && serial == tsa->certificate().serial_hex()) {
          info.emplace();
          info->serial_hex = serial;
          info->not_after = to_unix(tsa->certificate().not_after());
        }
        return info;
      },
      instance.clock(), validity);
}

StatusServices::StatusServices(Instance& instance, StatusOptions options)
    : instance_(instance), options_(options) {
  ocsp_ = make_ocsp_responder(instance_, options_.ocsp_validity);
  refresh_now();
  watcher_ = std::thread([this] { watch(); });
}

StatusServices::~StatusServices() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

std::shared_ptr<const PublishedCrl> StatusServices::crl() const {
  std::lock_guard lock(crl_mutex_);
  return crl_;
}

void StatusServices::regenerate_crl() {
  auto fresh = std::make_shared<const PublishedCrl>(
      generate_crl(instance_.store(), instance_.issuing_signer(), instance_.clock(), options_.crl_validity));
  spdlog::info("published CRL number {} ({} bytes)", fresh->number, fresh->der.size());
  std::lock_guard lock(crl_mutex_);
  crl_ = std::move(fresh);
}

void StatusServices::refresh_now() {
  std::int64_t version = 0;
  instance_.store().read([&](StoreTransaction& tx) { version = tx.ca_state().status_version(); });
  const auto current = crl();
  const auto now = to_unix(instance_.clock().now());
  const bool changed = version != seen_version_;
  const bool stale = !current || now >= current->this_update + options_.crl_validity.count() / 2;
  // A renewed responder comes with a status change; answers signed by the old one go.
  if (changed) {
    try {
      instance_.adopt_shared_ocsp();
    } catch (const std::exception& e) {
      spdlog::error("OCSP responder not adopted: {}", e.what());
    }
    ocsp_->invalidate();
  }
  if (changed || stale) regenerate_crl();
  seen_version_ = version;
}

void StatusServices::watch() {
  std::unique_lock lock(stop_mutex_);
  while (!stop_cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_; })) {
    lock.unlock();
    try {
      refresh_now();
    } catch (const std::exception& e) {
      spdlog::error("status refresh failed: {}", e.what());
    }
    lock.lock();
  }
}

void StatusServices::add_routes(http::Router& router) {
  router.add("GET", "/crl/issuing.crl", [this](const http::HttpRequest& request) {
    const auto current = crl();
    http::HttpResponse response;
    response.content_type = "application/pkix-crl";
    const auto max_age = std::max<std::int64_t>(0, std::min<std::int64_t>(current->next_update - to_unix(instance_.clock().now()), 60));
    response.headers.emplace_back("Cache-Control", "public, max-age=" + std::to_string(max_age));
    response.headers.emplace_back("ETag", current->etag);
    if (request.header("if-none-match") == current->etag) {
      response.status = 304;
      return response;
    }
    response.body = current->der;
    return response;
  });

  const auto ocsp_response = [](const crypto::OcspReply& reply, bool get) {
    http::HttpResponse response;
    response.content_type = "application/ocsp-response";
    response.body = reply.der;
    if (get && reply.max_age > 0) {
      // RFC 5019 §6: caching headers for GET responses.
      response.headers.emplace_back("Cache-Control", "public, max-age=" + std::to_string(reply.max_age) +
                                                         ", no-transform, must-revalidate");
      response.headers.emplace_back("ETag", reply.etag);
    } else {
      response.headers.emplace_back("Cache-Control", "no-store");
    }
    return response;
  };
  router.add("POST", "/ocsp", [this, ocsp_response](const http::HttpRequest& request) {
    return ocsp_response(ocsp_->respond(request.body), false);
  });
  // RFC 6960 appendix A.1: GET {url}/{url-encoding of base-64 encoding of the DER request}.
  router.add("GET", "/ocsp/{request*}", [this, ocsp_response](const http::HttpRequest& request) {
    std::string encoded;
    const std::string_view tail = request.param("request");
    for (std::size_t i = 0; i < tail.size(); ++i) {
      if (tail[i] == '%' && i + 2 < tail.size()) {
        const auto byte = from_hex(tail.substr(i + 1, 2));
        if (byte && byte->size() == 1) {
          encoded += static_cast<char>((*byte)[0]);
          i += 2;
          continue;
        }
      }
      encoded += tail[i];
    }
    const auto der = from_base64(encoded);
    const auto reply = ocsp_->respond(der ? std::string(der->begin(), der->end()) : std::string());
    auto response = ocsp_response(reply, true);
    if (!response.headers.empty() && request.header("if-none-match") == reply.etag && reply.max_age > 0) {
      response.status = 304;
      response.body.clear();
    }
    return response;
  });
}

}  // namespace lontar
