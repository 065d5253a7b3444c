// Every trigger kind, driven through the core with a clock the test moves by hand.
#include <boost/test/unit_test.hpp>

#include "decision_fixtures.h"

namespace parcours::testing {
namespace {

constexpr Millis kSecond = 1000;
constexpr Millis kDay = 24 * 3600 * kSecond;

BOOST_AUTO_TEST_SUITE(triggers)

BOOST_AUTO_TEST_CASE(event_trigger_fires_on_its_event_and_property_filter) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("big-add", {{"type", "event"}, {"event", "Product Added"},
                                                      {"where", {{"price", {{"$gte", 100}}}}}})})));
  BOOST_TEST(Shown(h.Track("Product Viewed", Product("p1", 150))).empty());
  BOOST_TEST(Shown(h.Track("Product Added", Product("p1", 50))).empty());
  const auto shown = Shown(h.Track("Product Added", Product("p2", 150)));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "big-add");
  BOOST_TEST(shown[0]["explanation"]["trigger"] == "event:Product Added");
}

BOOST_AUTO_TEST_CASE(page_trigger_matches_the_page_document) {
  CoreHarness h;
  Json context = {{"page", {{"path", "/checkout"}, {"url", "https://shop.test/checkout"}}}};
  h.Init(DecisionConfig(Ruleset({Campaign("checkout", {{"type", "page"}, {"where", {{"path", {{"$regex", "^/check"}}}}}})})),
         context);
  const auto shown = Shown(h.Send({{"type", "page"}}));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["explanation"]["trigger"] == "page");
  h.Send({{"type", "context"}, {"context", {{"page", {{"path", "/home"}}}}}});
  h.Send({{"type", "offer"}, {"decisionId", shown[0]["id"]}, {"action", "closed"}});
  BOOST_TEST(Shown(h.Send({{"type", "page"}})).empty());
}

BOOST_AUTO_TEST_CASE(cart_idle_fires_once_after_the_last_cart_change) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("idle", {{"type", "cartIdle"}, {"seconds", 30}},
                                          {{"content", {{"title", "Still want {{cart.items.0.name}}?"}}}})})));
  h.Track("Product Added", Product("p1", 20, "Blue mug"));
  h.now += 20 * kSecond;
  const Json added = h.Track("Product Added", Product("p2", 10, "Red mug"));
  // The timer is re-armed from the last change: 30 s after it.
  const auto schedules = Effects(added, "schedule");
  BOOST_TEST_REQUIRE(!schedules.empty());
  BOOST_TEST(schedules.back()["at"].get<Millis>() <= h.now + 30 * kSecond);
  h.now += 29 * kSecond;
  BOOST_TEST(Shown(h.Tick()).empty());
  h.now += 1 * kSecond;
  const auto shown = Shown(h.Tick());
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["content"]["title"] == "Still want Blue mug?");
  BOOST_TEST(shown[0]["explanation"]["trigger"] == "cartIdle");
  h.now += 60 * kSecond;
  BOOST_TEST(Shown(h.Tick()).empty());  // Once per cart change.
}

BOOST_AUTO_TEST_CASE(cart_idle_never_fires_for_an_empty_cart) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("idle", {{"type", "cartIdle"}, {"seconds", 30}})})));
  h.Track("Product Viewed", Product("p1", 20));
  h.now += 300 * kSecond;
  BOOST_TEST(Shown(h.Tick()).empty());
}

BOOST_AUTO_TEST_CASE(time_on_page_counts_from_the_page_view) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("dwell", {{"type", "timeOnPage"}, {"seconds", 20}})})));
  h.now += 10 * kSecond;
  h.Send({{"type", "page"}});
  h.now += 15 * kSecond;
  BOOST_TEST(Shown(h.Tick()).empty());
  h.now += 5 * kSecond;
  BOOST_TEST(Shown(h.Tick()).size() == 1u);
}

BOOST_AUTO_TEST_CASE(inactivity_counts_from_the_last_event) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("nudge", {{"type", "inactivity"}, {"seconds", 60}})})));
  h.Track("Product Viewed", Product("p1", 20));
  h.now += 50 * kSecond;
  h.Track("Product Viewed", Product("p2", 20));
  h.now += 50 * kSecond;
  BOOST_TEST(Shown(h.Tick()).empty());
  h.now += 10 * kSecond;
  BOOST_TEST(Shown(h.Tick()).size() == 1u);
}

