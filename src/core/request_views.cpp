// The reading side of RequestService: what owners, reviewers and token holders may see.
#include "core/requests.h"

#include <map>
#include <utility>

#include "core/error.h"
#include "core/request_errors.h"

namespace lontar {

namespace {
ReviewedRequest with_applicant(StoreTransaction& tx, CertificateRequest request) {
  ReviewedRequest out;
  out.applicant = tx.accounts().find_by_id(request.account_id);
  out.approvals = tx.requests().approvals(request.id).size();
  out.request = std::move(request);
  return out;
}
}  // namespace

TokenDetails RequestService::by_token(std::string_view token) const {
  auto found = details_where([hash = hash_token(token)](StoreTransaction& tx) { return tx.requests().find_by_token(hash); });
  if (!found) throw unknown_token();
  return *found;
}

std::optional<TokenDetails> RequestService::for_transaction(std::int64_t id) const {
  return details_where([id](StoreTransaction& tx) { return tx.requests().find(id); });
}

std::optional<TokenDetails> RequestService::details_where(
    const std::function<std::optional<CertificateRequest>(StoreTransaction&)>& find) const {
  std::optional<TokenDetails> found;
  store_.read([&](StoreTransaction& tx) {
    auto request = find(tx);
    if (!request) return;
    auto applicant = tx.accounts().find_by_id(request->account_id);
    if (!applicant) return;
    found = TokenDetails{*request, *applicant, std::nullopt};
    if (request->state == RequestState::issued)
      found->certificate = tx.certificates().find_by_serial(request->certificate_serial);
  });
  return found;
}

CertificateRequest RequestService::for_owner(const Account& applicant, std::int64_t id) const {
  std::optional<CertificateRequest> request;
  store_.read([&](StoreTransaction& tx) { request = tx.requests().find(id); });
  // Someone else's request is answered exactly like one that does not exist.
  if (!request || request->account_id != applicant.id) throw unknown_request();
  return *request;
}

CertificateRequest RequestService::for_reviewer(const Account& reviewer, std::int64_t id) const {
  if (!can_review(reviewer.role))
    throw Error(ErrorKind::forbidden, "not_a_reviewer", "Your role cannot see other people's requests.");
  std::optional<CertificateRequest> request;
  store_.read([&](StoreTransaction& tx) { request = tx.requests().find(id); });
  if (!request) throw unknown_request();
  return *request;
}

CertificateRequest RequestService::visible_to(const Account& account, std::int64_t id) const {
  std::optional<CertificateRequest> request;
  store_.read([&](StoreTransaction& tx) { request = tx.requests().find(id); });
  if (!request || (request->account_id != account.id && !can_review(account.role))) throw unknown_request();
  return *request;
}

std::string RequestService::letter(const Account& account, std::int64_t id) const {
  const auto request = visible_to(account, id);
  std::optional<Blob> blob;
  if (!request.letter_blob.empty())
    store_.read([&](StoreTransaction& tx) { blob = tx.blobs().get(request.letter_blob); });
  if (!blob) throw Error(ErrorKind::not_found, "no_letter", "This request has no recommendation letter.");
  return std::move(blob->data);
}

QueuePage RequestService::queue(const Account& reviewer, const QueueFilter& filter) const {
  if (!can_review(reviewer.role))
    throw Error(ErrorKind::forbidden, "not_a_reviewer", "Your role cannot see the verification queue.");
  QueuePage page;
  auto& out = page.requests;
  store_.read([&](StoreTransaction& tx) {
    out.clear();
    // Three reads for the whole page: the requests, then their applicants and approval
    // counts. One request past the limit tells whether more wait.
    auto one_more = filter;
    ++one_more.limit;
    auto requests = tx.requests().queue(one_more);
    page.more = std::cmp_greater(requests.size(), filter.limit);
    if (page.more) requests.resize(static_cast<std::size_t>(filter.limit));
    std::vector<std::int64_t> request_ids, applicant_ids;
    for (const auto& r : requests) {
      request_ids.push_back(r.id);
      applicant_ids.push_back(r.account_id);
    }
    std::map<std::int64_t, Account> applicants;
    for (auto& account : tx.accounts().find_by_ids(applicant_ids)) applicants.emplace(account.id, std::move(account));
    const auto counts = tx.requests().approval_counts(request_ids);
    for (auto& request : requests) {
      const auto applicant = applicants.find(request.account_id);
      const auto count = counts.find(request.id);
      out.push_back(ReviewedRequest{
          std::move(request),
          applicant == applicants.end() ? std::nullopt : std::optional<Account>(applicant->second),
          count == counts.end() ? 0 : count->second});
    }
  });
  return page;
}

ReviewedRequest RequestService::review(const Account& reviewer, std::int64_t id) const {
  const auto request = for_reviewer(reviewer, id);
  ReviewedRequest out;
  store_.read([&](StoreTransaction& tx) { out = with_applicant(tx, request); });
  return out;
}

ReviewedRequest RequestService::view(const Account& account, std::int64_t id) const {
  const auto request = visible_to(account, id);
  if (request.account_id == account.id) return ReviewedRequest{request, account, 0};
  ReviewedRequest out;
  store_.read([&](StoreTransaction& tx) { out = with_applicant(tx, request); });
  return out;
}

std::vector<CertificateRequest> RequestService::list_own(const Account& applicant) const {
  std::vector<CertificateRequest> out;
  store_.read([&](StoreTransaction& tx) { out = tx.requests().list_for_account(applicant.id); });
  return out;
}

std::vector<Approval> RequestService::approvals(std::int64_t id) const {
  std::vector<Approval> out;
  store_.read([&](StoreTransaction& tx) { out = tx.requests().approvals(id); });
  return out;
}

}  // namespace lontar
