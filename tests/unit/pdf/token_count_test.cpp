// The token count that bounds what qpdf may parse: every kind of token counted once,
// strings and comments as wholes, stream data skipped only when asked.
#include "pdf/token_count.h"

#include <gtest/gtest.h>

#include <string>

namespace lontar::pdf {
namespace {

TEST(TokenCount, CountsEachKindOfTokenOnce) {
  EXPECT_EQ(count_tokens("1 0 obj << /Type /Page /Kids [3 0 R] >> endobj", false), 14u);
  EXPECT_EQ(count_tokens("(a (nested) string with \\) escapes) <48656C6C6F>", false), 2u);
  EXPECT_EQ(count_tokens("% a comment with / [ many ( tokens\n42", false), 1u);
  EXPECT_EQ(count_tokens("", false), 0u);
}

TEST(TokenCount, AnArrayOfNumbersIsAsManyTokens) {
  std::string zeros = "[";
  for (int i = 0; i < 100'000; ++i) zeros += "0 ";
  EXPECT_EQ(count_tokens(zeros + "]", false), 100'002u);
}

TEST(TokenCount, StreamDataIsSkippedOnlyWhenAsked) {
  const std::string object = "5 0 obj << /Length 11 >> stream\n0 0 0 0 0 0\nendstream endobj";
  EXPECT_EQ(count_tokens(object, true), 9u);  // 5 0 obj << /Length 11 >> stream, then endobj
  EXPECT_GT(count_tokens(object, false), count_tokens(object, true));
  // A stream that never ends swallows the rest: nothing after it is parsed either.
  EXPECT_EQ(count_tokens("1 stream\n[0 0 0", true), 2u);
}

}  // namespace
}  // namespace lontar::pdf
