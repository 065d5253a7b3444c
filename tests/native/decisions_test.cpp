// Caps, arbitration, variants and holdout, content, consent and offer interactions, through
// the core as the shell drives it.
#include <boost/test/unit_test.hpp>

#include <set>

#include "decision_fixtures.h"

namespace parcours::testing {
namespace {

constexpr Millis kSecond = 1000;
constexpr Millis kDay = 24 * 3600 * kSecond;

Json Report(CoreHarness& h, const Json& decision, const std::string& action) {
  return h.Send({{"type", "offer"}, {"decisionId", decision["id"]}, {"action", action}});
}

BOOST_AUTO_TEST_SUITE(decisions)

BOOST_AUTO_TEST_CASE(per_session_cap_holds_across_page_loads) {
  CoreHarness h;
  const Json rules = Ruleset({Campaign("once", EventTrigger("Go"), {{"caps", {{"perSession", 1}}}})});
  h.Init(DecisionConfig(rules));
  const auto first = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(first.size() == 1u);
  Report(h, first[0], "dismissed");
  BOOST_TEST(Shown(h.Track("Go")).empty());
  CoreHarness next = h.Reload(10 * kSecond);
  next.Init(DecisionConfig(rules));
  const Json out = next.Track("Go");
  BOOST_TEST(Shown(out).empty());
  // A new session (after the 30 min timeout) may show it again.
  CoreHarness later = next.Reload(2 * 3600 * kSecond);
  later.Init(DecisionConfig(rules));
  BOOST_TEST(Shown(later.Track("Go")).size() == 1u);
}

BOOST_AUTO_TEST_CASE(per_day_and_lifetime_caps_survive_restarts) {
  CoreHarness h;
  const Json rules = Ruleset({Campaign("daily", EventTrigger("Go"), {{"caps", {{"perDay", 1}, {"lifetime", 2}}}})});
  h.Init(DecisionConfig(rules));
  BOOST_TEST(Shown(h.Track("Go")).size() == 1u);
  CoreHarness same_day = h.Reload(3 * 3600 * kSecond);  // New session, same day.
  same_day.Init(DecisionConfig(rules));
  BOOST_TEST(Shown(same_day.Track("Go")).empty());
  CoreHarness next_day = same_day.Reload(kDay);
  next_day.Init(DecisionConfig(rules));
  BOOST_TEST(Shown(next_day.Track("Go")).size() == 1u);
  CoreHarness third_day = next_day.Reload(kDay);
  third_day.Init(DecisionConfig(rules));
  BOOST_TEST(Shown(third_day.Track("Go")).empty());  // lifetime 2
}

BOOST_AUTO_TEST_CASE(dismiss_cooldown_and_stop_after_conversion) {
  CoreHarness h;
  const Json rules = Ruleset({
      Campaign("cool", EventTrigger("Go"), {{"caps", {{"dismissCooldownDays", 7}}}}),
      Campaign("sale", EventTrigger("Go"), {{"placement", "banner"}}),
  });
  h.Init(DecisionConfig(rules));
  auto shown = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 2u);
  Report(h, shown[0], "dismissed");
  Report(h, shown[1], "converted");
  CoreHarness week = h.Reload(6 * kDay);
  week.Init(DecisionConfig(rules));
  BOOST_TEST(Shown(week.Track("Go")).empty());
  CoreHarness later = week.Reload(2 * kDay);
  later.Init(DecisionConfig(rules));
  shown = Shown(later.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "cool");
}

BOOST_AUTO_TEST_CASE(governance_limits_offers_per_session_gap_and_quiet_hours) {
  CoreHarness h;
  Json rules = Ruleset({Campaign("a", EventTrigger("Go")), Campaign("b", EventTrigger("Go"), {{"placement", "banner"}}),
                        Campaign("c", EventTrigger("Go"), {{"placement", "slot"}})},
                       {{"governance", {{"maxOffersPerSession", 2}, {"minGapSeconds", 60}}}});
  h.Init(DecisionConfig(rules, {{"debug", true}}));
  const Json out = h.Track("Go");
  BOOST_TEST(Shown(out).size() == 1u);  // The gap applies between two offers of one evaluation too.
  h.now += 61 * kSecond;
  BOOST_TEST(Shown(h.Track("Go")).size() == 1u);
  h.now += 61 * kSecond;
  const Json third = h.Track("Go");
  BOOST_TEST(Shown(third).empty());
  bool explained = false;
  for (const Json& log : Effects(third, "log")) {
    explained |= log["message"].get<std::string>().find("maxOffersPerSession 2 reached") != std::string::npos;
  }
  BOOST_TEST(explained);

  CoreHarness quiet;
  quiet.Init(DecisionConfig(Ruleset({Campaign("a", EventTrigger("Go"))},
                                    {{"governance", {{"quietHours", {{"from", 22}, {"to", 9}}}}}})));
  BOOST_TEST(Shown(quiet.Track("Go")).empty());  // 08:26 UTC is inside 22h-9h.
}

BOOST_AUTO_TEST_CASE(a_campaign_exempt_from_governance_is_neither_blocked_nor_counted_by_it) {
  CoreHarness h;
  const Json governance = {{"maxOffersPerSession", 1}, {"minGapSeconds", 60}, {"quietHours", {{"from", 22}, {"to", 6}}}};
  const Json rules = Ruleset({Campaign("popup", EventTrigger("Go")),
                              Campaign("inline", EventTrigger("View"),
                                       {{"placement", "inline:cross-sell"}, {"governance", false},
                                        {"caps", {{"perSession", 3}}}})},
                             {{"governance", governance}});
  h.Init(DecisionConfig(rules, {{"debug", true}}));
  // The session's one governed offer.
  BOOST_TEST(Shown(h.Track("Go")).size() == 1u);
  // The budget is spent and the gap has not passed, yet the exempt inline offer shows.
  auto shown = Shown(h.Track("View"));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "inline");
  BOOST_TEST(shown[0]["explanation"]["reason"] == "variant default");
  Report(h, shown[0], "closed");
  // Its own caps still hold: perSession 3.
  for (int i = 0; i < 2; ++i) {
    shown = Shown(h.Track("View"));
    BOOST_TEST_REQUIRE(shown.size() == 1u);
    Report(h, shown[0], "closed");
  }
  const Json capped = h.Track("View");
  BOOST_TEST(Shown(capped).empty());
  bool explained = false;
  for (const Json& log : Effects(capped, "log")) {
    explained |= log["message"].get<std::string>().find("perSession cap 3 reached") != std::string::npos;
  }
  BOOST_TEST(explained);
  // It was not counted: offersShown is the governed offer alone.
  CoreHarness counted;
  counted.Init(DecisionConfig(Ruleset({Campaign("inline", EventTrigger("View"), {{"governance", false}}),
                                       Campaign("count", EventTrigger("Count"),
                                                {{"placement", "banner"},
                                                 {"conditions", {{"session.offersShown", 0}}}})})));
  BOOST_TEST(Shown(counted.Track("View")).size() == 1u);
  BOOST_TEST(Shown(counted.Track("Count")).size() == 1u);
  // Quiet hours (22h-6h) do not hold it back either.
  CoreHarness night;
  night.now = kStart + 15 * 3600 * kSecond;  // 23:26 UTC
  night.Init(DecisionConfig(rules));
  BOOST_TEST(Shown(night.Track("Go")).empty());
  BOOST_TEST(Shown(night.Track("View")).size() == 1u);
}

