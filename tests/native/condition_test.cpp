// Condition: every operator passing and failing, GrowthBook's JS coercions, arrays, nesting,
// malformed input that must warn (not crash), the structural limits, and why_not texts.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "condition_testing.h"
#include "parcours/rules/condition.h"

using namespace parcours;
using parcours::rules::Condition;

namespace {

using parcours::testing::Compiled;

// Does `condition` match `doc`? Both are JSON texts.
bool M(const std::string& condition, const std::string& doc) {
  const Json json = Json::parse(doc, nullptr, false);
  BOOST_TEST_REQUIRE(!json.is_discarded(), doc);
  return Compiled(condition).Matches(json);
}

std::string WhyNot(const std::string& condition, const std::string& doc) {
  std::string why;
  BOOST_TEST(!Compiled(condition).Matches(Json::parse(doc), &why));
  return why;
}

std::string Warnings(const std::string& condition) {
  const Condition compiled = Compiled(condition);
  std::string all;
  for (const std::string& warning : compiled.warnings()) all += warning + "\n";
  return all;
}

Error Rejected(const Json& condition) {
  auto compiled = Condition::Compile(condition);
  BOOST_TEST_REQUIRE(!compiled.ok());
  BOOST_TEST((compiled.error().code == ErrorCode::kInvalidCondition));
  return compiled.error();
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(condition)

BOOST_AUTO_TEST_CASE(empty_conditions_match_everything) {
  BOOST_TEST(Condition().Matches(Json::object()));
  BOOST_TEST(Condition().Matches(Json(42)));
  BOOST_TEST(M("{}", R"({"a": 1})"));
  BOOST_TEST(Compiled("{}").warnings().empty());
}

BOOST_AUTO_TEST_CASE(eq_and_ne_are_strict) {
  BOOST_TEST(M(R"({"a": {"$eq": "x"}})", R"({"a": "x"})"));
  BOOST_TEST(!M(R"({"a": {"$eq": "1"}})", R"({"a": 1})"));
  BOOST_TEST(M(R"({"a": {"$eq": 1}})", R"({"a": 1.0})"));
  BOOST_TEST(M(R"({"a": {"$eq": null}})", "{}"));  // Missing reads as null.
  BOOST_TEST(!M(R"({"a": {"$eq": [1]}})", R"({"a": [1]})"));  // JS compares arrays by identity.
  BOOST_TEST(M(R"({"a": {"$ne": "x"}})", R"({"a": "y"})"));
  BOOST_TEST(!M(R"({"a": {"$ne": true}})", R"({"a": true})"));
  BOOST_TEST(M(R"({"a": {"$ne": 1}})", R"({"a": "1"})"));
}

BOOST_AUTO_TEST_CASE(comparisons_follow_javascript) {
  BOOST_TEST(M(R"({"v": {"$gte": 50}})", R"({"v": 50})"));
  BOOST_TEST(!M(R"({"v": {"$gt": 50}})", R"({"v": 50})"));
  BOOST_TEST(M(R"({"v": {"$lt": 50, "$lte": 49.5}})", R"({"v": 49.5})"));
  BOOST_TEST(M(R"({"v": {"$gt": 5}})", R"({"v": "8"})"));     // String attribute, number operand.
  BOOST_TEST(M(R"({"v": {"$lt": "10"}})", R"({"v": 8})"));     // Number attribute, string operand.
  BOOST_TEST(!M(R"({"v": {"$lt": "10"}})", R"({"v": "8"})"));  // Two strings: "8" > "10".
  BOOST_TEST(!M(R"({"v": {"$gt": 1}})", R"({"v": "abc"})"));   // NaN compares false...
  BOOST_TEST(!M(R"({"v": {"$lte": 1}})", R"({"v": "abc"})"));  // ...both ways.
  BOOST_TEST(M(R"({"v": {"$lt": 1}})", "{}"));                 // Missing is null is 0.
  BOOST_TEST(M(R"({"v": {"$gte": 0}})", R"({"v": false})"));
  BOOST_TEST(M(R"({"v": {"$gt": "0x10"}})", R"({"v": 17})"));  // Number("0x10") is 16.
  BOOST_TEST(M(R"({"v": {"$lt": 3}})", R"({"v": [2]})"));      // [2] -> "2" -> 2.
  BOOST_TEST(M(R"({"w": {"$gt": "alpha", "$lt": "beta"}})", R"({"w": "alphabet"})"));
  BOOST_TEST(!M(R"({"w": {"$gt": "alpha"}})", R"({"w": "Alpha"})"));
}

BOOST_AUTO_TEST_CASE(plain_values_are_equality_with_coercion) {
  BOOST_TEST(M(R"({"n": "8"})", R"({"n": 8})"));
  BOOST_TEST(M(R"({"n": "0.1"})", R"({"n": 0.1})"));
  BOOST_TEST(M(R"({"n": "1e+21"})", R"({"n": 1e21})"));
  BOOST_TEST(M(R"({"n": "100"})", R"({"n": 100.0})"));
  BOOST_TEST(!M(R"({"n": "1.0"})", R"({"n": 1})"));  // String(1) is "1".
  BOOST_TEST(M(R"({"n": 8})", R"({"n": "8"})"));
  BOOST_TEST(M(R"({"n": 0})", "{}"));  // null * 1 is 0: GrowthBook's rule, kept.
  BOOST_TEST(M(R"({"b": "true"})", R"({"b": true})"));
  BOOST_TEST(M(R"({"b": true})", R"({"b": 1})"));
  BOOST_TEST(!M(R"({"b": false})", "{}"));  // A missing value is neither true nor false.
  BOOST_TEST(M(R"({"tags": "vip"})", R"({"tags": ["vip"]})"));  // String(["vip"]) is "vip".
  BOOST_TEST(M(R"({"tags": "a,b"})", R"({"tags": ["a", "b"]})"));
  BOOST_TEST(M(R"({"tags": "1,,x"})", R"({"tags": [1, null, "x"]})"));
  BOOST_TEST(M(R"({"o": "[object Object]"})", R"({"o": {}})"));
  BOOST_TEST(M(R"({"u": null})", "{}"));
  BOOST_TEST(M(R"({"u": "null"})", "{}"));  // String(null).
  BOOST_TEST(M(R"({"o": {"b": 2, "a": [1, {"c": true}]}})", R"({"o": {"a": [1, {"c": true}], "b": 2}})"));
  BOOST_TEST(!M(R"({"o": {"a": 1}})", R"({"o": {"a": 1, "b": 2}})"));
  BOOST_TEST(M(R"({"o": {"a": 1, "$b": 2}})", R"({"o": {"a": 1, "$b": 2}})"));  // Mixed keys: a literal.
}

BOOST_AUTO_TEST_CASE(in_and_nin_with_values_and_arrays) {
  BOOST_TEST(M(R"({"c": {"$in": ["FR", "DE"]}})", R"({"c": "DE"})"));
  BOOST_TEST(!M(R"({"c": {"$in": ["FR", "DE"]}})", R"({"c": "de"})"));
  BOOST_TEST(M(R"({"c": {"$in": [1, 2, 3]}})", R"({"c": 2.0})"));
  BOOST_TEST(!M(R"({"c": {"$in": ["2"]}})", R"({"c": 2})"));  // Strict, as includes().
  BOOST_TEST(M(R"({"c": {"$in": [null]}})", "{}"));
  BOOST_TEST(M(R"({"c": {"$in": [true]}})", R"({"c": true})"));
  BOOST_TEST(M(R"({"t": {"$in": ["a", "b"]}})", R"({"t": ["x", "b"]})"));  // Intersection.
  BOOST_TEST(!M(R"({"t": {"$in": ["a", "b"]}})", R"({"t": []})"));
  BOOST_TEST(!M(R"({"t": {"$in": [["a"]]}})", R"({"t": ["a"]})"));
  BOOST_TEST(M(R"({"c": {"$nin": ["FR"]}})", R"({"c": "DE"})"));
  BOOST_TEST(!M(R"({"t": {"$nin": ["a"]}})", R"({"t": ["a", "z"]})"));
  BOOST_TEST(M(R"({"c": {"$ini": ["fr", "De"]}})", R"({"c": "dE"})"));
  BOOST_TEST(M(R"({"t": {"$ini": ["VIP"]}})", R"({"t": ["x", "vip"]})"));
  BOOST_TEST(!M(R"({"c": {"$nini": ["fr"]}})", R"({"c": "FR"})"));
  // A big list is searched, not scanned.
  std::string ids = "[";
  for (int i = 0; i < 5000; ++i) ids += (i ? ",\"u" : "\"u") + std::to_string(i) + "\"";
  ids += "]";
  BOOST_TEST(M(R"({"id": {"$in": )" + ids + "}}", R"({"id": "u4321"})"));
  BOOST_TEST(!M(R"({"id": {"$in": )" + ids + "}}", R"({"id": "u5000"})"));
}

BOOST_AUTO_TEST_CASE(in_with_a_non_array_is_false_with_a_warning) {
  BOOST_TEST(!M(R"({"c": {"$in": "FR"}})", R"({"c": "FR"})"));
  BOOST_TEST(!M(R"({"c": {"$nin": "FR"}})", R"({"c": "DE"})"));
  BOOST_TEST(Contains(Warnings(R"({"c": {"$in": "FR"}})"), "c.$in: $in needs an array (evaluates to false)"));
}

BOOST_AUTO_TEST_CASE(all_needs_every_condition_on_some_element) {
  BOOST_TEST(M(R"({"t": {"$all": ["a", "c"]}})", R"({"t": ["a", "b", "c"]})"));
  BOOST_TEST(!M(R"({"t": {"$all": ["a", "d"]}})", R"({"t": ["a", "b", "c"]})"));
  BOOST_TEST(!M(R"({"t": {"$all": ["a"]}})", R"({"t": "a"})"));
  BOOST_TEST(M(R"({"t": {"$all": []}})", R"({"t": []})"));
  BOOST_TEST(M(R"({"n": {"$all": [{"$gt": 10}, {"$lt": 0}]}})", R"({"n": [-1, 5, 11]})"));
  BOOST_TEST(M(R"({"t": {"$alli": ["A", "b"]}})", R"({"t": ["a", "B"]})"));
  BOOST_TEST(!M(R"({"t": {"$all": ["A"]}})", R"({"t": ["a"]})"));
}

BOOST_AUTO_TEST_CASE(elem_match_on_values_and_on_objects) {
  BOOST_TEST(M(R"({"n": {"$elemMatch": {"$gt": 10}}})", R"({"n": [1, 20]})"));
  BOOST_TEST(!M(R"({"n": {"$elemMatch": {"$gt": 10}}})", R"({"n": [1, 2]})"));
  BOOST_TEST(M(R"({"n": {"$elemMatch": {"$eq": 0}}})", R"({"n": [null, 0]})"));  // 0 is tested.
  BOOST_TEST(M(R"({"items": {"$elemMatch": {"sku": "S1", "qty": {"$gte": 2}}}})",
               R"({"items": [{"sku": "S1", "qty": 1}, {"sku": "S1", "qty": 3}]})"));
  BOOST_TEST(!M(R"({"items": {"$elemMatch": {"sku": "S1", "qty": {"$gte": 2}}}})",
                R"({"items": [{"sku": "S1", "qty": 1}, {"sku": "S2", "qty": 3}]})"));
  BOOST_TEST(!M(R"({"items": {"$elemMatch": {"sku": "S1"}}})", R"({"items": {"sku": "S1"}})"));
  BOOST_TEST(M(R"({"items": {"$elemMatch": {}}})", R"({"items": [null, 1]})"));
  BOOST_TEST(!M(R"({"items": {"$elemMatch": {}}})", R"({"items": [null]})"));
  BOOST_TEST(!M(R"({"items": {"$elemMatch": 5}})", R"({"items": [5]})"));
  BOOST_TEST(Contains(Warnings(R"({"items": {"$elemMatch": 5}})"), "$elemMatch needs a condition object"));
}

BOOST_AUTO_TEST_CASE(size_with_a_number_or_a_condition) {
  BOOST_TEST(M(R"({"t": {"$size": 2}})", R"({"t": [1, 2]})"));
  BOOST_TEST(!M(R"({"t": {"$size": 2}})", R"({"t": [1]})"));
  BOOST_TEST(!M(R"({"t": {"$size": 2}})", R"({"t": "ab"})"));
  BOOST_TEST(!M(R"({"t": {"$size": 0}})", "{}"));
  BOOST_TEST(M(R"({"t": {"$size": {"$gte": 2, "$lt": 4}}})", R"({"t": [1, 2, 3]})"));
  BOOST_TEST(!M(R"({"t": {"$size": {"$gte": 2, "$lt": 4}}})", R"({"t": [1, 2, 3, 4]})"));
}

BOOST_AUTO_TEST_CASE(exists_and_type) {
  BOOST_TEST(M(R"({"a.b": {"$exists": true}})", R"({"a": {"b": 0}})"));
  BOOST_TEST(!M(R"({"a.b": {"$exists": true}})", R"({"a": {"b": null}})"));  // null counts as absent.
  BOOST_TEST(M(R"({"a.b": {"$exists": false}})", R"({"a": 1})"));
  BOOST_TEST(M(R"({"a": {"$exists": 0}})", "{}"));  // Falsy operand.
  const char* types[][2] = {{"null", "null"},   {"array", "[1]"},     {"string", "\"s\""},
                            {"number", "1.5"},  {"boolean", "false"}, {"object", "{}"}};
  for (const auto& type : types) {
    BOOST_TEST(M(std::string(R"({"a": {"$type": ")") + type[0] + "\"}}", std::string(R"({"a": )") + type[1] + "}"));
    BOOST_TEST(M(std::string(R"({"a": {"$type": ")") + type[0] + "\"}}", R"({"a": -1e300})") ==
               (std::string(type[0]) == "number"));
  }
  BOOST_TEST(M(R"({"a": {"$type": "null"}})", "{}"));
  BOOST_TEST(!M(R"({"a": {"$type": "int"}})", R"({"a": 1})"));
  BOOST_TEST(Contains(Warnings(R"({"a": {"$type": "int"}})"), "a.$type: $type needs one of"));
}

BOOST_AUTO_TEST_CASE(regex_matches_the_string_form) {
  BOOST_TEST(M(R"j({"ua": {"$regex": "(Mobile|Tablet)"}})j", R"({"ua": "Android Mobile"})"));
  BOOST_TEST(!M(R"({"ua": {"$regex": "^Mobile"}})", R"({"ua": "Android Mobile"})"));
  BOOST_TEST(M(R"({"zip": {"$regex": "^75\\d{3}$"}})", R"({"zip": 75011})"));  // String(75011).
  BOOST_TEST(M(R"({"t": {"$regex": "^a,b$"}})", R"({"t": ["a", "b"]})"));
  BOOST_TEST(M(R"({"x": {"$regex": "^null$"}})", "{}"));  // RegExp.test(null) tests "null".
  BOOST_TEST(M(R"({"ua": {"$regexi": "mobile"}})", R"({"ua": "MOBILE"})"));
  BOOST_TEST(M(R"({"ua": {"$regex": "(?i)mobile"}})", R"({"ua": "MOBILE"})"));
  BOOST_TEST(M(R"({"url": {"$regex": "^https://shop/"}})", R"({"url": "https://shop/cart"})"));
}

BOOST_AUTO_TEST_CASE(invalid_regex_is_no_match_with_a_warning) {
  const Condition condition = Compiled(R"j({"name": {"$regex": "/???***[)"}})j");
  BOOST_TEST(!condition.Matches(Json{{"name", "hello"}}));
  BOOST_TEST(!condition.Matches(Json::object()));
  BOOST_TEST_REQUIRE(condition.warnings().size() == 1u);
  BOOST_TEST(Contains(condition.warnings()[0], "name.$regex: [parcours.rules.invalid_condition] invalid regex"));
  BOOST_TEST(Contains(condition.warnings()[0], "nothing to repeat"));
  BOOST_TEST(!M(R"j({"name": {"$regex": "a(?=b)"}})j", R"({"name": "ab"})"));
  BOOST_TEST(!M(R"({"name": {"$regex": 5}})", R"({"name": "5"})"));
  BOOST_TEST(Contains(Warnings(R"({"name": {"$regex": 5}})"), "$regex needs a string pattern"));
}

BOOST_AUTO_TEST_CASE(unknown_operators_are_false_with_a_warning) {
  BOOST_TEST(!M(R"({"name": {"$regx": "hello"}})", R"({"name": "hello"})"));
  BOOST_TEST(Contains(Warnings(R"({"name": {"$regx": "hello"}})"), "name.$regx: unknown operator $regx"));
  BOOST_TEST(!M(R"({"id": {"$inGroup": "vips"}})", R"({"id": "u1"})"));
  BOOST_TEST(Contains(Warnings(R"({"id": {"$notInGroup": "vips"}})"), "saved groups are not supported"));
}

BOOST_AUTO_TEST_CASE(not_and_or_nor_nest) {
  BOOST_TEST(M(R"({"$not": {"a": 1}})", R"({"a": 2})"));
  BOOST_TEST(!M(R"({"$not": {"a": 1}})", R"({"a": 1})"));
  BOOST_TEST(M(R"({"a": {"$not": {"$gt": 5}}})", R"({"a": 3})"));
  BOOST_TEST(!M(R"({"a": {"$not": {"$gt": 5}}})", R"({"a": 7})"));
  BOOST_TEST(M(R"({"$or": []})", "{}"));
  BOOST_TEST(M(R"({"$and": []})", "{}"));
  BOOST_TEST(!M(R"({"$nor": []})", "{}"));  // evalOr([]) is true in GrowthBook.
  const std::string nested = R"({"$and": [{"cart.value": {"$gte": 50}},
      {"$or": [{"user.vip": true}, {"$nor": [{"page.type": "checkout"}, {"$not": {"user.country": {"$in": ["FR"]}}}]}]}]})";
  BOOST_TEST(M(nested, R"({"cart": {"value": 60}, "user": {"vip": true}})"));
  BOOST_TEST(M(nested, R"({"cart": {"value": 60}, "user": {"country": "FR"}, "page": {"type": "home"}})"));
  BOOST_TEST(!M(nested, R"({"cart": {"value": 60}, "user": {"country": "DE"}, "page": {"type": "home"}})"));
  BOOST_TEST(!M(nested, R"({"cart": {"value": 60}, "user": {"country": "FR"}, "page": {"type": "checkout"}})"));
  BOOST_TEST(!M(nested, R"({"cart": {"value": 40}, "user": {"vip": true}})"));
}

BOOST_AUTO_TEST_CASE(malformed_logical_clauses_are_false_with_a_warning) {
  BOOST_TEST(!M(R"({"$or": {"a": 1}})", R"({"a": 1})"));
  BOOST_TEST(Contains(Warnings(R"({"$or": {"a": 1}})"), "$or: $or needs an array of conditions"));
  BOOST_TEST(!M(R"({"$and": [5]})", "{}"));
  BOOST_TEST(Contains(Warnings(R"({"$and": [5]})"), "$and.0: a condition must be an object"));
  BOOST_TEST(!M(R"({"$not": 5})", "{}"));
  BOOST_TEST(!M(R"({"a": {"$all": 1}})", R"({"a": [1]})"));
}

BOOST_AUTO_TEST_CASE(versions_compare_by_parts) {
  BOOST_TEST(M(R"({"v": {"$vgt": "9.99.8", "$vlt": "11.0.1"}})", R"({"v": "10.12.13"})"));
  BOOST_TEST(M(R"({"v": {"$vgte": "1.0.0-beta"}})", R"({"v": "v1.0.0"})"));
  BOOST_TEST(M(R"({"v": {"$vlt": "1.0.0"}})", R"({"v": "1.0.0-rc.1"})"));
  BOOST_TEST(M(R"({"v": {"$veq": "1.2.3"}})", R"({"v": "1.2.3+build"})"));
  BOOST_TEST(M(R"({"v": {"$vne": "1.2.3"}})", R"({"v": "1.2.4"})"));
  BOOST_TEST(M(R"({"v": {"$vlte": "2"}})", R"({"v": 2})"));
  BOOST_TEST(M(R"({"v": {"$vlt": "0.0.1"}})", "{}"));  // Missing is "0".
}

BOOST_AUTO_TEST_CASE(dotted_paths_walk_objects_and_arrays) {
  const std::string doc = R"({"cart": {"items": [{"name": "Mug", "qty": 2}, {"name": "Tea"}]}, "a": {"01": "x"}})";
  BOOST_TEST(M(R"({"cart.items.0.name": "Mug"})", doc));
  BOOST_TEST(M(R"({"cart.items.1.name": "Tea"})", doc));
  BOOST_TEST(M(R"({"cart.items.2.name": {"$exists": false}})", doc));
  BOOST_TEST(M(R"({"cart.items.length": 2})", doc));
  BOOST_TEST(M(R"({"cart.items.01.name": {"$exists": false}})", doc));  // Not a canonical index.
  BOOST_TEST(M(R"({"a.01": "x"})", doc));                               // But a fine object key.
  BOOST_TEST(M(R"({"cart.items.0.name.first": {"$exists": false}})", doc));  // Through a string.
  BOOST_TEST(M(R"({"cart.items.-1.name": {"$exists": false}})", doc));
  BOOST_TEST(M(R"({"cart.items.99999999999999999999": {"$exists": false}})", doc));
  BOOST_TEST(M(R"({"$groups": {"$elemMatch": {"$eq": "a"}}})", R"({"$groups": ["a"]})"));
}

BOOST_AUTO_TEST_CASE(type_mismatches_and_odd_documents_never_crash) {
  const char* conditions[] = {
      R"({"a": {"$gt": {"x": 1}, "$lt": [1, 2], "$in": [[1], {"b": 2}], "$all": [{}], "$size": "x"}})",
      R"({"a.b.c": {"$elemMatch": {"d": {"$regex": "x"}}, "$type": 5, "$exists": [], "$not": 3}})",
      R"({"a": {"$vgt": {"x": 1}, "$veq": null, "$regex": "", "$eq": {"$gt": 1}}})",
      R"({"a": "x", "b": 1, "c": true, "d": null, "e": [1], "f": {"g": 1}})",
  };
  const char* docs[] = {"{}", "[]", "5", "\"s\"", "null",
                        R"({"a": [[[[1]]], {"b": {"c": [null, {"d": 3}]}}], "b": "1", "c": 0, "e": "1"})",
                        R"({"a": {"b": {"c": "x"}}, "f": {"g": 1.0}})"};
  for (const char* condition : conditions) {
    const Condition compiled = Compiled(condition);
    for (const char* doc : docs) {
      std::string why;
      const Json json = Json::parse(doc);
      if (!compiled.Matches(json, &why)) BOOST_TEST(!why.empty());
    }
  }
  // Deeply nested documents: string coercion and equality stay bounded.
  Json deep = Json::array();
  for (int i = 0; i < 5000; ++i) deep = Json::array({std::move(deep)});
  const Json doc = {{"a", deep}};
  BOOST_TEST(!M(R"({"a": "x"})", "{}"));
  BOOST_TEST(!Compiled(R"({"a": "x"})").Matches(doc));
  BOOST_TEST(!Compiled(R"({"a": {"$regex": "x"}})").Matches(doc));
  BOOST_TEST(!Compiled(R"({"a": [[[1]]]})").Matches(doc));
  BOOST_TEST(Compiled(R"({"a": {"$lt": 1}})").Matches(doc));  // String([[...[]]]) is "", Number("") 0.
}

BOOST_AUTO_TEST_CASE(structural_limits_are_rejected_with_the_path) {
  BOOST_TEST(Contains(Rejected(Json::array()).message, "a condition must be a JSON object"));
  BOOST_TEST(Contains(Rejected(Json("x")).message, "a condition must be a JSON object"));

  Json ok = {{"a", 1}};
  for (size_t i = 1; i < rules::kMaxConditionDepth; ++i) ok = {{"$and", Json::array({ok})}};
  BOOST_TEST(Condition::Compile(ok).ok());
  const Json too_deep = {{"$and", Json::array({ok})}};
  const Error deep = Rejected(too_deep);
  BOOST_TEST(Contains(deep.message, "nested deeper than 16 levels"));
  BOOST_TEST(Contains(deep.message, "at $and.0.$and.0.$and.0"));
  BOOST_TEST(Contains(deep.path, "$and.0.$and.0"));

  Json elem = {{"$eq", 1}};
  for (int i = 0; i < 17; ++i) elem = {{"$elemMatch", elem}};
  BOOST_TEST(Contains(Rejected({{"list", elem}}).message, "at list.$elemMatch"));

  Json json_deep = 1;
  for (int i = 0; i < 50; ++i) json_deep = Json::array({json_deep});
  BOOST_TEST(Contains(Rejected({{"a", json_deep}}).message, "nested deeper than 40"));

  Json many = Json::array();
  for (int i = 0; i < 400; ++i) many.push_back({{"k" + std::to_string(i), i}});
  const Error big = Rejected({{"$or", many}});
  BOOST_TEST(Contains(big.message, "more than 1000 clauses"));

  const Error long_regex = Rejected({{"name", {{"$regex", std::string(1001, 'a')}}}});
  BOOST_TEST(Contains(long_regex.message, "at name.$regex has a regex of 1001 bytes"));
  BOOST_TEST(long_regex.path == "name.$regex");
}

BOOST_AUTO_TEST_CASE(why_not_names_the_first_failing_clause) {
  BOOST_TEST(WhyNot(R"({"cart.value": {"$gte": 50}})", R"({"cart": {"value": 32.5}})") ==
             "cart.value $gte 50 failed (value: 32.5)");
  BOOST_TEST(WhyNot(R"({"user.traits.vip": true})", R"({"user": {"traits": {}}})") == "user.traits.vip missing");
  BOOST_TEST(WhyNot(R"({"a": 1, "b": {"$in": ["x", "y"]}})", R"({"a": 1, "b": "z"})") ==
             R"(b $in ["x","y"] failed (value: "z"))");
  BOOST_TEST(WhyNot(R"({"name": "santa"})", R"({"name": "barbara"})") ==
             R"(name == "santa" failed (value: "barbara"))");
  BOOST_TEST(WhyNot(R"({"$or": [{"a": 1}, {"b": 2}]})", R"({"a": 2, "b": 3})") ==
             "no clause of $or matched (first: a == 1 failed (value: 2))");
  BOOST_TEST(WhyNot(R"({"$nor": [{"a": 1}, {"b": 2}]})", R"({"a": 2, "b": 2})") == "clause 1 of $nor matched");
  BOOST_TEST(WhyNot(R"({"$not": {"a": 1}})", R"({"a": 1})") == "the condition under $not matched");
  BOOST_TEST(WhyNot(R"({"$and": [{"x": 1}, {"$or": 5}]})", R"({"x": 1})") == "$and.1.$or is malformed");
  BOOST_TEST(WhyNot(R"({"s": {"$regex": "^a"}})", R"({"s": ")" + std::string(100, 'b') + "\"}")
                 .size() < 120u);  // Long values are cut.
  std::string why = "stale";
  BOOST_TEST(Compiled(R"({"a": 1})").Matches(Json{{"a", 1}}, &why));
  BOOST_TEST(why == "stale");  // Untouched on a match.
}

BOOST_AUTO_TEST_CASE(conditions_are_copyable_values) {
  const Condition original = Compiled(R"({"ua": {"$regex": "Mobile"}, "n": {"$in": [1, 2]}})");
  Condition copy = original;
  const Json doc = {{"ua", "Mobile"}, {"n", 2}};
  BOOST_TEST(copy.Matches(doc));
  Condition moved = std::move(copy);
  BOOST_TEST(moved.Matches(doc));
  BOOST_TEST(moved.NodeCount() == original.NodeCount());
}

BOOST_AUTO_TEST_SUITE_END()
