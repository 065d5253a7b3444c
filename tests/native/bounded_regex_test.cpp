// BoundedRegex: every supported syntax element, the syntax it rejects (with a message that
// says why), and the bounded-work promise on patterns that make backtracking engines hang.
#include <boost/test/unit_test.hpp>

#include <string>

#include "parcours/rules/bounded_regex.h"

using namespace parcours;
using parcours::rules::BoundedRegex;

namespace {

// Search for `pattern` in `text`; the pattern must compile.
bool Finds(const std::string& pattern, const std::string& text) {
  auto re = BoundedRegex::Compile(pattern);
  BOOST_TEST_REQUIRE(re.ok(), pattern << ": " << (re.ok() ? "" : re.error().message));
  return re.value().Search(text);
}

// The compile error for `pattern`, which must be rejected.
std::string Rejection(const std::string& pattern) {
  auto re = BoundedRegex::Compile(pattern);
  BOOST_TEST_REQUIRE(!re.ok(), pattern << " should be rejected");
  BOOST_TEST((re.error().code == ErrorCode::kInvalidCondition));
  return re.error().message;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(bounded_regex)

BOOST_AUTO_TEST_CASE(literals_search_anywhere_like_regexp_test) {
  BOOST_TEST(Finds("ping", "pingpong"));
  BOOST_TEST(Finds("pong", "pingpong"));
  BOOST_TEST(!Finds("pang", "pingpong"));
  BOOST_TEST(Finds("", "anything"));
  BOOST_TEST(Finds("", ""));
  BOOST_TEST(!Finds("a", ""));
  BOOST_TEST(Finds("été", "un été chaud"));  // UTF-8 literals match byte for byte.
  BOOST_TEST(Finds("a}b]c", "a}b]c"));       // Stray closers are literals, as in JS.
  BOOST_TEST(Finds("x{y", "x{y"));           // A brace that is no quantifier is a literal.
  BOOST_TEST(Finds("x{2,a}", "x{2,a}"));
}

BOOST_AUTO_TEST_CASE(anchors_bind_to_the_whole_text) {
  BOOST_TEST(Finds("^ping", "pingpong"));
  BOOST_TEST(!Finds("^pong", "pingpong"));
  BOOST_TEST(Finds("-12-25$", "1980-12-25"));
  BOOST_TEST(!Finds("-12-25$", "1980-12-25 "));
  BOOST_TEST(Finds("^$", ""));
  BOOST_TEST(!Finds("^$", "x"));
  BOOST_TEST(!Finds("^a", "b\na"));  // No multi-line mode.
  BOOST_TEST(Finds("^a|b$", "xxb"));
  BOOST_TEST(Finds("\\bMobile\\b", "Android Mobile Browser"));
  BOOST_TEST(!Finds("\\bMobile\\b", "AndroidMobileBrowser"));
  BOOST_TEST(Finds("\\Bobil\\B", "Mobile"));
  BOOST_TEST(!Finds("\\Bmob", "mobile"));
  BOOST_TEST(!Finds("\\B", "Aéb"));  // No position lies between the bytes of é.
}

BOOST_AUTO_TEST_CASE(dot_matches_one_character_but_not_line_breaks) {
  BOOST_TEST(Finds("a.c", "abc"));
  BOOST_TEST(!Finds("a.c", "a\nc"));
  BOOST_TEST(!Finds("a.c", "a\rc"));
  BOOST_TEST(Finds("^.$", "é"));         // Two bytes, one character.
  BOOST_TEST(Finds("^.$", "€"));         // Three bytes.
  BOOST_TEST(Finds("^.$", "\xF0\x9F\x98\x80"));  // Four bytes (an emoji).
  BOOST_TEST(!Finds("^..$", "é"));
  BOOST_TEST(Finds("^.{3}$", "aéb"));
}

BOOST_AUTO_TEST_CASE(classes_ranges_negation_and_escapes) {
  BOOST_TEST(Finds("[abc]", "xxbxx"));
  BOOST_TEST(!Finds("[abc]", "xyz"));
  BOOST_TEST(Finds("^[a-z]+$", "hello"));
  BOOST_TEST(!Finds("^[a-z]+$", "Hello"));
  BOOST_TEST(Finds("^[^a-z]+$", "HELLO 42"));
  BOOST_TEST(Finds("^[^a-z]$", "é"));  // A negated class takes non-ASCII characters whole.
  BOOST_TEST(Finds("^[A-Fa-f0-9]+$", "DeadBeef09"));
  BOOST_TEST(Finds("[\\]\\-]", "a-b"));
  BOOST_TEST(Finds("[\\]]", "]"));
  BOOST_TEST(Finds("^[a-]+$", "a-a"));  // A trailing '-' is literal.
  BOOST_TEST(Finds("^[-a]+$", "-a"));
  BOOST_TEST(Finds("^[\\d-z]+$", "1-z"));  // A class escape in a range: '-' is literal, as in JS.
  BOOST_TEST(Finds("^[.]$", "."));
  BOOST_TEST(!Finds("^[.]$", "x"));
  BOOST_TEST(Finds("[\\x41-\\x43]", "B"));
  BOOST_TEST(Finds("[\\u0041]", "A"));
  BOOST_TEST(!Finds("[]", "anything"));  // JS: the empty class matches nothing...
  BOOST_TEST(Finds("^[^]$", "\n"));      // ...and its negation anything.
  BOOST_TEST(Finds("[\\b]", "\b"));      // Backspace inside a class.
}

BOOST_AUTO_TEST_CASE(shorthand_classes) {
  BOOST_TEST(Finds("^\\d+$", "0123456789"));
  BOOST_TEST(!Finds("\\d", "abc"));
  BOOST_TEST(Finds("^\\w+$", "snake_Case9"));
  BOOST_TEST(!Finds("\\w", "-+ "));
  BOOST_TEST(Finds("^\\s+$", " \t\n\r\f\v"));
  BOOST_TEST(Finds("^\\D+$", "abc"));
  BOOST_TEST(!Finds("\\D", "123"));
  BOOST_TEST(Finds("^\\W$", "é"));
  BOOST_TEST(Finds("^\\S+$", "no-space"));
  BOOST_TEST(Finds("^[\\d\\s]+$", "1 2 3"));
  BOOST_TEST(Finds("^[^\\d]+$", "abc"));
  BOOST_TEST(Finds("^[\\W]+$", "+é"));
}

BOOST_AUTO_TEST_CASE(escaped_metacharacters_and_character_escapes) {
  BOOST_TEST(Finds("^a\\.b$", "a.b"));
  BOOST_TEST(!Finds("^a\\.b$", "axb"));
  BOOST_TEST(Finds("\\(\\)\\[\\]\\{\\}\\*\\+\\?\\|\\^\\$\\\\", "()[]{}*+?|^$\\"));
  BOOST_TEST(Finds("^https?:\\/\\/shop\\.example\\/", "https://shop.example/cart"));
  BOOST_TEST(Finds("a\\tb", "a\tb"));
  BOOST_TEST(Finds("a\\nb", "a\nb"));
  BOOST_TEST(Finds("\\x41\\u00e9", "Aé"));  // \u beyond ASCII stands for its UTF-8 bytes.
  BOOST_TEST(Finds("^\\u00e9+$", "éé"));    // ...as one atom for the quantifier.
  BOOST_TEST(Finds("^é+$", "ééé"));
  BOOST_TEST(Finds("a\\0b", std::string("a\0b", 3)));
}

BOOST_AUTO_TEST_CASE(groups_and_alternation) {
  BOOST_TEST(Finds("(Mobile|Tablet)", "Android Mobile Browser"));
  BOOST_TEST(!Finds("(Mobile|Tablet)", "Chrome Desktop Browser"));
  BOOST_TEST(Finds("^(?:ab|cd)+$", "abcdab"));
  BOOST_TEST(!Finds("^(?:ab|cd)+$", "abc"));
  BOOST_TEST(Finds("^(?<word>\\w+)$", "named"));
  BOOST_TEST(Finds("^(a|)$", ""));
  BOOST_TEST(Finds("^(|a)b$", "ab"));
  BOOST_TEST(Finds("^((a)(b(c)))$", "abc"));
  BOOST_TEST(Finds("^()$", ""));
  BOOST_TEST(Finds("x|y|z", "--z--"));
}

BOOST_AUTO_TEST_CASE(quantifiers_greedy_lazy_and_counted) {
  BOOST_TEST(Finds("^ab*c$", "ac"));
  BOOST_TEST(Finds("^ab*c$", "abbbc"));
  BOOST_TEST(!Finds("^ab+c$", "ac"));
  BOOST_TEST(Finds("^ab+c$", "abc"));
  BOOST_TEST(Finds("^ab?c$", "ac"));
  BOOST_TEST(!Finds("^ab?c$", "abbc"));
  BOOST_TEST(Finds("^a.*?c$", "abbbc"));  // Lazy matches the same texts.
  BOOST_TEST(Finds("^a+?$", "aaa"));
  BOOST_TEST(Finds("^a{3}$", "aaa"));
  BOOST_TEST(!Finds("^a{3}$", "aa"));
  BOOST_TEST(!Finds("^a{3}$", "aaaa"));
  BOOST_TEST(Finds("^a{2,}$", "aaaaaa"));
  BOOST_TEST(!Finds("^a{2,}$", "a"));
  BOOST_TEST(Finds("^a{2,4}$", "aaaa"));
  BOOST_TEST(!Finds("^a{2,4}$", "aaaaa"));
  BOOST_TEST(Finds("^a{0}b$", "b"));
  BOOST_TEST(Finds("^(ab){2}$", "abab"));
  BOOST_TEST(Finds("^\\d{4}-\\d{2}-\\d{2}$", "2025-11-22"));
  BOOST_TEST(Finds("^(a*)*$", "aaaa"));  // Empty loops terminate.
  BOOST_TEST(Finds("^(a?){100}a{100}$", std::string(100, 'a')));
  BOOST_TEST(Finds("^x{100}$", std::string(100, 'x')));
}

BOOST_AUTO_TEST_CASE(case_insensitive_prefix_and_flag) {
  BOOST_TEST(Finds("(?i)mobile", "Android MOBILE"));
  BOOST_TEST(!Finds("mobile", "Android MOBILE"));
  BOOST_TEST(Finds("(?i)^[a-c]+$", "AbC"));
  BOOST_TEST(!Finds("(?i)^[^a]$", "A"));  // Folding happens before negation.
  BOOST_TEST(Finds("(?i)^\\x41$", "a"));
  auto re = BoundedRegex::Compile("^summer sale$", true);
  BOOST_TEST_REQUIRE(re.ok());
  BOOST_TEST(re.value().Search("SUMMER Sale"));
}

BOOST_AUTO_TEST_CASE(unsupported_syntax_is_rejected_with_a_reason) {
  BOOST_TEST(Contains(Rejection("(a)\\1"), "backreferences are not supported"));
  BOOST_TEST(Contains(Rejection("(?<n>a)\\k<n>"), "named backreferences"));
  BOOST_TEST(Contains(Rejection("a(?=b)"), "lookaround"));
  BOOST_TEST(Contains(Rejection("a(?!b)"), "lookaround"));
  BOOST_TEST(Contains(Rejection("(?<=a)b"), "lookaround"));
  BOOST_TEST(Contains(Rejection("(?<!a)b"), "lookaround"));
  BOOST_TEST(Contains(Rejection("(a"), "missing ')'"));
  BOOST_TEST(Contains(Rejection("a)"), "unbalanced ')' at offset 1"));
  BOOST_TEST(Contains(Rejection("[abc"), "missing ']'"));
  BOOST_TEST(Contains(Rejection("*a"), "nothing to repeat"));
  BOOST_TEST(Contains(Rejection("a**"), "nothing to repeat"));
  BOOST_TEST(Contains(Rejection("a{2}{3}"), "nothing to repeat"));
  BOOST_TEST(Contains(Rejection("^*"), "cannot follow an anchor"));
  BOOST_TEST(Contains(Rejection("/???***[)"), "nothing to repeat"));  // GrowthBook's invalid case.
  BOOST_TEST(Contains(Rejection("[z-a]"), "out of order"));
  BOOST_TEST(Contains(Rejection("a{3,2}"), "out of order"));
  BOOST_TEST(Contains(Rejection("a{101}"), "exceeds 100"));
  BOOST_TEST(Contains(Rejection("a{1,101}"), "exceeds 100"));
  BOOST_TEST(Contains(Rejection("(?m)a"), "unsupported group syntax"));
  BOOST_TEST(Contains(Rejection("a(?i)b"), "unsupported group syntax"));
  BOOST_TEST(Contains(Rejection("\\p{L}"), "unknown escape \\p"));
  BOOST_TEST(Contains(Rejection("\\xZZ"), "hex digits"));
  BOOST_TEST(Contains(Rejection("\\07"), "octal"));
  BOOST_TEST(Contains(Rejection("[é]"), "non-ASCII"));
  BOOST_TEST(Contains(Rejection("abc\\"), "trailing backslash"));
  BOOST_TEST(Contains(Rejection("\\ud800"), "surrogate"));
}

BOOST_AUTO_TEST_CASE(limits_on_pattern_size_nesting_and_program) {
  BOOST_TEST(Contains(Rejection(std::string(1001, 'a')), "1001 bytes; the limit is 1000"));
  BOOST_TEST(BoundedRegex::Compile(std::string(1000, 'a')).ok());
  BOOST_TEST(Contains(Rejection(std::string(33, '(') + "a" + std::string(33, ')')), "nest deeper than 32"));
  BOOST_TEST(BoundedRegex::Compile(std::string(32, '(') + "a" + std::string(32, ')')).ok());
  // Nested counted repetition multiplies: 100 x 100 copies is far past 10,000 instructions.
  BOOST_TEST(Contains(Rejection("((ab){100}){100}"), "more than 10000 instructions"));
  auto wide = BoundedRegex::Compile("(abc){100}");
  BOOST_TEST_REQUIRE(wide.ok());
  BOOST_TEST(wide.value().ProgramSize() < 400u);
}

BOOST_AUTO_TEST_CASE(catastrophic_patterns_finish) {
  // Each of these takes exponential time in a backtracking engine; here each search is one
  // linear pass. No timing assertion: finishing at all is the test.
  const std::string text = std::string(30000, 'a') + "b";
  BOOST_TEST(!Finds("(a+)+$", text + "!"));
  BOOST_TEST(!Finds("^(a|a)*$", text));
  BOOST_TEST(!Finds("^(a|aa)+$", text));
  BOOST_TEST(!Finds("(a*)*c", text));
  BOOST_TEST(!Finds("^(\\w+\\s?)*$", std::string(30000, 'x') + "!"));
  BOOST_TEST(Finds("(a+)+b", text));
  BOOST_TEST(!Finds("(x+x+)+y", std::string(30000, 'x')));
  BOOST_TEST(!Finds("^(a?){100}a{100}$", std::string(99, 'a')));
}

BOOST_AUTO_TEST_CASE(long_texts_are_searched_up_to_64_kib) {
  std::string text(200000, 'x');
  text[1000] = 'N';
  BOOST_TEST(Finds("N", text));
  text[1000] = 'x';
  text[100000] = 'N';  // Past the first 64 KiB: not searched.
  BOOST_TEST(!Finds("N", text));
  BOOST_TEST(!Finds("x$", text));  // `$` does not match at the cut...
  BOOST_TEST(Finds("^x+", text));  // ...but a match within the window does.
  BOOST_TEST(Finds("x$", std::string(65536, 'x')));  // Exactly 64 KiB: the real end.
}

BOOST_AUTO_TEST_CASE(a_default_regex_matches_nothing) {
  BoundedRegex never;
  BOOST_TEST(!never.Search("anything"));
  BOOST_TEST(!never.Search(""));
}

BOOST_AUTO_TEST_SUITE_END()