BOOST_AUTO_TEST_CASE(an_exempt_inline_offer_does_not_start_the_gap_for_a_governed_modal) {
  CoreHarness h;
  const Json rules = Ruleset({Campaign("inline", EventTrigger("View"), {{"placement", "inline:product"}, {"governance", false}}),
                              Campaign("modal", EventTrigger("Go")), Campaign("banner", EventTrigger("Go"), {{"placement", "banner"}})},
                             {{"governance", {{"maxOffersPerSession", 2}, {"minGapSeconds", 60}}}});
  h.Init(DecisionConfig(rules, {{"debug", true}}));
  BOOST_TEST(Shown(h.Track("View")).size() == 1u);
  h.now += kSecond;
  const Json out = h.Track("Go");
  auto shown = Shown(out);
  // The modal shows right after the inline offer; the gap then holds the banner back.
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "modal");
  const Json& considered = shown[0]["explanation"]["considered"]["campaigns"];
  BOOST_TEST_REQUIRE(considered.size() == 2u);
  BOOST_TEST(considered[1]["outcome"] == "blocked");
  BOOST_TEST(considered[1]["reason"] == "governance: minGapSeconds 60 not elapsed since the last offer");
}

BOOST_AUTO_TEST_CASE(arbitration_one_offer_per_placement_by_priority_then_order) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({
      Campaign("first-listed", EventTrigger("Go")),
      Campaign("urgent", EventTrigger("Go"), {{"priority", 5}}),
      Campaign("also-urgent", EventTrigger("Go"), {{"priority", 5}}),
      Campaign("banner", EventTrigger("Go"), {{"placement", "banner"}}),
  }), {{"debug", true}}));
  auto shown = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 2u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "urgent");
  BOOST_TEST(shown[1]["campaign"]["id"] == "banner");
  const Json& considered = shown[0]["explanation"]["considered"]["campaigns"];
  BOOST_TEST_REQUIRE(considered.size() == 4u);
  BOOST_TEST(considered[1]["campaign"] == "also-urgent");
  BOOST_TEST(considered[1]["outcome"] == "lostArbitration");
  // While the modal is open, the placement is busy.
  shown = Shown(h.Track("Go"));
  BOOST_TEST(shown.empty());
}

