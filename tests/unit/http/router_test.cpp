#include "http/router.h"

#include <gtest/gtest.h>

namespace lontar::http {
namespace {

HttpRequest get(const std::string& path, const std::string& method = "GET") {
  HttpRequest request;
  request.method = method;
  request.path = path;
  return request;
}

// Every handler answers with its own name and the parameters it was given.
Router::Handler echo(const std::string& name) {
  return [name](const HttpRequest& request) {
    std::string body = name;
    for (const auto& [key, value] : request.params) body += " " + key + "=" + value;
    return HttpResponse::text(200, body);
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/api/v1/requests", echo("list"));
    router_.add("GET", "/api/v1/requests/{id}", echo("show"));
    router_.add("POST", "/api/v1/requests/{id}/csr", echo("csr"));
    router_.add("GET", "/api/v1/documents/{code}", echo("document"));
    router_.add("POST", "/api/v1/documents/sign", echo("sign"));
    router_.add("GET", "/ocsp/{request*}", echo("ocsp"));
    router_.allow_body("/api/v1/requests/{id}/csr", 1 << 20);
    router_.run_apart("POST", "/api/v1/requests/{id}/csr", Router::Lane::signed_in);
  }
  std::string body(const std::string& path, const std::string& method = "GET") {
    auto request = get(path, method);
    return router_.dispatch(request).body;
  }
  int status(const std::string& path, const std::string& method = "GET") {
    auto request = get(path, method);
    return router_.dispatch(request).status;
  }
  Router router_;
};

TEST_F(RouterTest, PathParametersReachTheHandler) {
  EXPECT_EQ(body("/api/v1/requests"), "list");
  EXPECT_EQ(body("/api/v1/requests/42"), "show id=42");
  EXPECT_EQ(body("/api/v1/requests/42/csr", "POST"), "csr id=42");
  EXPECT_EQ(body("/api/v1/documents/ABCDE"), "document code=ABCDE");
}

TEST_F(RouterTest, ALiteralSegmentWinsOverAParameter) {
  EXPECT_EQ(body("/api/v1/documents/sign", "POST"), "sign");
  // The literal route exists but not for GET: 405 naming what it accepts, not the parameter route.
  auto request = get("/api/v1/documents/sign");
  const auto response = router_.dispatch(request);
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "POST");
}

TEST_F(RouterTest, AParameterIsOneNonEmptySegment) {
  EXPECT_EQ(status("/api/v1/requests/"), 404);
  EXPECT_EQ(status("/api/v1/requests/42/"), 404);
  EXPECT_EQ(status("/api/v1/requests/42/extra/csr", "POST"), 404);
  EXPECT_EQ(status("/api/v1/requests//csr", "POST"), 404);
  EXPECT_EQ(status("/api/v1/requests/42/csr"), 405);
}

TEST_F(RouterTest, ARestParameterTakesTheRestOfThePath) {
  EXPECT_EQ(body("/ocsp/MFQw/Ug+a=="), "ocsp request=MFQw/Ug+a==");
  EXPECT_EQ(status("/ocsp/"), 404);
}

TEST_F(RouterTest, BodyLimitsAndLanesFollowTheRoute) {
  EXPECT_EQ(router_.body_limit("/api/v1/requests/7/csr"), 1u << 20);
  EXPECT_EQ(router_.body_limit("/api/v1/requests/7"), Router::kDefaultBodyLimit);
  EXPECT_EQ(router_.body_limit("/nowhere"), Router::kDefaultBodyLimit);
  EXPECT_EQ(router_.lane("POST", "/api/v1/requests/7/csr"), Router::Lane::signed_in);
  EXPECT_EQ(router_.lane("GET", "/api/v1/requests/7/csr"), Router::Lane::none);
  EXPECT_EQ(router_.lane("POST", "/api/v1/requests/7"), Router::Lane::none);
}

TEST_F(RouterTest, ParametersFromAnEarlierMatchDoNotLeak) {
  auto request = get("/api/v1/requests/9");
  request.params["stale"] = "x";
  EXPECT_EQ(router_.dispatch(request).body, "show id=9");
}

}  // namespace
}  // namespace lontar::http
