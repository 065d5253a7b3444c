// Segment's envelope for every call, field by field, and identity across calls and reloads:
// identify keeps the anonymous id, alias merges, reset starts over, ids can come from outside.
#include <boost/test/unit_test.hpp>

#include <set>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

Json Queued() { return {{"writeKey", "k"}, {"maxBatchEvents", 100}, {"flushIntervalMs", 600000}}; }

// A page load: stored, unconfirmed events go out at once; the collector confirms them.
void LoadAndConfirm(CoreHarness& h) {
  for (const Json& send : Effects(h.Init(Queued()), "send")) h.Delivered(send["batchId"], 200);
}

// The keys of an event, to compare with Segment's documented envelope.
std::set<std::string> Keys(const Json& event) {
  std::set<std::string> keys;
  for (const auto& [key, value] : event.items()) keys.insert(key);
  return keys;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(identity)

BOOST_AUTO_TEST_CASE(every_call_has_segments_envelope_field_by_field) {
  CoreHarness h;
  h.Init(Queued(), {{"page", {{"url", "https://s.test/p"}, {"path", "/p"}}}});
  h.Track("Product Viewed", {{"product_id", "p1"}});
  h.Send({{"type", "page"}, {"name", "Product"}});
  h.Send({{"type", "identify"}, {"userId", "u-42"}, {"traits", {{"email", "a@b.test"}}}});
  h.Send({{"type", "group"}, {"groupId", "acme"}, {"traits", {{"plan", "pro"}}}});
  h.Send({{"type", "alias"}, {"userId", "u-43"}});
  const std::vector<Json> events = FlushedEvents(h);
  BOOST_TEST_REQUIRE(events.size() == 5u);
  const std::set<std::string> common = {"type", "messageId", "anonymousId", "timestamp", "context"};
  auto expect = [&](const Json& event, std::set<std::string> own) {
    std::set<std::string> wanted = common;
    wanted.insert(own.begin(), own.end());
    BOOST_TEST(Keys(event) == wanted, "keys of a " << event["type"] << " event");
  };
  expect(events[0], {"event", "properties"});
  expect(events[1], {"name", "properties"});
  expect(events[2], {"userId", "traits"});
  expect(events[3], {"userId", "groupId", "traits"});
  expect(events[4], {"userId", "previousId"});
  BOOST_TEST(events[0]["type"] == "track");
  BOOST_TEST(events[1]["properties"]["url"] == "https://s.test/p");
  BOOST_TEST(events[2]["traits"]["email"] == "a@b.test");
  BOOST_TEST(events[3]["groupId"] == "acme");
  BOOST_TEST(events[3]["traits"]["plan"] == "pro");
  BOOST_TEST(events[4]["previousId"] == "u-42");
  BOOST_TEST(events[4]["userId"] == "u-43");
  for (const Json& event : events) {
    BOOST_TEST(event["anonymousId"] == events[0]["anonymousId"]);  // Identify kept it: stitching.
    BOOST_TEST(event["context"]["library"]["name"] == "parcours");
    BOOST_TEST(event["context"]["consent"]["categoryPreferences"]["analytics"] == true);
    BOOST_TEST(event["context"]["page"]["path"] == "/p");
  }
}

BOOST_AUTO_TEST_CASE(identify_merges_traits_and_a_new_user_starts_clean) {
  CoreHarness h;
  h.Init(Queued());
  h.Send({{"type", "identify"}, {"userId", "u1"}, {"traits", {{"name", "Ana"}, {"plan", "free"}}}});
  h.Send({{"type", "identify"}, {"traits", {{"plan", "pro"}}}});  // Traits only: same user.
  h.Send({{"type", "identify"}, {"userId", "u2"}, {"traits", {{"name", "Bo"}}}});
  const std::vector<Json> events = FlushedEvents(h);
  BOOST_TEST(events[1]["traits"] == Json({{"name", "Ana"}, {"plan", "pro"}}));
  BOOST_TEST(events[1]["userId"] == "u1");
  BOOST_TEST(events[2]["traits"] == Json({{"name", "Bo"}}));
}

BOOST_AUTO_TEST_CASE(identity_survives_a_reload_and_reset_starts_over) {
  CoreHarness first;
  const std::string anonymous_id = first.Init(Queued())["result"]["anonymousId"];
  first.Send({{"type", "identify"}, {"userId", "u1"}, {"traits", {{"vip", true}}}});
  CoreHarness second = first.Reload(60000);
  LoadAndConfirm(second);
  second.Track("After Reload");
  std::vector<Json> events = FlushedEvents(second);
  const Json& after = events.back();
  BOOST_TEST(after["anonymousId"] == anonymous_id);
  BOOST_TEST(after["userId"] == "u1");

  const Json reset = second.Send({{"type", "reset"}});
  BOOST_TEST(reset["result"]["anonymousId"] != anonymous_id);
  second.Track("After Logout");
  CoreHarness third = second.Reload(1000);
  LoadAndConfirm(third);
  third.Send({{"type", "identify"}, {"traits", {{"x", 1}}}});
  for (const Json& event : FlushedEvents(third)) {
    BOOST_TEST(event["anonymousId"] == reset["result"]["anonymousId"]);
    if (event["type"] == "identify") BOOST_TEST(event["traits"] == Json({{"x", 1}}));  // vip is gone.
  }
}

BOOST_AUTO_TEST_CASE(ids_handed_over_from_outside_are_used_without_an_event) {
  CoreHarness h;
  h.Init(Queued());
  const Json set = h.Send({{"type", "identity"}, {"userId", "crm-7"}, {"anonymousId", "app-anon-1"}});
  BOOST_TEST(set["ok"] == true);
  BOOST_TEST(Effects(set, "send").empty());
  BOOST_TEST(set["queue"]["pending"] == 0);
  h.Track("From Email Link");
  const Json event = FlushedEvents(h)[0];
  BOOST_TEST(event["userId"] == "crm-7");
  BOOST_TEST(event["anonymousId"] == "app-anon-1");
}

BOOST_AUTO_TEST_CASE(traits_handed_over_with_the_ids_are_merged_without_an_event) {
  CoreHarness h;
  h.Init(Queued());
  BOOST_TEST(h.Send({{"type", "identify"}, {"traits", {{"plan", "free"}, {"locale", "fr"}}}})["ok"] == true);
  const Json set = h.Send({{"type", "identity"}, {"userId", "app-42"}, {"traits", {{"plan", "pro"}, {"tier", 2}}}});
  BOOST_TEST(set["ok"] == true);
  BOOST_TEST(set["queue"]["pending"] == 1);  // Only the identify above.
  // A trait-only handover keeps the user and merges.
  BOOST_TEST(h.Send({{"type", "identity"}, {"traits", {{"tier", 3}}}})["ok"] == true);
  BOOST_TEST(h.Send({{"type", "identity"}, {"traits", "vip"}})["error"]["path"] == "traits");
  h.Send({{"type", "identify"}});
  const Json events = FlushedEvents(h);
  const Json& last = events[events.size() - 1];
  BOOST_TEST(last["userId"] == "app-42");
  // The user changed from none to app-42: anonymous traits carry over, as with identify.
  BOOST_TEST(last["traits"] == Json({{"plan", "pro"}, {"locale", "fr"}, {"tier", 3}}));
}

BOOST_AUTO_TEST_CASE(bad_ids_and_traits_are_refused_with_their_path) {
  CoreHarness h;
  h.Init(Queued());
  BOOST_TEST(h.Send({{"type", "identify"}, {"userId", 42}})["error"]["path"] == "userId");
  BOOST_TEST(h.Send({{"type", "identify"}, {"userId", ""}})["error"]["code"] == "identity.invalid_id");
  BOOST_TEST(h.Send({{"type", "identify"}, {"userId", std::string(201, 'u')}})["error"]["path"] == "userId");
  BOOST_TEST(h.Send({{"type", "identify"}, {"traits", "vip"}})["error"]["path"] == "traits");
  BOOST_TEST(h.Send({{"type", "group"}, {"traits", Json::object()}})["error"]["path"] == "groupId");
  BOOST_TEST(h.Send({{"type", "alias"}, {"userId", "u"}, {"previousId", 3}})["error"]["path"] == "previousId");
  BOOST_TEST(h.Send({{"type", "identity"}})["error"]["code"] == "identity.invalid_id");
  BOOST_TEST(h.Send({{"type", "identity"}, {"anonymousId", Json::array()}})["error"]["path"] == "anonymousId");
  BOOST_TEST(h.Track("Still Fine")["ok"] == true);
  BOOST_TEST(FlushedEvents(h).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(identity_regressions)

// Regression: an identify refused as too large had already changed the user id and traits.
BOOST_AUTO_TEST_CASE(a_refused_identify_leaves_the_identity_unchanged) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 100}, {"flushIntervalMs", 600000}});
  h.Send({{"type", "identify"}, {"userId", "u1"}, {"traits", {{"plan", "free"}}}});
  const Json refused = h.Send({{"type", "identify"}, {"userId", "u2"}, {"traits", {{"blob", std::string(40000, 'x')}}}});
  BOOST_TEST(refused["error"]["code"] == "event.too_large");
  const Json state = h.Send({{"type", "inspect"}})["result"];
  BOOST_TEST(state["userId"] == "u1");
  BOOST_TEST(state["traits"] == Json({{"plan", "free"}}));
  BOOST_TEST(h.Send({{"type", "identify"}, {"traits", {{"plan", "pro"}}}})["ok"] == true);
}

BOOST_AUTO_TEST_SUITE_END()
