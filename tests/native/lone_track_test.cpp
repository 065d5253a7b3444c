// A lone track input ({"type":"track",...}, one event per input) takes the scanned path of
// a batched track call: the same checks, errors, events, stored chunks and cart. What the scan
// cannot read exactly as nlohmann would (malformed JSON, a bad `now`, escaped or repeated
// top-level keys) is parsed as before, with the same errors.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

const char kInit[] =
    R"({"type":"init","now":1763800000000,"seed":[1,2,3,4],"config":{"writeKey":"k","maxBatchEvents":100,)"
    R"("flushIntervalMs":60000,"maxEventBytes":2000},"context":{"page":{"path":"/p"}}})";

std::string TrackText(Millis now, const std::string& rest) {
  return R"({"type":"track","now":)" + std::to_string(now) + rest + "}";
}

// The properties' text as the stored event carries it.
std::string StoredProperties(const Json& output) {
  for (const Json& effect : output["effects"]) {
    if (effect["type"] != "persist" || effect["key"].get<std::string>().rfind("q:", 0) != 0) continue;
    const std::string value = effect["value"].get<std::string>();
    const size_t start = value.find("\"properties\":") + 13;
    return value.substr(start, value.find(",\"messageId\"", start) - start);
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lone_track)

BOOST_AUTO_TEST_CASE(a_lone_track_input_and_the_same_call_batched_give_the_same_events_and_errors) {
  const std::string product = R"({"sku":"S1","product_id":"p1","price":19.9,"quantity":2,"currency":"EUR","name":"Shirt \"linen\""})";
  const std::vector<std::string> calls = {
      R"(,"event":"Product Added","properties":)" + product,
      R"(,"event":"No properties")",
      R"(,"event":"Null properties","properties":null)",
      R"(,"properties":{"a":1})",
      R"(,"event":5,"properties":{})",
      R"(,"event":"","properties":{})",
      R"(,"event":")" + std::string(201, 'x') + R"(","properties":{})",
      R"(,"event":"Pro\u0064uct Viewed","properties":{"price":"12"})",
      R"(,"event":"Text","properties":"text")",
      R"(,"event":"List","properties":[1,2])",
      R"(,"event":"Number","properties":5)",
      R"(,"event":"Deep","properties":{"a":)" + std::string(31, '[') + std::string(31, ']') + "}",
      R"(,"event":"Too deep","properties":{"a":)" + std::string(32, '[') + std::string(32, ']') + "}",
      R"(,"event":"Order Completed","properties":{"order_id":"o1","total":9.5,"products":[{"product_id":"p1","price":9.5}]})",
      R"(,"event":"Cart Viewed","properties":{"products":"none"})",
      R"(,"event":"Product Added","properties":{"pr\u0069ce":"12","product_id":"p2"})",
      R"(,"event":"Product Added","properties":{"pr\u0069ce":12,"product_id":"p3"})",
      R"(,"event":"Product Removed","properties":{"product_id":"p1","quantity":1.5})",
      R"(,"event":"Big","properties":{"blob":")" + std::string(2000, 'x') + R"("})",
  };
  Core lone("0.0.0-test"), batched("0.0.0-test");
  BOOST_TEST_REQUIRE(Json::parse(HandleJson(lone, kInit))["ok"] == true);
  BOOST_TEST_REQUIRE(Json::parse(HandleJson(batched, kInit))["ok"] == true);
  Millis now = kStart;
  size_t refused = 0;
  // Twice: with analytics consent, then without it.
  for (const bool consented : {true, false}) {
    if (!consented) {
      const std::string deny = R"({"type":"consent","now":)" + std::to_string(now) + R"(,"categories":{"analytics":false}})";
      BOOST_TEST(HandleJson(lone, deny) == HandleJson(batched, deny));
    }
    for (const std::string& rest : calls) {
      now += 1000;
      const std::string call = TrackText(now, rest);
      const Json a = Json::parse(HandleJson(lone, call));
      const Json b = Json::parse(HandleJson(batched, R"({"type":"calls","now":)" + std::to_string(now) +
                                                        R"(,"calls":[)" + call + "]}"));
      BOOST_TEST_REQUIRE(b["results"].size() == 1u);
      const Json& result = b["results"][0];
      BOOST_TEST(a["ok"] == result["ok"], call);
      if (a["ok"] == true) {
        BOOST_TEST(a["result"]["messageId"] == result["messageId"], call);
      } else {
        BOOST_TEST(a["error"].dump() == result["error"].dump(), call);
        ++refused;
      }
      // Byte for byte: the stored chunk (with the event's text), the cart, the schedule.
      BOOST_TEST(a["effects"].dump() == b["effects"].dump(), call);
      BOOST_TEST(a["queue"].dump() == b["queue"].dump(), call);
    }
  }
  BOOST_TEST(refused > calls.size());  // Every call is refused without consent, and some with it.
}

