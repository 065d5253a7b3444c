// Variant and holdout bucketing: GrowthBook's own cases, stability, distribution, and the
// holdout's independence from variant weights.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parcours/json_access.h"
#include "parcours/rules/bucketing.h"

using namespace parcours;
using namespace parcours::rules;

namespace {

Json LoadFixture(const std::string& name) {
  std::ifstream file(std::string(PARCOURS_FIXTURES_DIR) + "/" + name);
  std::stringstream text;
  text << file.rdbuf();
  return Json::parse(text.str(), nullptr, false);
}

const Json& Section(const Json& fixture, const char* name) {
  static const Json kEmpty = Json::array();
  const Json* section = Find(fixture, name);
  return section && section->is_array() ? *section : kEmpty;
}

std::vector<double> Numbers(const Json& array) {
  std::vector<double> out;
  if (!array.is_array()) return out;
  for (const Json& item : array) out.push_back(item.is_number() ? item.get<double>() : std::nan(""));
  return out;
}

bool Near(double a, double b) { return std::fabs(a - b) < 1e-9; }

std::string UnitId(int i) { return "anon-" + std::to_string(i * 7919) + "-" + std::to_string(i); }

}  // namespace

BOOST_AUTO_TEST_SUITE(bucketing)

BOOST_AUTO_TEST_CASE(fnv1a_matches_published_vectors) {
  BOOST_TEST(Fnv1a32("") == 0x811c9dc5u);
  BOOST_TEST(Fnv1a32("a") == 0xe40c292cu);
  BOOST_TEST(Fnv1a32("foobar") == 0xbf9cf968u);
  BOOST_TEST(Fnv1a32("\xC3\xA9") == 0x1e9de8c1u);  // é as its two UTF-8 bytes
}

BOOST_AUTO_TEST_CASE(growthbook_fnv_hashes_utf16_code_units_like_js) {
  // Expected values computed with GrowthBook's hashFnv32a in node.
  BOOST_TEST(GrowthBookFnv32a("foobar") == Fnv1a32("foobar"));
  BOOST_TEST(GrowthBookFnv32a("\xC3\xA9") == 0x6c0b6c44u);              // é, U+00E9
  BOOST_TEST(GrowthBookFnv32a("\xE2\x82\xAC") == 0xa93e2c4bu);          // €, U+20AC
  BOOST_TEST(GrowthBookFnv32a("\xF0\x9F\x98\x80") == 0xcb31c4b8u);      // 😀, a surrogate pair
  BOOST_TEST(GrowthBookFnv32a("user-\xC3\xA9\xF0\x9F\x98\x80") == 0x748fd2b9u);
  BOOST_TEST(GrowthBookFnv32a("a\xFF" "b") == 3108391347u);  // an invalid byte reads as U+FFFD
  BOOST_TEST(GrowthBookFnv32a("\xE2\x82") == 2007932456u);   // a cut sequence is one U+FFFD
  BOOST_TEST(*GrowthBookHash("campagne-\xC3\xA9t\xC3\xA9", "utilisateur-\xF0\x9F\x98\x80", 2) == 0.937);
  BOOST_TEST(*GrowthBookHash("s", "\xC3\xBC", 1) == 0.664);
}