BOOST_AUTO_TEST_CASE(conditions_see_the_context_document) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("vip", EventTrigger("Cart Viewed"),
                                          {{"conditions", {{"cart.value", {{"$gte", 50}}},
                                                           {"user.traits.tier", "gold"},
                                                           {"user.events.Product Added.last7d", {{"$gte", 2}}}}}})}),
                        {{"debug", true}}));
  h.Track("Product Added", Product("p1", 30));
  Json out = h.Track("Cart Viewed");
  BOOST_TEST(Shown(out).empty());
  h.Send({{"type", "identify"}, {"userId", "u1"}, {"traits", {{"tier", "gold"}}}});
  h.Track("Product Added", Product("p2", 30));
  const auto shown = Shown(h.Track("Cart Viewed"));
  BOOST_TEST(shown.size() == 1u);
}

BOOST_AUTO_TEST_CASE(templates_render_from_the_context_and_never_carry_html_semantics) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("t", EventTrigger("Cart Viewed"), {{"content", {
      {"title", "Hi {{user.traits.first_name | default: \"there\"}}"},
      {"body", "{{cart.items.0.name}} and more: {{cart.value | money}}"},
      {"cta", "<b>Go</b>"},
      {"products", {{"from", "cart.items"}, {"limit", 1}}}}}})})));
  h.Track("Product Added", Product("p1", 30, "Blue <mug>"));
  h.Track("Product Added", Product("p2", 12.5));
  auto shown = Shown(h.Track("Cart Viewed"));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  const Json& content = shown[0]["content"];
  BOOST_TEST(content["title"] == "Hi there");
  BOOST_TEST(content["body"].get<std::string>().find("Blue <mug> and more: ") == 0u);
  BOOST_TEST(content["body"].get<std::string>().find("42.50") != std::string::npos);
  BOOST_TEST(content["cta"] == "<b>Go</b>");  // Text, escaped by the renderer.
  BOOST_TEST_REQUIRE(content["products"].size() == 1u);
  BOOST_TEST(content["products"][0]["name"] == "Blue <mug>");
}

BOOST_AUTO_TEST_CASE(the_decision_content_always_names_its_kind) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({
      Campaign("plain", EventTrigger("Go")),
      Campaign("form", EventTrigger("Go"),
               {{"placement", "banner"},
                {"content", {{"kind", "emailCapture"}, {"title", "Join"}, {"placeholder", "you@example.com"},
                             {"consent", "I agree"}, {"success", "Thanks {{user.traits.first_name}}"}}}}),
      Campaign("push", EventTrigger("Go"), {{"placement", "inline"}, {"content", {{"kind", "pushOptIn"}}}}),
  })));
  h.Send({{"type", "identify"}, {"userId", "u1"}, {"traits", {{"first_name", "Ada"}}}});
  const auto shown = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 3u);
  BOOST_TEST(shown[0]["content"] == Json({{"kind", "offer"}, {"title", "Offer plain"}}));
  BOOST_TEST(shown[1]["content"] == Json({{"kind", "emailCapture"}, {"title", "Join"}, {"placeholder", "you@example.com"},
                                          {"consent", "I agree"}, {"success", "Thanks Ada"}}));
  BOOST_TEST(shown[2]["content"] == Json({{"kind", "pushOptIn"}}));
}

BOOST_AUTO_TEST_CASE(no_offer_without_personalization_consent) {
  CoreHarness h;
  Json config = DecisionConfig(Ruleset({Campaign("a", EventTrigger("Go"))}),
                               {{"consent", {{"analytics", true}}}});
  h.Init(config);
  BOOST_TEST(Shown(h.Track("Go")).empty());
  h.Send({{"type", "consent"}, {"categories", {{"personalization", true}}}});
  BOOST_TEST(Shown(h.Track("Go")).size() == 1u);
}

BOOST_AUTO_TEST_CASE(holdout_is_tracked_and_shows_nothing) {
  // With holdout 0.5 about half of the visitors are held out; find one of each.
  int held = 0, treated = 0;
  for (uint32_t seed = 1; seed < 40 && (held == 0 || treated == 0); ++seed) {
    CoreHarness h;
    const Json rules = Ruleset({Campaign("lift", EventTrigger("Go"), {{"holdout", 0.5}})});
    Json input = {{"type", "init"}, {"config", DecisionConfig(rules)}, {"seed", {seed, seed * 7, seed * 13, 99}}};
    h.Send(input);
    const Json out = h.Track("Go");
    const auto held_out = FlushedNamed(h, "Offer Held Out");
    if (Shown(out).empty()) {
      BOOST_TEST_REQUIRE(held_out.size() == 1u);
      BOOST_TEST(held_out[0]["properties"]["campaign_id"] == "lift");
      BOOST_TEST(held_out[0]["properties"]["holdout"] == true);
      ++held;
    } else {
      BOOST_TEST(held_out.empty());
      ++treated;
    }
  }
  BOOST_TEST(held > 0);
  BOOST_TEST(treated > 0);
}

