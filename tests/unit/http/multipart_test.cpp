#include "http/multipart.h"

#include <gtest/gtest.h>

namespace lontar::http {
namespace {

const std::string kType = "multipart/form-data; boundary=----WebKitFormBoundaryX3a";

std::string body_of(std::initializer_list<std::string> parts) {
  std::string body;
  for (const auto& p : parts) body += "------WebKitFormBoundaryX3a\r\n" + p + "\r\n";
  return body + "------WebKitFormBoundaryX3a--\r\n";
}

TEST(Multipart, ParsesFieldsAndFilesAsBrowsersSendThem) {
  const std::string pdf = std::string("%PDF-1.7\r\n\0binary\r\n--not-a-boundary", 34);
  const auto parsed = parse_multipart(
      kType, body_of({"Content-Disposition: form-data; name=\"csrf\"\r\n\r\nabc123",
                      "Content-Disposition: form-data; name=\"letter\"; filename=\"surat.pdf\"\r\nContent-Type: "
                      "application/pdf\r\n\r\n" + pdf}));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->at("csrf").data, "abc123");
  EXPECT_EQ(parsed->at("letter").filename, "surat.pdf");
  EXPECT_EQ(parsed->at("letter").content_type, "application/pdf");
  EXPECT_EQ(parsed->at("letter").data, pdf);
}

TEST(Multipart, RefusesMalformedBodies) {
  EXPECT_FALSE(parse_multipart("application/x-www-form-urlencoded", "a=b"));
  EXPECT_FALSE(parse_multipart("multipart/form-data", "--x\r\n"));  // no boundary
  EXPECT_FALSE(parse_multipart(kType, "no delimiter at all"));
  // Unterminated part.
  EXPECT_FALSE(parse_multipart(kType, "------WebKitFormBoundaryX3a\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx"));
  // Missing name, and a repeated name.
  EXPECT_FALSE(parse_multipart(kType, body_of({"Content-Disposition: form-data\r\n\r\nx"})));
  EXPECT_FALSE(parse_multipart(kType, body_of({"Content-Disposition: form-data; name=\"a\"\r\n\r\n1",
                                               "Content-Disposition: form-data; name=\"a\"\r\n\r\n2"})));
}

TEST(Multipart, LimitsTheNumberOfParts) {
  std::initializer_list<std::string> three = {"Content-Disposition: form-data; name=\"a\"\r\n\r\n1",
                                              "Content-Disposition: form-data; name=\"b\"\r\n\r\n2",
                                              "Content-Disposition: form-data; name=\"c\"\r\n\r\n3"};
  EXPECT_TRUE(parse_multipart(kType, body_of(three), 3));
  EXPECT_FALSE(parse_multipart(kType, body_of(three), 2));
}

}  // namespace
}  // namespace lontar::http