BOOST_AUTO_TEST_CASE(growthbook_cases_all_pass) {
  const Json fixture = LoadFixture("growthbook/bucketing.json");
  BOOST_TEST_REQUIRE(fixture.is_object(), "tests/fixtures/growthbook/bucketing.json is missing or invalid");

  size_t passed = 0, total = 0;
  for (const Json& c : Section(fixture, "hash")) {
    ++total;
    const std::string* seed = c.size() == 4 ? c[0].get_ptr<const std::string*>() : nullptr;
    const std::string* value = c.size() == 4 ? c[1].get_ptr<const std::string*>() : nullptr;
    BOOST_TEST_REQUIRE((seed && value && c[2].is_number_integer()));
    const std::optional<double> got = GrowthBookHash(*seed, *value, c[2].get<int>());
    const bool ok = c[3].is_null() ? !got.has_value() : (got.has_value() && Near(*got, c[3].get<double>()));
    BOOST_TEST(ok, "hash(" << *seed << ", " << *value << ")");
    passed += ok;
  }
  BOOST_TEST_MESSAGE("GrowthBook hash: " << passed << "/" << total);
  BOOST_TEST(total == 15u);
  size_t all_passed = passed, all_total = total;

  passed = total = 0;
  for (const Json& c : Section(fixture, "getBucketRange")) {
    ++total;
    BOOST_TEST_REQUIRE((c.size() == 3 && c[1].is_array() && c[1].size() == 3 && c[2].is_array()));
    BOOST_TEST_REQUIRE((c[1][0].is_number() && c[1][1].is_number()));
    const Json& args = c[1];
    const auto ranges = BucketRanges(args[0].get<size_t>(), args[1].get<double>(), Numbers(args[2]));
    bool ok = ranges.size() == c[2].size();
    for (size_t i = 0; ok && i < ranges.size(); ++i) {
      const std::vector<double> expected = Numbers(c[2][i]);
      ok = expected.size() == 2 && Near(ranges[i].first, expected[0]) && Near(ranges[i].second, expected[1]);
    }
    BOOST_TEST(ok, "getBucketRange: " << DumpJson(c[0]));
    passed += ok;
  }
  BOOST_TEST_MESSAGE("GrowthBook getBucketRange: " << passed << "/" << total);
  BOOST_TEST(total == 13u);
  all_passed += passed;
  all_total += total;

  passed = total = 0;
  for (const Json& c : Section(fixture, "chooseVariation")) {
    ++total;
    BOOST_TEST_REQUIRE((c.size() == 4 && c[1].is_number() && c[2].is_array() && c[3].is_number_integer()));
    std::vector<std::pair<double, double>> ranges;
    for (const Json& range : c[2]) {
      const std::vector<double> bounds = Numbers(range);
      BOOST_TEST_REQUIRE(bounds.size() == 2u);
      ranges.emplace_back(bounds[0], bounds[1]);
    }
    const bool ok = ChooseVariation(c[1].get<double>(), ranges) == c[3].get<int>();
    BOOST_TEST(ok, "chooseVariation: " << DumpJson(c[0]));
    passed += ok;
  }
  BOOST_TEST_MESSAGE("GrowthBook chooseVariation: " << passed << "/" << total);
  BOOST_TEST(total == 13u);
  all_passed += passed;
  all_total += total;
  BOOST_TEST(all_passed == all_total);
}

BOOST_AUTO_TEST_CASE(bucket_ranges_edge_cases) {
  BOOST_TEST(BucketRanges(0, 1, {}).empty());
  const auto nan_coverage = BucketRanges(2, std::nan(""), {});  // like a missing coverage
  BOOST_TEST(nan_coverage[1].second == 1.0);
  const auto nan_weight = BucketRanges(2, 1, {std::nan(""), 0.5});  // not a sum: equal weights
  BOOST_TEST(nan_weight[0].second == 0.5);
  BOOST_TEST(ChooseVariation(0.3, {}) == -1);
  BOOST_TEST(ChooseVariation(1.0, {{0, 0.5}, {0.5, 1}}) == -1);  // ranges are half-open
}

BOOST_AUTO_TEST_CASE(assignment_is_stable) {
  const std::vector<double> weights{0.2, 0.3, 0.5};
  int unstable = 0;
  for (int i = 0; i < 1000; ++i) {
    const Assignment a = Assign("spring-sale", UnitId(i), weights, 0.1);
    const Assignment b = Assign("spring-sale", UnitId(i), weights, 0.1);
    unstable += !(a.holdout == b.holdout && a.variant == b.variant && a.hash == b.hash);
    unstable += a.hash != *GrowthBookHash("spring-sale", UnitId(i), 2);
    unstable += a.holdout ? a.variant != -1 : a.variant < 0;
  }
  BOOST_TEST(unstable == 0);
  // Known values pin the formula so a refactor cannot silently move every visitor.
  const Assignment known = Assign("seed", "a", {0.5, 0.5}, 0);
  BOOST_TEST(known.hash == 0.0505);  // GrowthBook's own case: hash("seed", "a", 2)
  BOOST_TEST(known.variant == 0);
  BOOST_TEST(!known.holdout);
}

