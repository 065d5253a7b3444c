// The "calls" input and its scanner: the scanner accepts exactly the JSON nlohmann accepts,
// each call of a batch gets its own result, and a scanned track queues the same event (and
// cart) as the DOM path.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <cstring>

#include "core_harness.h"
#include "parcours/json_scan.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

bool Scans(const std::string& text) {
  JsonCursor cursor(text);
  ScannedValue value;
  return cursor.Value(&value) && cursor.AtEnd();
}

Json Call(const std::string& event, Json properties, Millis now) {
  return {{"type", "track"}, {"now", now}, {"event", event}, {"properties", std::move(properties)}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(calls)

BOOST_AUTO_TEST_CASE(the_scanner_accepts_what_nlohmann_accepts) {
  for (const std::string text : {"{}", "[]", "0", "-0.5e+3", "\"\\u00e9\\ud83d\\ude00\"", "\"\xc3\xa9\"", "null",
                                  "{\"a\":[1,{\"b\":true}],\"c\":\"x\"}", " { \"a\" : 1 } ", "1e308",
                                  "\"\\ud800\"", "\"\\udc00x\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "01", "1.",
                                  "{\"a\":1,}", "[1,]", "\"\x01\"", "1e999", "tru", "{\"a\"1}", "\"\\x\"", "[",
                                  "\"\xf4\x90\x80\x80\"", "-", "{}{}"}) {
    const bool nlohmann_ok = !Json::parse(text, nullptr, false).is_discarded();
    BOOST_TEST(Scans(text) == nlohmann_ok, text);
  }
}

// Readers take a string's text between its quotes unless the scanner saw an escape in it.
BOOST_AUTO_TEST_CASE(the_scanner_tells_which_keys_and_strings_have_escapes) {
  const std::string text = R"({"a":"x","b\u0022":"y\n","c":{"d\"":"\u00e9"},"e":"z","f":1})";
  JsonCursor cursor(text);
  BOOST_TEST_REQUIRE(cursor.BeginObject());
  std::string_view key;
  std::vector<std::pair<bool, bool>> seen;  // Per member: the key's escapes, the value's.
  ScannedValue value;
  while (cursor.NextMember(&key)) {
    const bool key_escaped = cursor.key_escaped();
    BOOST_TEST_REQUIRE(cursor.Value(&value));
    seen.emplace_back(key_escaped, value.escaped);
  }
  BOOST_TEST(cursor.ok());
  const std::vector<std::pair<bool, bool>> expected = {{false, false}, {true, true}, {false, false}, {false, false},
                                                       {false, false}};
  BOOST_TEST((seen == expected));
  std::string scratch;
  BOOST_TEST(StringText(ScannedValue{JsonKind::kString, true, R"("y\n")"}, &scratch) == "y\n");
  BOOST_TEST(StringText(ScannedValue{JsonKind::kString, false, R"("a\b")"}, &scratch) == "a\\b");
}

// The fast path must give strtod's double, bit for bit (the sign of zero included).
BOOST_AUTO_TEST_CASE(numbers_read_as_strtod_reads_them) {
  std::vector<std::string> numbers = {"0", "-0", "0.0", "-0.0", "1", "49.5", "0.1", "0.000000000000001",
                                      "0.0000000000000001", "1795424179771", "123456789012345", "1234567890123456",
                                      "9007199254740993", "99999999999999999999999", "-12.75", "1e5", "1.5E-3",
                                      "0.30000000000000004", "999999999999999", "0.999999999999999"};
  uint64_t state = 42;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    std::string digits = std::to_string(state >> 20);
    digits = digits.substr(0, 1 + (state >> 8) % digits.size());
    const size_t point = (state >> 4) % (digits.size() + 1);
    std::string number = (state & 1 ? "-" : "") + (point == 0 ? std::string("0") : digits.substr(0, point));
    if (point < digits.size()) number += "." + digits.substr(point);
    numbers.push_back(number);
  }
  for (const std::string& number : numbers) {
    const double expected = std::strtod(number.c_str(), nullptr), read = JsonNumber(number);
    BOOST_TEST((std::memcmp(&expected, &read, sizeof read) == 0), number);
  }
}

