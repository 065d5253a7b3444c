// The pure helpers the core stands on: ISO time, the seeded PRNG, safe JSON access.
#include <boost/test/unit_test.hpp>

#include "parcours/iso_time.h"
#include "parcours/json_access.h"
#include "parcours/random.h"

using namespace parcours;

BOOST_AUTO_TEST_SUITE(utilities)

BOOST_AUTO_TEST_CASE(iso8601_formats_known_instants) {
  BOOST_TEST(FormatIso8601(0) == "1970-01-01T00:00:00.000Z");
  BOOST_TEST(FormatIso8601(951782400000) == "2000-02-29T00:00:00.000Z");  // Leap day.
  BOOST_TEST(FormatIso8601(1763800000123) == "2025-11-22T08:26:40.123Z");
  BOOST_TEST(FormatIso8601(4102444799999) == "2099-12-31T23:59:59.999Z");
  BOOST_TEST(FormatIso8601(-1) == "1969-12-31T23:59:59.999Z");
}

BOOST_AUTO_TEST_CASE(random_is_reproducible_from_its_seed) {
  Random a({7, 8, 9, 10}), b({7, 8, 9, 10}), c({7, 8, 9, 11});
  const std::string first = a.UuidV4();
  BOOST_TEST(first == b.UuidV4());
  BOOST_TEST(first != c.UuidV4());
  Random zero({0, 0, 0, 0});  // Must not get stuck at zero.
  BOOST_TEST((zero.NextU32() | zero.NextU32()) != 0u);
  for (int i = 0; i < 1000; ++i) {
    const double unit = a.NextUnit();
    BOOST_TEST_REQUIRE((unit >= 0.0 && unit < 1.0));
  }
}

BOOST_AUTO_TEST_CASE(json_access_never_throws_on_wrong_types) {
  const Json doc = {{"s", "x"}, {"n", 2.5}, {"i", 7}, {"o", {{"k", 1}}}};
  BOOST_TEST(FindString(doc, "n") == nullptr);
  BOOST_TEST(*FindString(doc, "s") == "x");
  BOOST_TEST(Find(Json(5), "s") == nullptr);
  int64_t value = 0;
  BOOST_TEST(FindInteger(doc, "n", 0, 10, &value) == false);
  BOOST_TEST(FindInteger(doc, "i", 0, 5, &value) == false);
  BOOST_TEST(FindInteger(doc, "i", 0, 10, &value) == true);
  BOOST_TEST(value == 7);
  BOOST_TEST(NestingDepth(doc, 10) == 2u);
  BOOST_TEST(DumpJson(Json(std::string("a\xff"))) == "\"a\xEF\xBF\xBD\"");
}

BOOST_AUTO_TEST_CASE(append_quoted_escapes_like_dump_and_survives_bad_utf8) {
  const std::string samples[] = {"plain", "quote \" and \\ slash", "tab\tnew\nline\x01", "été ✓ 😀", ""};
  for (const std::string& sample : samples) {
    std::string out;
    AppendQuoted(&out, sample);
    BOOST_TEST(out == QuoteJson(sample));
    BOOST_TEST(Json::parse(out, nullptr, false).get<std::string>() == sample);
  }
  // A multi-byte character cut in half (as substr may leave it) must still give valid JSON.
  std::string cut = std::string("ab") + "\xC3";
  std::string out;
  AppendQuoted(&out, cut);
  BOOST_TEST(!Json::parse(out, nullptr, false).is_discarded());
}

BOOST_AUTO_TEST_CASE(append_quoted_writes_every_byte_as_dump_does_after_what_the_output_holds) {
  std::string every;
  for (int c = 1; c < 0x80; ++c) every.push_back(static_cast<char>(c));
  every += std::string(1, '\0') + "\xC3\xA9";
  std::string out = "prefix:";
  AppendQuoted(&out, every);
  AppendQuoted(&out, "");
  AppendQuoted(&out, "bad \xff");
  BOOST_TEST(out == "prefix:" + QuoteJson(every) + "\"\"" + QuoteJson("bad \xff"));
}

BOOST_AUTO_TEST_SUITE_END()