BOOST_AUTO_TEST_CASE(a_lone_track_keeps_its_properties_text_unless_it_must_be_parsed) {
  Core core("0.0.0-test");
  HandleJson(core, kInit);
  // Scanned: the properties are copied as the caller wrote them (key order included), as a
  // batched call's are.
  const Json scanned = Json::parse(HandleJson(core, TrackText(kStart + 1, R"(,"event":"E","properties":{"b":1,"a":[2, 3]})")));
  BOOST_TEST(StoredProperties(scanned) == R"({"b":1,"a":[2, 3]})");
  // Any key order of the input itself.
  const Json reordered = Json::parse(HandleJson(
      core, R"({"properties":{"b":1,"a":2},"event":"E","now":1763800000002,"type":"track"})"));
  BOOST_TEST(StoredProperties(reordered) == R"({"b":1,"a":2})");
  // A repeated `type` (nlohmann keeps the last) or an escaped top-level key: parsed, and
  // the properties written as nlohmann dumps them.
  const Json repeated = Json::parse(HandleJson(
      core, R"({"type":"track","type":"track","now":1763800000003,"event":"E","properties":{"b":1,"a":2}})"));
  BOOST_TEST(StoredProperties(repeated) == R"({"a":2,"b":1})");
  const Json escaped = Json::parse(HandleJson(
      core, R"({"type":"track","now":1763800000004,"ev\u0065nt":"E","properties":{"b":1,"a":2}})"));
  BOOST_TEST(escaped["ok"] == true);
  BOOST_TEST(StoredProperties(escaped) == R"({"a":2,"b":1})");
  const Json retyped = Json::parse(HandleJson(core, R"({"type":"track","now":1763800000005,"type":5,"event":"E"})"));
  BOOST_TEST(retyped["error"]["path"] == "type");
}

BOOST_AUTO_TEST_CASE(a_lone_track_the_scan_cannot_take_gets_the_parsed_inputs_errors) {
  Core core("0.0.0-test");
  const Json early = Json::parse(HandleJson(core, TrackText(kStart, R"(,"event":"E")")));
  BOOST_TEST(early["error"]["code"] == "core.not_initialized");
  HandleJson(core, kInit);
  const Json fractional = Json::parse(HandleJson(core, R"({"type":"track","now":1.5,"event":"E"})"));
  BOOST_TEST(fractional["error"]["code"] == "input.invalid");
  BOOST_TEST(fractional["error"]["path"] == "now");
  const Json trailing = Json::parse(HandleJson(core, TrackText(kStart + 1, R"(,"event":"E"} x)")));
  BOOST_TEST(trailing["error"]["code"] == "input.invalid_json");
  const Json malformed = Json::parse(HandleJson(core, TrackText(kStart + 2, R"(,"event":"E","properties":{"a":01})")));
  BOOST_TEST(malformed["error"]["code"] == "input.invalid_json");
  // An integral `now` spelled with an exponent is a valid time for both readings.
  const Json exponent = Json::parse(HandleJson(core, R"({"type":"track","now":1.763800000003e12,"event":"E"})"));
  BOOST_TEST(exponent["ok"] == true);
}

// The scan copies an unescaped event name's text as it is, and re-quotes an escaped one:
// either way the stored event holds the name as nlohmann would dump it.
BOOST_AUTO_TEST_CASE(the_stored_event_name_is_written_as_dump_writes_it) {
  Core core("0.0.0-test");
  HandleJson(core, kInit);
  Millis now = kStart;
  for (const std::string name : {R"("Plain")", "\"Caf\xc3\xa9 \xe2\x98\x95 \x7f\"", R"("Pro\u0064uct")", R"("a\"b\\c\/d")",
                                 R"("tab\there\u001f\u00e9\ud83d\ude00")"}) {
    BOOST_TEST_CONTEXT(name) {
      const Json output = Json::parse(HandleJson(core, TrackText(++now, R"(,"event":)" + name + R"(,"properties":{})")));
      BOOST_TEST_REQUIRE(output["ok"] == true);
      std::string stored;
      for (const Json& effect : output["effects"]) {
        if (effect.value("key", "").rfind("q:", 0) == 0) stored = effect["value"].get<std::string>();
      }
      BOOST_TEST(stored.find("\"event\":" + Json::parse(name).dump() + ",") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