BOOST_AUTO_TEST_CASE(a_batched_call_with_an_escaped_type_or_event_is_read_as_nlohmann_reads_it) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 100}, {"flushIntervalMs", 60000}});
  const std::string now = std::to_string(h.now);
  const Json out = h.SendText(R"({"type":"calls","now":)" + now + R"(,"calls":[{"type":"tr\u0061ck","now":)" + now +
                              R"(,"event":"Pro\u0064uct Added","properties":{"product_id":"p1"}}]})");
  BOOST_TEST_REQUIRE(out["results"].size() == 1u);
  BOOST_TEST(out["results"][0]["ok"] == true);
  const auto events = FlushedEvents(h);
  BOOST_TEST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0]["event"] == "Product Added");
  BOOST_TEST(h.storage.at("cart").find("\"p1\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(each_call_of_a_batch_gets_its_own_result) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 100}, {"flushIntervalMs", 60000}});
  const Json out = h.Send({{"type", "calls"},
                           {"calls",
                            {Call("Good", {{"a", 1}}, h.now), Call("", Json::object(), h.now),
                             Call("Product Added", {{"price", "12"}}, h.now), Call("Array", {1, 2}, h.now),
                             {{"type", "page"}, {"now", h.now}, {"name", "Home"}}, {{"type", "flush"}, {"now", h.now}},
                             Call("After", nullptr, h.now)}}});
  BOOST_TEST(out["ok"] == true);
  const Json& results = out["results"];
  BOOST_TEST_REQUIRE(results.size() == 7u);
  BOOST_TEST(results[0]["ok"] == true);
  BOOST_TEST(results[1]["error"]["code"] == "event.invalid_name");
  BOOST_TEST(results[2]["error"]["path"] == "properties.price");  // The DOM path's exact error.
  BOOST_TEST(results[3]["error"]["code"] == "event.invalid_properties");
  BOOST_TEST(results[4]["ok"] == true);
  BOOST_TEST(results[5]["error"]["code"] == "input.invalid");
  BOOST_TEST(results[6]["ok"] == true);
  BOOST_TEST(StoredEvents(h) == 3u);
  const auto events = FlushedEvents(h);
  BOOST_TEST_REQUIRE(events.size() == 3u);
  BOOST_TEST(events[0]["properties"]["a"] == 1);
  BOOST_TEST(events[1]["type"] == "page");
  BOOST_TEST(events[2]["properties"] == Json::object());
  // Malformed JSON anywhere refuses the whole input, as for any other input.
  Core core("0.0.0-test");
  const Json refused = Json::parse(HandleJson(core, R"({"type":"calls","now":1,"calls":[{"type":"track","now":1,"event":"x","properties":{"a":1,}}]})"));
  BOOST_TEST(refused["error"]["code"] == "input.invalid_json");
}

BOOST_AUTO_TEST_CASE(a_scanned_track_queues_the_same_event_and_cart_as_a_parsed_input) {
  const Json product = {{"product_id", "p1"}, {"sku", "S1"}, {"name", "Shirt \"linen\""}, {"price", 19.9},
                        {"quantity", 2},      {"currency", "EUR"}, {"nested", {{"x", {1, 2}}}}};
  CoreHarness single, batched;
  single.Init();
  batched.Init();
  // An escaped key makes the scan hand the input to nlohmann: the DOM path (lone_track_test.cpp).
  single.SendText(R"({"type":"track","now":)" + std::to_string(single.now) + R"(,"\u0065vent":"Product Added","properties":)" +
                  product.dump() + "}");
  batched.Send({{"type", "calls"}, {"calls", {Call("Product Added", product, batched.now)}}});
  const Json a = FlushedEvents(single)[0];
  const Json b = FlushedEvents(batched)[0];
  BOOST_TEST(a["properties"] == b["properties"]);
  BOOST_TEST(a["context"] == b["context"]);
  BOOST_TEST(a["timestamp"] == b["timestamp"]);
  BOOST_TEST(single.storage.at("cart") == batched.storage.at("cart"));
}

BOOST_AUTO_TEST_SUITE_END()
