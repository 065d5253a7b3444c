// A visitor's first page: no ruleset is cached, so what happens while the first fetch is in
// flight (the page view, `Product Viewed`) is held and decided when the ruleset arrives.
#include <boost/test/unit_test.hpp>

#include <string>

#include "decision_fixtures.h"

namespace parcours::testing {
namespace {

constexpr Millis kSecond = 1000;

// Fetches the ruleset (from the harness's host), none inline.
Json FetchingConfig(Json extra = Json::object()) {
  Json config = DefaultConfig();
  config["maxBatchEvents"] = 100;
  config["flushIntervalMs"] = 60000;  // Nothing goes before the test flushes.
  config.update(extra);
  return config;
}

const Json kProductPage = {{"page", {{"path", "/shop/product.html"}, {"url", "https://shop.test/shop/product.html"}}}};

Json ProductViewed(const std::string& name, bool in_stock = true) {
  return {{"product_id", name}, {"name", name}, {"price", 18.5}, {"in_stock", in_stock},
          {"recommendations", {Product("spoons", 22, "Olive Wood Spoons")}}};
}

// The demo shop's inline campaigns, and a banner on every page.
Json ShopRules() {
  return Ruleset({
      Campaign("cross-sell",
               {{"type", "event"}, {"event", "Product Viewed"}, {"where", {{"in_stock", {{"$ne", false}}}}}},
               {{"placement", "inline:cross-sell"},
                {"content", {{"title", "Goes well with the {{event.properties.name}}"},
                             {"products", {{"from", "event.properties.recommendations"}}}}}}),
      Campaign("out-of-stock",
               {{"type", "event"}, {"event", "Product Viewed"}, {"where", {{"in_stock", {{"$eq", false}}}}}},
               {{"placement", "inline:out-of-stock"}, {"content", {{"title", "{{event.properties.name}} is sold out"}}}}),
      Campaign("welcome", {{"type", "page"}, {"where", {{"path", {{"$regex", "^/shop/"}}}}}}, {{"placement", "banner"}}),
  });
}

Json Fetched(CoreHarness& h, const Json& ruleset) {
  return h.Send({{"type", "rules"}, {"status", 200}, {"body", ruleset.dump()}, {"etag", "\"v1\""}});
}

Json Report(CoreHarness& h, const Json& decision, const std::string& action) {
  return h.Send({{"type", "offer"}, {"decisionId", decision["id"]}, {"action", action}});
}

const Json* Find(const std::vector<Json>& decisions, const std::string& campaign) {
  for (const Json& decision : decisions) {
    if (decision["campaign"]["id"] == campaign) return &decision;
  }
  return nullptr;
}

size_t DebugLogsWith(const Json& output, const std::string& part) {
  size_t count = 0;
  for (const Json& log : Effects(output, "log")) count += log["message"].get<std::string>().find(part) != std::string::npos;
  return count;
}

BOOST_AUTO_TEST_SUITE(first_ruleset)

BOOST_AUTO_TEST_CASE(triggers_before_the_first_ruleset_are_decided_when_it_loads) {
  CoreHarness h;
  const Json init = h.Init(FetchingConfig(), kProductPage);
  BOOST_TEST(Effects(init, "fetchRules").size() == 1u);
  BOOST_TEST(Shown(h.Send({{"type", "page"}})).empty());
  h.now += 100;
  BOOST_TEST(Shown(h.Track("Product Viewed", ProductViewed("Mug"))).empty());
  h.now += 700;
  const auto shown = Shown(Fetched(h, ShopRules()));
  BOOST_TEST_REQUIRE(shown.size() == 2u);
  // In the order they happened: the page view, then the product view.
  BOOST_TEST(shown[0]["campaign"]["id"] == "welcome");
  BOOST_TEST(shown[0]["explanation"]["trigger"] == "page");
  BOOST_TEST(shown[0]["explanation"]["heldMs"] == 800);
  const Json& cross_sell = shown[1];
  BOOST_TEST(cross_sell["campaign"]["id"] == "cross-sell");
  // Its own event's properties, decided at the load time.
  BOOST_TEST(cross_sell["content"]["title"] == "Goes well with the Mug");
  BOOST_TEST(cross_sell["content"]["products"][0]["name"] == "Olive Wood Spoons");
  BOOST_TEST(cross_sell["at"] == h.now);
  const Json& explanation = cross_sell["explanation"];
  BOOST_TEST(explanation["trigger"] == "event:Product Viewed");
  BOOST_TEST(explanation["triggeredAt"] == h.now - 700);
  BOOST_TEST(explanation["heldMs"] == 700);
  BOOST_TEST(explanation["considered"]["heldMs"] == 700);
  // Its Offer events name the trigger and how long it waited.
  Report(h, cross_sell, "shown");
  Report(h, cross_sell, "closed");
  // Once loaded, events decide at once, and say nothing about holding.
  h.now += kSecond;
  const auto next = Shown(h.Track("Product Viewed", ProductViewed("Bowl")));
  BOOST_TEST_REQUIRE(next.size() == 1u);
  BOOST_TEST(next[0]["content"]["title"] == "Goes well with the Bowl");
  BOOST_TEST(!next[0]["explanation"].contains("heldMs"));
  BOOST_TEST(!next[0]["explanation"].contains("triggeredAt"));
  Report(h, next[0], "shown");
  const auto offers = FlushedNamed(h, "Offer Shown");
  BOOST_TEST_REQUIRE(offers.size() == 2u);
  BOOST_TEST(offers[0]["properties"]["campaign_id"] == "cross-sell");
  BOOST_TEST(offers[0]["properties"]["trigger"] == "event:Product Viewed");
  BOOST_TEST(offers[0]["properties"]["trigger_held_ms"] == 700);
  BOOST_TEST(!offers[1]["properties"].contains("trigger"));
  BOOST_TEST(!offers[1]["properties"].contains("trigger_held_ms"));
  // The ruleset is decided once: a revalidation does not decide the held triggers again.
  h.now += 400 * kSecond;
  BOOST_TEST(Effects(h.Tick(), "fetchRules").size() == 1u);
  BOOST_TEST(Shown(Fetched(h, ShopRules())).empty());
}

BOOST_AUTO_TEST_CASE(the_scanned_track_path_keeps_the_properties_too) {
  CoreHarness h;
  h.Init(FetchingConfig(), kProductPage);
  // Flat properties: the calls input takes the scanned path.
  const Json call = {{"type", "track"}, {"now", h.now}, {"event", "Product Viewed"},
                     {"properties", {{"product_id", "mug"}, {"name", "Mug"}, {"in_stock", false}}}};
  BOOST_TEST(h.Send({{"type", "calls"}, {"calls", {call}}})["results"][0]["ok"] == true);
  h.now += 300;
  const auto shown = Shown(Fetched(h, ShopRules()));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "out-of-stock");
  BOOST_TEST(shown[0]["content"]["title"] == "Mug is sold out");
}

// Scanned calls are held as text (parsed only for events a campaign starts on); a burst past
// 16 reuses the dropped entries, which must not leak their properties into the new ones.
BOOST_AUTO_TEST_CASE(a_burst_of_scanned_calls_is_held_as_text_and_decided_with_its_own_properties) {
  CoreHarness h;
  h.Init(FetchingConfig({{"debug", true}}), kProductPage);
  Json calls = Json::array();
  // Two DOM-path calls first (a products list): their held copies are dropped for room.
  for (int i = 0; i < 2; ++i) {
    calls.push_back({{"type", "track"}, {"now", h.now}, {"event", "Go"},
                     {"properties", {{"n", 100 + i}, {"products", Json::array()}}}});
  }
  for (int i = 0; i < 18; ++i) {
    calls.push_back({{"type", "track"}, {"now", h.now}, {"event", i % 2 ? "Go" : "Other"}, {"properties", {{"n", i}}}});
  }
  const Json sent = h.Send({{"type", "calls"}, {"calls", calls}});
  for (const Json& result : sent["results"]) BOOST_TEST(result["ok"] == true);
  h.now += 200;
  const Json rules = Ruleset({
      Campaign("old", {{"type", "event"}, {"event", "Go"}, {"where", {{"n", {{"$gte", 100}}}}}}, {{"placement", "a"}}),
      Campaign("first-held", {{"type", "event"}, {"event", "Go"}, {"where", {{"n", 3}}}}, {{"placement", "b"}}),
      Campaign("last", {{"type", "event"}, {"event", "Go"}, {"where", {{"n", 17}}}},
               {{"placement", "c"}, {"content", {{"title", "n={{event.properties.n}}"}}}}),
  });
  const Json out = Fetched(h, rules);
  const auto shown = Shown(out);
  // Held: calls 2..19 minus the oldest two, i.e. n = 2..17; "Go" for odd n.
  BOOST_TEST(DebugLogsWith(out, "decided 16 triggers held") == 1u);
  BOOST_TEST_REQUIRE(shown.size() == 2u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "first-held");
  BOOST_TEST(shown[1]["campaign"]["id"] == "last");
  BOOST_TEST(shown[1]["content"]["title"] == "n=17");
}

BOOST_AUTO_TEST_CASE(only_triggers_younger_than_10_s_are_decided) {
  CoreHarness h;
  h.Init(FetchingConfig({{"debug", true}}), kProductPage);
  h.Track("Product Viewed", ProductViewed("Old"));
  h.now += 5 * kSecond;
  h.Track("Product Viewed", ProductViewed("Recent", false));
  h.now += 5 * kSecond;  // The first is 10 s old now: too old.
  const Json out = Fetched(h, ShopRules());
  const auto shown = Shown(out);
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["content"]["title"] == "Recent is sold out");
  BOOST_TEST(shown[0]["explanation"]["heldMs"] == 5000);
  BOOST_TEST(DebugLogsWith(out, "decided 1 triggers held while it loaded; 1 older than 10 s were dropped") == 1u);