BOOST_AUTO_TEST_CASE(assignment_follows_the_weights) {
  const int kIds = 10000;
  const std::vector<std::vector<double>> cases{{0.5, 0.5}, {0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}};
  for (const auto& weights : cases) {
    std::vector<int> counts(weights.size(), 0);
    int unassigned = 0;
    for (int i = 0; i < kIds; ++i) {
      const Assignment a = Assign("campaign-42", UnitId(i), weights, 0);
      if (a.holdout || a.variant < 0 || a.variant >= static_cast<int>(weights.size())) {
        ++unassigned;
        continue;
      }
      ++counts[static_cast<size_t>(a.variant)];
    }
    BOOST_TEST(unassigned == 0);
    for (size_t v = 0; v < weights.size(); ++v) {
      const double share = static_cast<double>(counts[v]) / kIds;
      BOOST_TEST(std::fabs(share - weights[v]) < 0.02, "variant " << v << ": " << share << " vs " << weights[v]);
    }
  }
}

BOOST_AUTO_TEST_CASE(holdout_share_and_variants_of_the_rest) {
  const int kIds = 10000;
  const std::vector<double> weights{0.2, 0.3, 0.5};
  int held = 0;
  std::vector<int> counts(weights.size(), 0);
  for (int i = 0; i < kIds; ++i) {
    const Assignment a = Assign("winter-offer", UnitId(i), weights, 0.1);
    if (a.holdout) {
      ++held;
    } else {
      ++counts[static_cast<size_t>(a.variant)];
    }
  }
  BOOST_TEST(std::fabs(static_cast<double>(held) / kIds - 0.1) < 0.02, "holdout " << held);
  for (size_t v = 0; v < weights.size(); ++v) {
    const double share = static_cast<double>(counts[v]) / (kIds - held);
    BOOST_TEST(std::fabs(share - weights[v]) < 0.02, "variant " << v << ": " << share);
  }
}

BOOST_AUTO_TEST_CASE(changing_weights_keeps_holdout_membership) {
  int moved = 0, held = 0;
  for (int i = 0; i < 5000; ++i) {
    const Assignment before = Assign("winter-offer", UnitId(i), {0.5, 0.5}, 0.15);
    const Assignment after = Assign("winter-offer", UnitId(i), {0.1, 0.6, 0.3}, 0.15);
    moved += before.holdout != after.holdout;
    held += before.holdout;
  }
  BOOST_TEST(moved == 0);
  BOOST_TEST(held > 0);
  // Growing the holdout only adds people to it.
  int left = 0;
  for (int i = 0; i < 5000; ++i) {
    left += Assign("winter-offer", UnitId(i), {0.5, 0.5}, 0.1).holdout &&
            !Assign("winter-offer", UnitId(i), {0.5, 0.5}, 0.2).holdout;
  }
  BOOST_TEST(left == 0);
}

BOOST_AUTO_TEST_CASE(weights_are_relative) {
  int differ = 0;
  for (int i = 0; i < 1000; ++i) {
    differ += Assign("c", UnitId(i), {1, 1, 2}, 0).variant != Assign("c", UnitId(i), {0.25, 0.25, 0.5}, 0).variant;
    // Unusable weights mean equal weights.
    differ += Assign("c", UnitId(i), {-1, 3}, 0).variant != Assign("c", UnitId(i), {0.5, 0.5}, 0).variant;
    differ += Assign("c", UnitId(i), {0, 0}, 0).variant != Assign("c", UnitId(i), {0.5, 0.5}, 0).variant;
  }
  BOOST_TEST(differ == 0);
  BOOST_TEST(Assign("c", "u", {}, 0).variant == -1);
  BOOST_TEST(Assign("c", "u", {1, 1}, 1.0).holdout);  // everyone held out
}

BOOST_AUTO_TEST_SUITE_END()