BOOST_AUTO_TEST_CASE(exit_intent_and_scroll_depth_fire_once_per_page_view) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("exit", {{"type", "exitIntent"}}),
                                 Campaign("deep", {{"type", "scrollDepth"}, {"percent", 60}}, {{"placement", "banner"}})})));
  BOOST_TEST(Shown(h.Send({{"type", "signal"}, {"name", "scrollDepth"}, {"value", 50}})).empty());
  BOOST_TEST(Shown(h.Send({{"type", "signal"}, {"name", "scrollDepth"}, {"value", 70}})).size() == 1u);
  BOOST_TEST(Shown(h.Send({{"type", "signal"}, {"name", "scrollDepth"}, {"value", 90}})).empty());
  const auto exit = Shown(h.Send({{"type", "signal"}, {"name", "exitIntent"}}));
  BOOST_TEST_REQUIRE(exit.size() == 1u);
  h.Send({{"type", "offer"}, {"decisionId", exit[0]["id"]}, {"action", "closed"}});
  BOOST_TEST(Shown(h.Send({{"type", "signal"}, {"name", "exitIntent"}})).empty());
  h.Send({{"type", "page"}});  // A new page view: both may fire again.
  BOOST_TEST(Shown(h.Send({{"type", "signal"}, {"name", "exitIntent"}})).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_bad_signal_is_refused_with_a_clear_error) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset(Json::array())));
  const Json out = h.Send({{"type", "signal"}, {"name", "scrollDepth"}, {"value", 180}});
  BOOST_TEST(out["ok"] == false);
  BOOST_TEST(out["error"]["code"] == "input.invalid");
}

BOOST_AUTO_TEST_CASE(session_start_fires_on_the_first_event_of_each_session) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("welcome", {{"type", "sessionStart"}})})));
  const auto first = Shown(h.Track("Product Viewed", Product("p1", 1)));
  BOOST_TEST_REQUIRE(first.size() == 1u);
  h.Send({{"type", "offer"}, {"decisionId", first[0]["id"]}, {"action", "closed"}});
  h.now += kSecond;
  BOOST_TEST(Shown(h.Track("Product Viewed", Product("p1", 1))).empty());
  h.now += 31 * 60 * kSecond;  // Past the session timeout: a new session.
  BOOST_TEST(Shown(h.Track("Product Viewed", Product("p1", 1))).size() == 1u);
}

BOOST_AUTO_TEST_CASE(returning_fires_after_n_days_away_and_survives_reloads) {
  CoreHarness h;
  Json ruleset = Ruleset({Campaign("welcome-back", {{"type", "returning"}, {"days", 14}})});
  h.Init(DecisionConfig(ruleset));
  h.Track("Product Viewed", Product("p1", 1));
  h.Send({{"type", "unload"}});
  CoreHarness soon = h.Reload(3 * kDay);
  soon.Init(DecisionConfig(ruleset));
  BOOST_TEST(Shown(soon.Track("Product Viewed", Product("p1", 1))).empty());
  soon.Send({{"type", "unload"}});
  CoreHarness later = soon.Reload(20 * kDay);
  later.Init(DecisionConfig(ruleset));
  const auto shown = Shown(later.Track("Product Viewed", Product("p1", 1)));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["explanation"]["trigger"] == "returning:20d");
}

BOOST_AUTO_TEST_CASE(schedule_limits_dates_weekdays_and_hours) {
  CoreHarness h;
  // kStart is Saturday 2025-11-22 08:26 UTC.
  h.Init(DecisionConfig(Ruleset({
      Campaign("future", EventTrigger("Go"), {{"schedule", {{"start", "2025-12-01"}}}}),
      Campaign("weekdays", EventTrigger("Go"), {{"placement", "a"}, {"schedule", {{"weekdays", {1, 2, 3, 4, 5}}}}}),
      Campaign("evening", EventTrigger("Go"), {{"placement", "b"}, {"schedule", {{"hours", {{"from", 18}, {"to", 23}}}}}}),
      Campaign("morning", EventTrigger("Go"), {{"placement", "c"}, {"schedule", {{"hours", {{"from", 8}, {"to", 9}}}}}}),
  })));
  const auto shown = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "morning");
  // The site's time zone moves the hour: at UTC+10 it is 18:26 there.
  h.Send({{"type", "clock"}, {"utcOffsetMinutes", 600}});
  h.Send({{"type", "offer"}, {"decisionId", shown[0]["id"]}, {"action", "closed"}});
  const auto later = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(later.size() == 1u);
  BOOST_TEST(later[0]["campaign"]["id"] == "evening");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace parcours::testing
