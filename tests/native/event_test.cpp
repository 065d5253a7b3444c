// Events carry the Segment fields (messageId, anonymousId, timestamp, context.library) and
// bad calls get a clear error without disturbing what was already accepted.
#include <boost/test/unit_test.hpp>

#include <set>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

Json OnlyEventAfterFlush(CoreHarness& h) {
  const auto sends = Effects(h.Flush(), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  const Json events = BatchEvents(sends[0]);
  BOOST_TEST_REQUIRE(events.size() == 1u);
  return events[0];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(events)

BOOST_AUTO_TEST_CASE(track_event_has_the_segment_fields) {
  CoreHarness h;
  const Json context = {{"page", {{"url", "http://shop.test/p/1"}, {"path", "/p/1"}}}, {"locale", "fr-FR"}};
  const std::string anonymous_id = h.Init(DefaultConfig(), context)["result"]["anonymousId"];
  const Json tracked = h.Track("Product Added", {{"product_id", "sku-1"}, {"price", 19.9}});
  BOOST_TEST(tracked["ok"] == true);
  const Json event = OnlyEventAfterFlush(h);
  BOOST_TEST(event["type"] == "track");
  BOOST_TEST(event["event"] == "Product Added");
  BOOST_TEST(event["properties"]["product_id"] == "sku-1");
  BOOST_TEST(event["messageId"] == tracked["result"]["messageId"]);
  BOOST_TEST(event["anonymousId"] == anonymous_id);
  BOOST_TEST(event["timestamp"] == "2025-11-22T08:26:40.000Z");
  BOOST_TEST(event["context"]["library"]["name"] == "parcours");
  BOOST_TEST(event["context"]["page"]["url"] == "http://shop.test/p/1");
  BOOST_TEST(event["context"]["locale"] == "fr-FR");
  BOOST_TEST(event.contains("userId") == false);
}

// Regression: track('A') from JS (properties undefined, so absent from the input JSON) was
// sent as "properties":null, which Segment-compatible collectors refuse with 400.
BOOST_AUTO_TEST_CASE(absent_or_null_properties_become_an_empty_object) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 100}, {"flushIntervalMs", 60000}});
  h.Send({{"type", "track"}, {"event", "No Properties"}});
  h.Send({{"type", "track"}, {"event", "Null Properties"}, {"properties", nullptr}});
  h.Send({{"type", "page"}});
  const auto sends = Effects(h.Flush(), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  for (const Json& event : BatchEvents(sends[0])) BOOST_TEST(event["properties"].is_object());
}

BOOST_AUTO_TEST_CASE(ids_are_uuid_v4_and_unique) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 1000}, {"flushIntervalMs", 60000}});
  std::set<std::string> ids;
  for (int i = 0; i < 500; ++i) {
    const std::string id = h.Track("E")["result"]["messageId"];
    BOOST_TEST_REQUIRE(id.size() == 36u);
    BOOST_TEST(id[14] == '4');
    BOOST_TEST((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));
    ids.insert(id);
  }
  BOOST_TEST(ids.size() == 500u);
}

BOOST_AUTO_TEST_CASE(page_fills_properties_from_page_context) {
  CoreHarness h;
  h.Init(DefaultConfig(), {{"page", {{"url", "http://s.test/a?x=1"}, {"title", "A"}, {"search", "?x=1"}}}});
  h.Send({{"type", "page"}, {"name", "Home"}, {"properties", {{"title", "Given wins"}}}});
  const Json event = OnlyEventAfterFlush(h);
  BOOST_TEST(event["type"] == "page");
  BOOST_TEST(event["name"] == "Home");
  BOOST_TEST(event["properties"]["url"] == "http://s.test/a?x=1");
  BOOST_TEST(event["properties"]["title"] == "Given wins");
}

BOOST_AUTO_TEST_CASE(context_update_applies_to_later_events_and_library_cannot_be_spoofed) {
  CoreHarness h;
  h.Init();
  h.Send({{"type", "context"}, {"context", {{"page", {{"path", "/next"}}}, {"library", {{"name", "evil"}}}}}});
  h.Track("A");
  const Json event = OnlyEventAfterFlush(h);
  BOOST_TEST(event["context"]["page"]["path"] == "/next");
  BOOST_TEST(event["context"]["library"]["name"] == "parcours");
}

BOOST_AUTO_TEST_CASE(invalid_calls_get_errors_and_keep_accepted_events) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 100}, {"flushIntervalMs", 60000}});
  h.Track("Kept");
  const Json no_name = h.Send({{"type", "track"}, {"event", 42}});
  BOOST_TEST(no_name["ok"] == false);
  BOOST_TEST(no_name["error"]["code"] == "event.invalid_name");
  BOOST_TEST(no_name["error"]["path"] == "event");
  BOOST_TEST(h.Track("")["error"]["code"] == "event.invalid_name");
  const Json bad_props = h.Send({{"type", "track"}, {"event", "E"}, {"properties", {1, 2}}});
  BOOST_TEST(bad_props["error"]["code"] == "event.invalid_properties");
  BOOST_TEST(bad_props["error"]["message"].get<std::string>().rfind("[parcours.event.invalid_properties]", 0) == 0);
  Json deep = Json::object();
  for (int i = 0; i < 40; ++i) deep = Json{{"d", deep}};
  BOOST_TEST(h.Track("E", deep)["error"]["code"] == "event.too_deep");
  const Json big = h.Track("E", {{"blob", std::string(40000, 'x')}});
  BOOST_TEST(big["error"]["code"] == "event.too_large");
  BOOST_TEST(big["queue"]["pending"] == 1);
  const Json event = OnlyEventAfterFlush(h);
  BOOST_TEST(event["event"] == "Kept");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_properties_never_aborts) {
  CoreHarness h;
  h.Init();
  // Reaches the core only through a bug in a shell, but must not take the module down.
  const std::string raw = "{\"type\":\"track\",\"now\":1,\"event\":\"E\",\"properties\":{\"k\":\"\xff\"}}";
  Core core("t");
  const Json out = Json::parse(HandleJson(core, raw));
  BOOST_TEST(out["ok"] == false);
}

BOOST_AUTO_TEST_SUITE_END()
