// Conditions compiled into one ruleset-wide PathTable and evaluated through a shared
// PathCache: paths resolved once per document, regex and clause results shared across
// conditions, a settled failure ending a condition early. Every result and explanation must
// be that of the condition evaluated alone.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "condition_testing.h"
#include "parcours/rules/condition.h"

using namespace parcours;
using parcours::rules::Condition;

namespace {

using parcours::testing::Compiled;

// Each condition twice: compiled into the shared `table`, and alone (the reference).
template <size_t N>
void CompileBoth(const char* const (&texts)[N], rules::PathTable* table, std::vector<Condition>* shared,
                 std::vector<Condition>* alone) {
  for (const char* text : texts) {
    shared->push_back(Compiled(text, table));
    alone->push_back(Compiled(text));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(condition_sharing)

// The ruleset-wide path table: conditions sharing a PathCache resolve each path once per
// document and get the same answers (and explanations) as without it; paths under
// $elemMatch stay relative to the elements.
BOOST_AUTO_TEST_CASE(a_shared_path_cache_changes_no_result) {
  rules::PathTable table;
  const char* const texts[] = {
      R"({"cart.value": {"$gte": 50}, "user.tier": {"$in": ["gold", "vip"]}})",
      R"({"cart.value": {"$lt": 50}})",
      R"({"cart.items.length": 2, "cart.items.0.name": "Shirt"})",
      R"({"cart.items": {"$elemMatch": {"name": "Hat", "price": {"$gt": 5}}}})",
      R"({"name": "Hat"})",
      R"({"user.missing": {"$exists": false}, "$or": [{"cart.value": 10}, {"user.tier": "gold"}]})",
      R"({"cart.items.length": {"$gt": 5}})",
      // Regex results are memoized per document value: the same pattern on other values,
      // on array elements and on numbers must still answer for each.
      R"({"user.tier": {"$regex": "^g"}})",
      R"({"name": {"$regex": "^g"}})",
      R"({"cart.items": {"$elemMatch": {"name": {"$regex": "^H"}}}})",
      R"({"user.tier": {"$regex": "^H"}})",
      R"({"name": {"$regex": "^H"}})",
      R"({"cart.value": {"$regex": "4$"}})",
      R"({"user.tier": {"$not": {"$regex": "^g"}}})",
      R"({"user.tier": {"$regexi": "^G"}})",
  };
  std::vector<Condition> shared, alone;
  CompileBoth(texts, &table, &shared, &alone);
  BOOST_TEST(table.size() == 8u);  // cart.value, user.tier, cart.items(.length/.0.name), name, price, user.missing
  BOOST_TEST(table.regex_count() == 4u);  // ^g, ^H, 4$, and ^G case-insensitive
  const Json docs[] = {
      Json::parse(R"({"cart": {"value": 64, "items": [{"name": "Shirt", "price": 30}, {"name": "Hat", "price": 9}]},
                     "user": {"tier": "gold"}, "name": "Hat"})"),
      Json::parse(R"({"cart": {"value": 10, "items": []}, "user": {"tier": "bronze", "missing": 1}})"),
      Json::parse(R"({})"),
  };
  for (const Json& doc : docs) {
    rules::PathCache cache;
    cache.Reset(&doc, {table.size()});
    for (int pass = 0; pass < 2; ++pass) {  // the second pass reads only cached values
      for (size_t i = 0; i < shared.size(); ++i) {
        std::string why_shared, why_alone;
        BOOST_TEST(shared[i].Matches(doc, &why_shared, &cache) == alone[i].Matches(doc, &why_alone), texts[i]);
        BOOST_TEST(why_shared == why_alone, texts[i]);
      }
    }
    // A cache for another document is not used.
    const Json other = Json::parse(R"({"cart": {"value": 100}})");
    BOOST_TEST(shared[0].Matches(other, nullptr, &cache) == alone[0].Matches(other));
  }
  // The same with a document served section by section (the decision engine's context): the
  // root is a placeholder, and paths start at the section their first segment names.
  struct Sections final : rules::SectionSource {
    const Json* doc = nullptr;
    int built = 0;
    const Json* Section(std::string_view name) override {
      ++built;
      const auto it = doc->find(std::string(name));
      return it == doc->end() ? nullptr : &*it;
    }
  };
  for (const Json& doc : docs) {
    const Json placeholder = Json::object();
    Sections sections;
    sections.doc = &doc;
    rules::PathCache cache;
    cache.Reset(&placeholder, table.counts(), &sections);
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t i = 0; i < shared.size(); ++i) {
        std::string why_shared, why_alone;
        BOOST_TEST(shared[i].Matches(placeholder, &why_shared, &cache) == alone[i].Matches(doc, &why_alone), texts[i]);
        BOOST_TEST(why_shared == why_alone, texts[i]);
      }
    }
    BOOST_TEST(sections.built <= 8);  // once per distinct path at most, not per condition
  }
}

