// Conversions: an order converts the campaigns whose offer was clicked within their window
// (click attribution, stamped on the order as context.offers), a campaign's conversion event
// converts what was decided (with the variant the ledger kept), and nothing converts twice.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "decision_fixtures.h"
#include "parcours/iso_time.h"
#include "parcours/rules/bucketing.h"
#include "parcours/rules/caps.h"

namespace parcours::testing {
namespace {

constexpr Millis kSecond = 1000;
constexpr Millis kHour = 3600 * kSecond;

Json Report(CoreHarness& h, const Json& decision, const std::string& action) {
  return h.Send({{"type", "offer"}, {"decisionId", decision["id"]}, {"action", action}});
}

Json Order(const std::string& id) {
  return {{"order_id", id}, {"total", 36}, {"revenue", 30}, {"currency", "EUR"}};
}

// The one decision a "Go" shows, clicked.
Json ShowAndClick(CoreHarness& h) {
  const auto shown = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(Report(h, shown[0], "clicked")["ok"] == true);
  return shown[0];
}

// Every event a flush sends (the encoded batch, as the collector gets it), in order.
std::vector<Json> Sent(CoreHarness& h) {
  std::vector<Json> events;
  for (const Json& effect : Effects(h.Flush(), "send")) {
    for (const Json& event : BatchEvents(effect)) events.push_back(event);
    h.Delivered(effect["batchId"], 200);
  }
  return events;
}

std::vector<Json> Named(const std::vector<Json>& events, const std::string& name) {
  std::vector<Json> found;
  for (const Json& event : events) {
    if (event.value("event", "") == name) found.push_back(event);
  }
  return found;
}

// Nothing leaves before a flush (or a day): tests see every event in the batch they flush.
Json Config(const Json& rules, Json extra = Json::object()) {
  Json config = DecisionConfig(rules, {{"flushIntervalMs", 24 * kHour}});
  config.update(extra);
  return config;
}

// Confirms what an init re-sends from storage, so later flushes are not held behind it.
void InitAndConfirm(CoreHarness& h, const Json& config) {
  for (const Json& send : Effects(h.Init(config), "send")) h.Delivered(send["batchId"], 200);
}

BOOST_AUTO_TEST_SUITE(attribution)

BOOST_AUTO_TEST_CASE(an_order_after_a_click_converts_once_and_carries_the_offer) {
  CoreHarness h;
  h.Init(Config(Ruleset({Campaign("x", EventTrigger("Go"), {{"placement", "banner"}})})));
  const Json decision = ShowAndClick(h);
  const Millis clicked_at = h.now;
  Sent(h);  // Nothing pending when the clock jumps, so nothing leaves before the flush.
  h.now += kHour;
  h.Track("Order Completed", Order("o1"));
  auto events = Sent(h);
  h.now += kHour;
  h.Track("Order Completed", Order("o2"));
  for (const Json& event : Sent(h)) events.push_back(event);

  const auto converted = Named(events, "Offer Converted");
  BOOST_TEST_REQUIRE(converted.size() == 1u);
  const Json expected = {{"campaign_id", "x"},        {"campaign_name", "Campaign x"},
                         {"variant_id", "default"},   {"placement", "banner"},
                         {"holdout", false},          {"ruleset_revision", "r1"},
                         {"decision_id", decision["id"]}, {"attribution", "click"},
                         {"order_id", "o1"},          {"revenue", 30},
                         {"currency", "EUR"}};
  BOOST_TEST(converted[0]["properties"] == expected, converted[0]["properties"].dump());

  const auto orders = Named(events, "Order Completed");
  BOOST_TEST_REQUIRE(orders.size() == 2u);
  const Json offers = {{{"campaign_id", "x"},
                        {"variant_id", "default"},
                        {"decision_id", decision["id"]},
                        {"placement", "banner"},
                        {"clicked_at", FormatIso8601(clicked_at)}}};
  BOOST_TEST(orders[0]["context"]["offers"] == offers, orders[0]["context"].dump());
  BOOST_TEST(orders[0]["context"]["library"]["name"] == "parcours");  // The rest of the context stays.
  BOOST_TEST(orders[0]["properties"]["order_id"] == "o1");
  BOOST_TEST(orders[1]["context"].count("offers") == 0u);  // Converted already.
  // The order converts it before it is counted as any other event: its messageId is the call's.
  BOOST_TEST(orders[0]["messageId"].is_string());
}

BOOST_AUTO_TEST_CASE(the_total_stands_in_for_a_missing_revenue) {
  CoreHarness h;
  h.Init(Config(Ruleset({Campaign("x", EventTrigger("Go"))})));
  ShowAndClick(h);
  h.Track("Order Completed", {{"order_id", "o1"}, {"total", 36.5}});
  const auto converted = Named(Sent(h), "Offer Converted");
  BOOST_TEST_REQUIRE(converted.size() == 1u);
  BOOST_TEST(converted[0]["properties"]["revenue"] == 36.5);
  BOOST_TEST(converted[0]["properties"].count("currency") == 0u);
}

BOOST_AUTO_TEST_CASE(the_window_counts_from_the_click) {
  // No conversion: 24 hours. A conversion: its withinHours.
  const Json rules = Ruleset({Campaign("day", EventTrigger("Go")),
                              Campaign("short", EventTrigger("Go"),
                                       {{"placement", "banner"},
                                        {"conversion", {{"event", "Signed Up"}, {"withinHours", 2}}}})});
  for (const Millis after : {1 * kHour, 3 * kHour, 23 * kHour, 25 * kHour}) {
    CoreHarness h;
    h.Init(Config(rules));
    const auto shown = Shown(h.Track("Go"));
    BOOST_TEST_REQUIRE(shown.size() == 2u);
    Sent(h);
    h.now += 5 * kHour;  // The window opens at the click, not the decision.
    for (const Json& decision : shown) Report(h, decision, "clicked");
    Sent(h);
    h.now += after;
    h.Track("Order Completed", Order("o1"));
    const auto events = Sent(h);
    std::vector<std::string> converted;
    for (const Json& event : Named(events, "Offer Converted")) converted.push_back(event["properties"]["campaign_id"]);
    const auto orders = Named(events, "Order Completed");
    BOOST_TEST_REQUIRE(orders.size() == 1u);
    const size_t stamped = orders[0]["context"].count("offers") ? orders[0]["context"]["offers"].size() : 0;
    if (after == kHour) {
      BOOST_TEST((converted == std::vector<std::string>{"day", "short"}));
      BOOST_TEST(stamped == 2u);
    } else if (after < 24 * kHour) {
      BOOST_TEST((converted == std::vector<std::string>{"day"}));
      BOOST_TEST(stamped == 1u);
    } else {
      BOOST_TEST(converted.empty());
      BOOST_TEST(stamped == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(no_click_no_click_conversion_and_each_way_converts_once) {
  CoreHarness h;
  const Json by_order = {{"conversion", {{"event", "Order Completed"}, {"withinHours", 48}}}};
  Json clicked = by_order;
  Json seen = by_order;
  seen["placement"] = "banner";
  Json unclicked_plain = {{"placement", "inline"}};
  h.Init(Config(Ruleset({Campaign("clicked", EventTrigger("Go"), clicked),
                                 Campaign("seen", EventTrigger("Go"), seen),
                                 Campaign("plain", EventTrigger("Go"), unclicked_plain)})));
  const auto shown = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 3u);
  Report(h, shown[0], "clicked");
  Sent(h);
  h.now += kHour;
  h.Track("Order Completed", Order("o1"));
  h.Track("Order Completed", Order("o2"));
  const auto events = Sent(h);
  const auto converted = Named(events, "Offer Converted");
  BOOST_TEST_REQUIRE(converted.size() == 2u);
  // The clicked campaign converts by click (not a second time by its event); the one only
  // seen converts by its event, with the decision it was; the plain one does not convert.
  BOOST_TEST(converted[0]["properties"]["campaign_id"] == "clicked");
  BOOST_TEST(converted[0]["properties"]["attribution"] == "click");
  BOOST_TEST(converted[1]["properties"]["campaign_id"] == "seen");
  BOOST_TEST(converted[1]["properties"]["attribution"] == "decision");
  BOOST_TEST(converted[1]["properties"]["decision_id"] == shown[1]["id"]);
  BOOST_TEST(converted[1]["properties"].count("order_id") == 0u);
  const auto orders = Named(events, "Order Completed");
  BOOST_TEST_REQUIRE(orders.size() == 2u);
  BOOST_TEST(orders[0]["context"]["offers"].size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_reported_conversion_after_the_click_leaves_nothing_for_the_order) {
  CoreHarness h;
  h.Init(Config(Ruleset({Campaign("x", EventTrigger("Go"), {{"caps", {{"stopAfterConversion", false}}}})})));
  const Json decision = ShowAndClick(h);
  h.now += kSecond;
  Report(h, decision, "converted");
  Report(h, decision, "closed");
  h.now += kSecond;
  h.Track("Order Completed", Order("o1"));
  const auto events = Sent(h);
  const auto converted = Named(events, "Offer Converted");
  BOOST_TEST_REQUIRE(converted.size() == 1u);
  BOOST_TEST(converted[0]["properties"]["attribution"] == "report");
  BOOST_TEST(Named(events, "Order Completed")[0]["context"].count("offers") == 0u);
  // A new click opens a new attribution.
  h.now += kSecond;
  const auto again = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(again.size() == 1u);
  Report(h, again[0], "clicked");
  h.now += kSecond;
  h.Track("Order Completed", Order("o2"));
  BOOST_TEST(Named(Sent(h), "Offer Converted").size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_scanned_track_path_stamps_the_order_too) {
  CoreHarness h;
  h.Init(Config(Ruleset({Campaign("x", EventTrigger("Go"))})));
  const Json decision = ShowAndClick(h);
  h.now += kSecond;
  auto call = [&](const std::string& event, Json properties) {
    return Json{{"type", "track"}, {"now", h.now}, {"event", event}, {"properties", std::move(properties)}};
  };
  // Flat properties take the scanned path; another event is not stamped.
  const Json out = h.Send({{"type", "calls"}, {"calls", {call("Product Viewed", {{"product_id", "p"}}),
                                                         call("Order Completed", Order("o1"))}}});
  BOOST_TEST(out["results"][1]["ok"] == true);
  const auto events = Sent(h);
  BOOST_TEST(Named(events, "Product Viewed")[0]["context"].count("offers") == 0u);
  const auto orders = Named(events, "Order Completed");
  BOOST_TEST_REQUIRE(orders.size() == 1u);
  BOOST_TEST(orders[0]["context"]["offers"][0]["decision_id"] == decision["id"]);
  const auto converted = Named(events, "Offer Converted");
  BOOST_TEST_REQUIRE(converted.size() == 1u);
  BOOST_TEST(converted[0]["properties"]["order_id"] == "o1");
  BOOST_TEST(converted[0]["properties"]["revenue"] == 30);
}

BOOST_AUTO_TEST_CASE(the_stamped_order_is_stored_as_stamped) {
  CoreHarness h;
  const Json rules = Ruleset({Campaign("x", EventTrigger("Go"))});
  h.Init(Config(rules));
  ShowAndClick(h);
  h.Track("Order Completed", Order("o1"));
  // Not delivered: the next page load sends it from storage, with its offers.
  CoreHarness next = h.Reload(kSecond);
  std::vector<Json> resent;
  for (const Json& send : Effects(next.Init(Config(rules)), "send")) {
    for (const Json& event : BatchEvents(send)) resent.push_back(event);
  }
  if (resent.empty()) resent = FlushedEvents(next);
  const auto orders = Named(resent, "Order Completed");
  BOOST_TEST_REQUIRE(orders.size() == 1u);
  BOOST_TEST(orders[0]["context"]["offers"].size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_click_survives_a_restart_and_reaches_other_tabs) {
  const Json rules = Ruleset({Campaign("x", EventTrigger("Go"))});
  CoreHarness h;
  h.Init(Config(rules));
  const Json decision = ShowAndClick(h);
  Sent(h);
  CoreHarness next = h.Reload(2 * kHour);
  InitAndConfirm(next, Config(rules));
  next.Track("Order Completed", Order("o1"));
  auto converted = Named(Sent(next), "Offer Converted");
  BOOST_TEST_REQUIRE(converted.size() == 1u);
  BOOST_TEST(converted[0]["properties"]["decision_id"] == decision["id"]);

  // Another tab, open before the click, learns it from the stored caps.
  CoreHarness a, b;
  a.Init(Config(rules));
  b.Init(Config(rules));
  const Json clicked = ShowAndClick(a);
  Sent(a);
  Sent(b);
  b.Send({{"type", "stored"}, {"key", "caps"}, {"value", a.storage.at("caps")}});
  b.now = a.now + kHour;
  b.Track("Order Completed", Order("o1"));
  converted = Named(Sent(b), "Offer Converted");
  BOOST_TEST_REQUIRE(converted.size() == 1u);
  BOOST_TEST(converted[0]["properties"]["decision_id"] == clicked["id"]);
  // ... and the conversion goes back to the first tab, which does not convert it again.
  a.Send({{"type", "stored"}, {"key", "caps"}, {"value", b.storage.at("caps")}});
  a.now = b.now + kSecond;
  a.Track("Order Completed", Order("o2"));
  BOOST_TEST(Named(Sent(a), "Offer Converted").empty());
}

BOOST_AUTO_TEST_CASE(conversions_name_the_variant_decided_even_after_a_login) {
  Json rules = Ruleset({Campaign("ab", EventTrigger("Go"),
                                 {{"conversion", {{"event", "Signed Up"}}},
                                  {"variants", {{{"id", "a"}, {"content", {{"title", "A"}}}},
                                                {{"id", "b"}, {"content", {{"title", "B"}}}}}}}),
                        Campaign("clicked", EventTrigger("Go"),
                                 {{"placement", "banner"},
                                  {"variants", {{{"id", "a"}, {"content", {{"title", "A"}}}},
                                                {{"id", "b"}, {"content", {{"title", "B"}}}}}}})});
  for (Json& campaign : rules["campaigns"]) campaign.erase("content");
  CoreHarness h;
  h.Init(Config(rules));
  const auto shown = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 2u);
  Report(h, shown[1], "clicked");
  // A user id whose buckets differ from the anonymous visitor's in both campaigns.
  std::string user;
  for (int i = 0; i < 1000 && user.empty(); ++i) {
    const std::string candidate = "u" + std::to_string(i);
    const auto first = rules::Assign("ab", candidate, {0.5, 0.5}, 0);
    const auto second = rules::Assign("clicked", candidate, {0.5, 0.5}, 0);
    if ((first.variant == 0) != (shown[0]["variant"] == "a") && (second.variant == 0) != (shown[1]["variant"] == "a")) {
      user = candidate;
    }
  }
  BOOST_TEST_REQUIRE(!user.empty());
  h.Send({{"type", "identify"}, {"userId", user}});
  h.Track("Signed Up");
  h.Track("Order Completed", Order("o1"));
  const auto converted = Named(Sent(h), "Offer Converted");
  BOOST_TEST_REQUIRE(converted.size() == 2u);
  BOOST_TEST(converted[0]["properties"]["campaign_id"] == "ab");
  BOOST_TEST(converted[0]["properties"]["variant_id"] == shown[0]["variant"]);
  BOOST_TEST(converted[0]["properties"]["decision_id"] == shown[0]["id"]);
  BOOST_TEST(converted[1]["properties"]["campaign_id"] == "clicked");
  BOOST_TEST(converted[1]["properties"]["variant_id"] == shown[1]["variant"]);
}

BOOST_AUTO_TEST_CASE(logout_and_withdrawn_consent_erase_clicks) {
  const Json rules = Ruleset({Campaign("x", EventTrigger("Go"))});
  CoreHarness h;
  h.Init(Config(rules));
  ShowAndClick(h);
  h.Send({{"type", "reset"}});
  BOOST_TEST(h.storage.count("caps") == 0u);
  h.Track("Order Completed", Order("o1"));
  auto events = Sent(h);
  BOOST_TEST(Named(events, "Offer Converted").empty());
  BOOST_TEST(Named(events, "Order Completed")[0]["context"].count("offers") == 0u);

  CoreHarness c;
  c.Init(Config(rules, {{"consent", {{"analytics", true}, {"personalization", true}}}}));
  ShowAndClick(c);
  c.Send({{"type", "consent"}, {"categories", {{"analytics", false}}}});
  c.Send({{"type", "consent"}, {"categories", {{"analytics", true}}}});
  c.Track("Order Completed", Order("o1"));
  events = Sent(c);
  BOOST_TEST(Named(events, "Offer Converted").empty());
  BOOST_TEST(Named(events, "Order Completed")[0]["context"].count("offers") == 0u);
}

BOOST_AUTO_TEST_CASE(a_refused_order_converts_nothing) {
  CoreHarness h;
  h.Init(Config(Ruleset({Campaign("x", EventTrigger("Go"))})));
  ShowAndClick(h);
  const Json refused = h.Track("Order Completed", {{"order_id", 5}, {"total", "lots"}});
  BOOST_TEST(refused["ok"] == false);
  h.Track("Order Completed", Order("o1"));
  BOOST_TEST(Named(Sent(h), "Offer Converted").size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_ledger_keeps_decisions_and_clicks_and_reads_older_entries) {
  rules::CapLedger ledger;
  ledger.RecordShown("c", {"s1", 10}, 1000, "d-1", "b");
  ledger.RecordShown("held", {"s1", 10}, 1000, "d-2", "");
  ledger.RecordClicked("c", 2000, "d-1", "b", "modal");
  auto decoded = rules::CapLedger::Decode(ledger.Encode());
  BOOST_TEST_REQUIRE(decoded.ok());
  const rules::CampaignCounts* c = decoded.value().Find("c");
  BOOST_TEST_REQUIRE(c != nullptr);
  BOOST_TEST(c->decision_id == "d-1");
  BOOST_TEST(c->variant_id == "b");
  BOOST_TEST(c->clicked_at == 2000);
  BOOST_TEST(c->click_decision_id == "d-1");
  BOOST_TEST(c->click_variant_id == "b");
  BOOST_TEST(c->click_placement == "modal");
  BOOST_TEST(decoded.value().Find("held")->decision_id == "d-2");
  BOOST_TEST(decoded.value().Find("held")->variant_id == "");

  // What an older version stored: counts only; the attribution members are optional, and a
  // bad one is skipped rather than losing the caps.
  const std::string old =
      R"({"v":1,"global":["s1",1,1000],"campaigns":{"c":[1,10,1,"s1",1,1000,-1,-1]},)"
      R"("clicked":{"c":["yesterday","d","v","p"],"gone":[5,"d","v","p"]}})";
  decoded = rules::CapLedger::Decode(old);
  BOOST_TEST_REQUIRE(decoded.ok());
  BOOST_TEST(decoded.value().Find("c")->lifetime == 1);
  BOOST_TEST(decoded.value().Find("c")->decision_id == "");
  BOOST_TEST(decoded.value().Find("c")->clicked_at == -1);
  BOOST_TEST(decoded.value().Find("gone") == nullptr);

  // Merging takes the later decision and the later click.
  rules::CapLedger other;
  other.RecordShown("c", {"s1", 10}, 3000, "d-9", "a");
  other.RecordClicked("c", 1500, "d-0", "a", "banner");
  ledger.Merge(other);
  BOOST_TEST(ledger.Find("c")->decision_id == "d-9");
  BOOST_TEST(ledger.Find("c")->variant_id == "a");
  BOOST_TEST(ledger.Find("c")->clicked_at == 2000);
  BOOST_TEST(ledger.Find("c")->click_placement == "modal");
  other.RecordClicked("c", 4000, "d-9", "a", "banner");
  ledger.Merge(other);
  BOOST_TEST(ledger.Find("c")->clicked_at == 4000);
  BOOST_TEST(ledger.Find("c")->click_decision_id == "d-9");
}

BOOST_AUTO_TEST_CASE(an_older_ledger_still_converts_by_event_with_the_current_bucket) {
  const Json rules = Ruleset({Campaign("x", EventTrigger("Go"), {{"conversion", {{"event", "Signed Up"}}}})});
  CoreHarness h;
  h.storage["caps"] = R"({"v":1,"global":["",0,-1],"campaigns":{"x":[1,0,1,"",1,)" + std::to_string(kStart) +
                      R"(,-1,-1]}})";
  h.Init(Config(rules));
  h.Track("Signed Up");
  const auto converted = Named(Sent(h), "Offer Converted");
  BOOST_TEST_REQUIRE(converted.size() == 1u);
  BOOST_TEST(converted[0]["properties"]["variant_id"] == "default");
  BOOST_TEST(converted[0]["properties"].count("decision_id") == 0u);
  BOOST_TEST(converted[0]["properties"]["attribution"] == "decision");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace parcours::testing