  CoreHarness slow;
  slow.Init(FetchingConfig(), kProductPage);
  slow.Send({{"type", "page"}});
  slow.Track("Product Viewed", ProductViewed("Mug"));
  slow.now += 12 * kSecond;
  BOOST_TEST(Shown(Fetched(slow, ShopRules())).empty());
}

BOOST_AUTO_TEST_CASE(at_most_the_last_16_triggers_are_held) {
  CoreHarness h;
  h.Init(FetchingConfig({{"debug", true}}), kProductPage);
  for (int i = 0; i < 20; ++i) h.Track("Go", {{"n", i}});
  const Json out = Fetched(h, Ruleset({Campaign("go", EventTrigger("Go"), {{"caps", {{"perSession", 0}}}})}));
  BOOST_TEST(DebugLogsWith(out, "\"trigger\":\"event:Go\"") == 16u);
  BOOST_TEST(DebugLogsWith(out, "decided 16 triggers held") == 1u);
}

BOOST_AUTO_TEST_CASE(a_failed_first_fetch_drops_the_held_triggers) {
  for (const Json& answer : {Json{{"type", "rules"}, {"status", 0}, {"error", "Failed to fetch"}},
                             Json{{"type", "rules"}, {"status", 503}},
                             Json{{"type", "rules"}, {"status", 304}},
                             Json{{"type", "rules"}, {"status", 200}, {"body", "{\"format\":1,\"campaigns\":[{\"id\":"}}}) {
    CoreHarness h;
    h.Init(FetchingConfig({{"debug", true}}), kProductPage);
    h.Send({{"type", "page"}});
    h.Track("Product Viewed", ProductViewed("Mug"));
    h.now += 500;
    const Json failed = h.Send(answer);
    BOOST_TEST(Shown(failed).empty());
    BOOST_TEST(DebugLogsWith(failed, "2 triggers held for the first ruleset were dropped") == 1u, answer.dump());
    // The retry that succeeds decides only what happens from then on.
    h.now += 60 * kSecond;
    h.Tick();
    BOOST_TEST(Shown(Fetched(h, ShopRules())).empty(), answer.dump());
    BOOST_TEST(Shown(h.Track("Product Viewed", ProductViewed("Bowl"))).size() == 1u);
  }
}