BOOST_AUTO_TEST_CASE(variants_are_sticky_per_visitor) {
  Json rules = Ruleset({Campaign("ab", EventTrigger("Go"),
                                 {{"content", nullptr},
                                  {"variants", {{{"id", "a"}, {"weight", 1}, {"content", {{"title", "A"}}}},
                                                {{"id", "b"}, {"weight", 1}, {"content", {{"title", "B"}}}}}}})});
  rules["campaigns"][0].erase("content");
  CoreHarness h;
  h.Init(DecisionConfig(rules));
  const auto first = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(first.size() == 1u);
  Report(h, first[0], "closed");
  for (int i = 0; i < 5; ++i) {
    CoreHarness again = h.Reload((i + 1) * 3 * 3600 * kSecond);
    again.Init(DecisionConfig(rules));
    const auto shown = Shown(again.Track("Go"));
    BOOST_TEST_REQUIRE(shown.size() == 1u);
    BOOST_TEST(shown[0]["variant"] == first[0]["variant"]);
    const std::string expected = first[0]["variant"] == "a" ? "A" : "B";
    BOOST_TEST(shown[0]["content"]["title"] == expected);
  }
}

BOOST_AUTO_TEST_CASE(offer_reports_are_tracked_with_campaign_variant_and_placement) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("x", EventTrigger("Go"), {{"placement", "banner"}})})));
  const auto shown = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(Report(h, shown[0], "shown")["ok"] == true);
  BOOST_TEST(Report(h, shown[0], "clicked")["ok"] == true);
  const Json bad = Report(h, shown[0], "exploded");
  BOOST_TEST(bad["ok"] == false);
  const Json unknown = h.Send({{"type", "offer"}, {"decisionId", "nope"}, {"action", "shown"}});
  BOOST_TEST(unknown["error"]["code"] == "offer.unknown_decision");
  const auto clicked = FlushedNamed(h, "Offer Clicked");
  BOOST_TEST_REQUIRE(clicked.size() == 1u);
  BOOST_TEST(clicked[0]["properties"]["campaign_id"] == "x");
  BOOST_TEST(clicked[0]["properties"]["variant_id"] == "default");
  BOOST_TEST(clicked[0]["properties"]["placement"] == "banner");
  BOOST_TEST(clicked[0]["properties"]["decision_id"] == shown[0]["id"]);
}

BOOST_AUTO_TEST_CASE(a_conversion_event_within_the_window_converts_across_pages) {
  CoreHarness h;
  const Json rules = Ruleset({Campaign("x", EventTrigger("Cart Viewed"),
                                       {{"conversion", {{"event", "Order Completed"}, {"withinHours", 24}}}})});
  h.Init(DecisionConfig(rules));
  BOOST_TEST(Shown(h.Track("Cart Viewed")).size() == 1u);
  CoreHarness next = h.Reload(3600 * kSecond);
  // The reload sends what the last page left; confirm it so the next flush can go.
  for (const Json& send : Effects(next.Init(DecisionConfig(rules)), "send")) next.Delivered(send["batchId"], 200);
  next.Track("Order Completed", {{"order_id", "o1"}, {"total", 40}});
  next.Track("Order Completed", {{"order_id", "o2"}, {"total", 40}});
  const auto converted = FlushedNamed(next, "Offer Converted");
  BOOST_TEST_REQUIRE(converted.size() == 1u);
  BOOST_TEST(converted[0]["properties"]["campaign_id"] == "x");
}

BOOST_AUTO_TEST_CASE(caps_from_another_tab_merge_and_never_lower) {
  CoreHarness a, b;
  const Json rules = Ruleset({Campaign("once", EventTrigger("Go"), {{"caps", {{"lifetime", 1}}}})});
  a.Init(DecisionConfig(rules));
  b.Init(DecisionConfig(rules));
  BOOST_TEST(Shown(a.Track("Go")).size() == 1u);
  b.Send({{"type", "stored"}, {"key", "caps"}, {"value", a.storage.at("caps")}});
  BOOST_TEST(Shown(b.Track("Go")).empty());
  b.Send({{"type", "stored"}, {"key", "caps"}, {"value", "garbage"}});
  BOOST_TEST(Shown(b.Track("Go")).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace parcours::testing