// Clauses (a path and its test) are numbered across conditions: a clause repeated by many
// campaigns runs once per document, and once it failed, a condition with it fails without
// reading its other paths. Results and explanations are those of conditions alone.
BOOST_AUTO_TEST_CASE(shared_clauses_run_once_and_a_settled_failure_ends_a_condition) {
  rules::PathTable table;
  const char* const texts[] = {
      R"({"user.tier": {"$in": ["gold", "vip"]}})",
      R"({"cart.value": {"$gt": 5}, "user.tier": {"$in": ["gold", "vip"]}})",
      R"({"cart.value": {"$gt": 5}, "page.path": {"$regex": "^/p/"}})",
      R"({"cart.value": {"$gt": 50}, "$or": [{"user.tier": {"$in": ["gold", "vip"]}}, {"page.path": "/"}]})",
      R"({"cart.value": {"$gt": 5}, "user.tier": {"$in": ["vip", "gold"]}})",  // another operand
  };
  std::vector<Condition> shared, alone;
  CompileBoth(texts, &table, &shared, &alone);
  BOOST_TEST(table.clause_count() == 6u);  // tier in [gold,vip], value > 5, path ^/p/, value > 50, path == /, tier in [vip,gold]
  struct Sections final : rules::SectionSource {
    const Json* doc = nullptr;
    std::vector<std::string> built;
    const Json* Section(std::string_view name) override {
      built.emplace_back(name);
      const auto it = doc->find(std::string(name));
      return it == doc->end() ? nullptr : &*it;
    }
  };
  const Json docs[] = {
      Json::parse(R"({"cart": {"value": 64}, "user": {"tier": "bronze"}, "page": {"path": "/p/1"}})"),
      Json::parse(R"({"cart": {"value": 64}, "user": {"tier": "gold"}, "page": {"path": "/"}})"),
      Json::parse(R"({"cart": {"value": 1}})"),
  };
  for (const Json& doc : docs) {
    for (bool explain : {false, true}) {
      const Json placeholder = Json::object();
      Sections sections;
      sections.doc = &doc;
      rules::PathCache cache;
      cache.Reset(&placeholder, table.counts(), &sections);
      for (size_t i = 0; i < shared.size(); ++i) {
        std::string why_shared, why_alone;
        BOOST_TEST(shared[i].Matches(placeholder, explain ? &why_shared : nullptr, &cache) ==
                       alone[i].Matches(doc, explain ? &why_alone : nullptr),
                   texts[i]);
        BOOST_TEST(why_shared == why_alone, texts[i]);
      }
      BOOST_TEST(cache.SettledClauses() <= table.clause_count());
    }
  }
  // The first document: the shared tier clause fails first, so the second condition never
  // reads cart.value, and "cart" is first built for the third.
  const Json placeholder = Json::object();
  Sections sections;
  sections.doc = &docs[0];
  rules::PathCache cache;
  cache.Reset(&placeholder, table.counts(), &sections);
  BOOST_TEST(!shared[0].Matches(placeholder, nullptr, &cache));
  BOOST_TEST(cache.SettledClauses() == 1u);
  BOOST_TEST(!shared[1].Matches(placeholder, nullptr, &cache));
  BOOST_TEST(sections.built == std::vector<std::string>{"user"});
  BOOST_TEST(cache.SettledClauses() == 1u);
  BOOST_TEST(shared[2].Matches(placeholder, nullptr, &cache));
  BOOST_TEST(cache.SettledClauses() == 3u);
  // Explaining walks the clauses in order all the same.
  std::string why;
  BOOST_TEST(!shared[1].Matches(placeholder, &why, &cache));
  BOOST_TEST(why == R"(user.tier $in ["gold","vip"] failed (value: "bronze"))");
}

BOOST_AUTO_TEST_SUITE_END()