BOOST_AUTO_TEST_CASE(a_ruleset_the_page_loads_first_decides_them) {
  CoreHarness h;
  h.Init(FetchingConfig(), kProductPage);
  h.Track("Product Viewed", ProductViewed("Mug"));
  const auto shown = Shown(h.Send({{"type", "rules"}, {"ruleset", ShopRules()}}));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "cross-sell");
  BOOST_TEST(Shown(Fetched(h, ShopRules())).empty());
}

BOOST_AUTO_TEST_CASE(nothing_is_held_when_a_ruleset_was_inline_or_cached) {
  // Inline: decided at once, and the fetched ruleset decides nothing again.
  CoreHarness h;
  Json config = FetchingConfig();
  config["rules"] = ShopRules();
  h.Init(config, kProductPage);
  const auto now_shown = Shown(h.Track("Product Viewed", ProductViewed("Mug")));
  BOOST_TEST_REQUIRE(now_shown.size() == 1u);
  BOOST_TEST(!now_shown[0]["explanation"].contains("heldMs"));
  Report(h, now_shown[0], "closed");
  h.now += 500;
  BOOST_TEST(Shown(Fetched(h, ShopRules())).empty());
  // Cached: the next page load decides with the stored copy, and its revalidation decides
  // nothing again.
  CoreHarness next = h.Reload(400 * kSecond);
  const Json init = next.Init(FetchingConfig(), kProductPage);
  BOOST_TEST(init["result"]["rules"]["loaded"] == true);
  BOOST_TEST(Effects(init, "fetchRules").size() == 1u);  // Stale: revalidated.
  BOOST_TEST(Shown(next.Track("Product Viewed", ProductViewed("Bowl"))).size() == 1u);
  BOOST_TEST(Shown(Fetched(next, ShopRules())).empty());
  // Without a rules URL and without rules, nothing will come: nothing is held.
  CoreHarness none;
  none.Init(FetchingConfig({{"rulesUrl", false}}), kProductPage);
  none.Track("Product Viewed", ProductViewed("Mug"));
  BOOST_TEST(Shown(none.Send({{"type", "rules"}, {"ruleset", ShopRules()}})).empty());
}

