// Runs every evalCondition case of GrowthBook's language-neutral test suite (copied into
// tests/fixtures/growthbook/eval_condition.json) through Condition, so our conditions mean
// what GrowthBook's do. Cases that need saved groups (a fifth element) are counted as skipped.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "parcours/rules/condition.h"

#ifndef PARCOURS_FIXTURES_DIR
#error "tests/native/CMakeLists.txt must define PARCOURS_FIXTURES_DIR"
#endif

using namespace parcours;
using parcours::rules::Condition;

namespace {

Json ReadFixture(const std::string& relative) {
  std::ifstream file(std::string(PARCOURS_FIXTURES_DIR) + "/" + relative);
  std::stringstream text;
  text << file.rdbuf();
  return Json::parse(text.str(), nullptr, false);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(growthbook_cases)

BOOST_AUTO_TEST_CASE(every_eval_condition_case_passes) {
  const Json fixture = ReadFixture("growthbook/eval_condition.json");
  BOOST_TEST_REQUIRE(fixture.is_object());
  const Json* cases = Find(fixture, "evalCondition");
  BOOST_TEST_REQUIRE((cases && cases->is_array() && !cases->empty()));
  size_t passed = 0, run = 0, skipped = 0;
  for (const Json& entry : *cases) {
    BOOST_TEST_REQUIRE((entry.is_array() && entry.size() >= 4u));
    const std::string name = entry[0].get<std::string>();
    if (entry.size() > 4) {  // Saved groups ($inGroup/$notInGroup): not supported here.
      ++skipped;
      continue;
    }
    ++run;
    const auto condition = Condition::Compile(entry[1]);
    if (!condition.ok()) {
      BOOST_ERROR(name << ": compile failed: " << condition.error().message);
      continue;
    }
    const bool expected = entry[3].get<bool>();
    const bool actual = condition.value().Matches(entry[2]);
    if (actual == expected) {
      ++passed;
    } else {
      BOOST_ERROR(name << ": expected " << expected << ", got " << actual);
    }
  }
  BOOST_TEST_MESSAGE("GrowthBook evalCondition: " << passed << "/" << run << " passed, " << skipped
                                                  << " skipped (saved groups are not supported)"
                                                  << " [spec " << fixture.value("specVersion", "?") << "]");
  BOOST_TEST(passed == run);
}

BOOST_AUTO_TEST_CASE(explanations_never_fail_on_the_cases) {
  // Every failing case must also explain itself without crashing, and say something.
  const Json fixture = ReadFixture("growthbook/eval_condition.json");
  const Json* cases = Find(fixture, "evalCondition");
  BOOST_TEST_REQUIRE(cases != nullptr);
  for (const Json& entry : *cases) {
    const auto condition = Condition::Compile(entry[1]);
    BOOST_TEST_REQUIRE(condition.ok());
    std::string why;
    if (!condition.value().Matches(entry[2], &why)) {
      BOOST_TEST(!why.empty(), entry[0].get<std::string>());
    } else {
      BOOST_TEST(why.empty());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