BOOST_AUTO_TEST_CASE(timers_run_from_their_anchors_once_the_ruleset_arrives) {
  CoreHarness h;
  h.Init(FetchingConfig(), kProductPage);
  const Millis start = h.now;
  h.Send({{"type", "page"}});
  h.Track("Product Added", Product("mug", 18.5, "Mug"));
  h.now += kSecond;
  const Json loaded = Fetched(h, Ruleset({
      Campaign("on-page", {{"type", "timeOnPage"}, {"seconds", 3}}),
      Campaign("idle", {{"type", "cartIdle"}, {"seconds", 5}}, {{"placement", "banner"}}),
  }));
  const auto schedules = Effects(loaded, "schedule");
  BOOST_TEST_REQUIRE(schedules.size() == 1u);
  BOOST_TEST(schedules[0]["at"] == start + 3 * kSecond);
  h.now = start + 3 * kSecond;
  auto shown = Shown(h.Tick());
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "on-page");
  h.now = start + 5 * kSecond;
  shown = Shown(h.Tick());
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "idle");
}

BOOST_AUTO_TEST_CASE(session_start_held_and_a_new_page_view_drops_what_came_before) {
  CoreHarness h;
  h.Init(FetchingConfig(), kProductPage);
  h.Send({{"type", "page"}});  // Starts the session.
  h.Track("Product Viewed", ProductViewed("Mug"));
  // An SPA moves on: the product view belonged to the previous view.
  h.Send({{"type", "context"}, {"context", {{"page", {{"path", "/shop/cart.html"}}}}}});
  h.now += 200;
  h.Send({{"type", "page"}});
  h.now += 200;
  const auto shown = Shown(Fetched(h, Ruleset({
      Campaign("hello", {{"type", "sessionStart"}}),
      Campaign("cross-sell", EventTrigger("Product Viewed"), {{"placement", "inline:cross-sell"}}),
      Campaign("cart-page", {{"type", "page"}, {"where", {{"path", "/shop/cart.html"}}}}, {{"placement", "banner"}}),
  })));
  BOOST_TEST_REQUIRE(shown.size() == 2u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "hello");
  BOOST_TEST(shown[0]["explanation"]["trigger"] == "sessionStart");
  BOOST_TEST(shown[1]["campaign"]["id"] == "cart-page");
  BOOST_TEST(shown[1]["explanation"]["heldMs"] == 200);
}

BOOST_AUTO_TEST_CASE(a_held_out_decision_names_its_trigger) {
  CoreHarness h;
  h.Init(FetchingConfig(), kProductPage);
  h.Track("Go");
  h.now += 250;
  const Json out = Fetched(h, Ruleset({Campaign("control", EventTrigger("Go"), {{"holdout", 0.9999}})}));
  BOOST_TEST(Shown(out).empty());
  const auto held_out = FlushedNamed(h, "Offer Held Out");
  BOOST_TEST_REQUIRE(held_out.size() == 1u);
  BOOST_TEST(held_out[0]["properties"]["trigger"] == "event:Go");
  BOOST_TEST(held_out[0]["properties"]["trigger_held_ms"] == 250);
}

BOOST_AUTO_TEST_CASE(logout_forgets_the_held_triggers) {
  CoreHarness h;
  h.Init(FetchingConfig(), kProductPage);
  h.Track("Product Viewed", ProductViewed("Mug"));
  h.Send({{"type", "reset"}});
  h.now += 300;
  BOOST_TEST(Shown(Fetched(h, ShopRules())).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace parcours::testing
