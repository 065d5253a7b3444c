// Loading rulesets: the format's checks, hostile input, and the fetch / cache / fallback
// cycle in which the last good ruleset keeps deciding.
#include <boost/test/unit_test.hpp>

#include <string>

#include "decision_fixtures.h"
#include "parcours/rules/ruleset.h"

namespace parcours::testing {
namespace {

constexpr Millis kSecond = 1000;

std::string ParseError(const Json& document) {
  auto parsed = rules::CompileRuleset(document);
  return parsed.ok() ? "" : parsed.error().message;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Json FetchingConfig() {
  Json config = DefaultConfig();
  config["maxBatchEvents"] = 100;
  return config;
}

BOOST_AUTO_TEST_SUITE(ruleset)

BOOST_AUTO_TEST_CASE(a_valid_ruleset_compiles_and_is_indexed_by_trigger) {
  auto parsed = rules::CompileRuleset(Ruleset({Campaign("a", EventTrigger("Product Added")),
                                               Campaign("b", {{"type", "cartIdle"}, {"seconds", 30}}, {{"priority", 3}})}));
  BOOST_TEST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed.value().campaigns[0].id == "b");  // Priority first.
  BOOST_TEST(parsed.value().by_event.at("Product Added").size() == 1u);
  BOOST_TEST(parsed.value().OfKind(rules::TriggerKind::kCartIdle).size() == 1u);
}

BOOST_AUTO_TEST_CASE(errors_name_the_offending_path) {
  BOOST_TEST(Contains(ParseError({{"campaigns", Json::array()}}), "format"));
  BOOST_TEST(Contains(ParseError(Ruleset(Json::object())), "campaigns: must be an array"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", {{"type", "teleport"}})})),
                      "campaigns.0.trigger.type: unknown trigger type"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", {{"type", "cartIdle"}})})), "campaigns.0.trigger.seconds"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x")), Campaign("a", EventTrigger("y"))})),
                      "campaigns.1.id: \"a\" is used twice"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"holdout", 1}})})), "campaigns.0.holdout"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"caps", {{"perDay", -2}}}})})),
                      "campaigns.0.caps.perDay"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"content", {{"html", "<script>"}}}})})),
                      "campaigns.0.content.html: unknown content field"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"content", {{"title", "{{cart.value"}}}})})),
                      "campaigns.0.content.title"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"schedule", {{"start", "tomorrow"}}}})})),
                      "campaigns.0.schedule.start"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"schedule", {{"weekdays", {0}}}}})})),
                      "campaigns.0.schedule.weekdays"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"governance", "no"}})})),
                      "campaigns.0.governance: must be true or false"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"governance", 0}})})),
                      "campaigns.0.governance"));
}

BOOST_AUTO_TEST_CASE(content_kinds_and_their_text_fields) {
  const Json form = {{"kind", "emailCapture"},
                     {"title", "10% off your first order"},
                     {"placeholder", "you@example.com"},
                     {"consent", "Email me offers, {{user.traits.first_name | default: \"friend\"}}"},
                     {"success", "Check your inbox"},
                     {"cta", "Subscribe"}};
  auto parsed = rules::CompileRuleset(Ruleset({Campaign("a", EventTrigger("x"), {{"content", form}}),
                                               Campaign("b", EventTrigger("x"), {{"content", {{"kind", "pushOptIn"}}}}),
                                               Campaign("c", EventTrigger("x"), {{"content", {{"kind", "offer"}}}}),
                                               Campaign("d", EventTrigger("x"))}));
  BOOST_TEST_REQUIRE(parsed.ok());
  const auto& campaigns = parsed.value().campaigns;
  BOOST_TEST((campaigns[0].variants[0].content.kind == rules::ContentKind::kEmailCapture));
  BOOST_TEST(campaigns[0].variants[0].content.fields.count("placeholder") == 1u);
  BOOST_TEST(campaigns[0].variants[0].content.fields.count("kind") == 0u);  // Not a template.
  BOOST_TEST((campaigns[1].variants[0].content.kind == rules::ContentKind::kPushOptIn));
  BOOST_TEST((campaigns[2].variants[0].content.kind == rules::ContentKind::kOffer));
  BOOST_TEST((campaigns[3].variants[0].content.kind == rules::ContentKind::kOffer));  // The default.

  Json campaigns_json = Json::array();
  for (int i = 0; i < 3; ++i) campaigns_json.push_back(Campaign("ok" + std::to_string(i), EventTrigger("x")));
  campaigns_json.push_back(Campaign("bad", EventTrigger("x"), {{"content", {{"kind", "popup"}}}}));
  BOOST_TEST(Contains(ParseError(Ruleset(campaigns_json)),
                      "campaigns.3.content.kind: must be \"offer\", \"emailCapture\" or \"pushOptIn\""));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"content", {{"kind", 1}}}})})),
                      "campaigns.0.content.kind: must be"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"content", {{"kind", "EmailCapture"}}}})})),
                      "campaigns.0.content.kind"));  // Case matters.
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"content", {{"placeholder", "{{x"}}}})})),
                      "campaigns.0.content.placeholder: [parcours.rules.invalid_template]"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"content", {{"consent", 3}}}})})),
                      "campaigns.0.content.consent"));
  BOOST_TEST(Contains(ParseError(Ruleset({Campaign("a", EventTrigger("x"), {{"content", {{"success", std::string(8193, 'x')}}}})})),
                      "campaigns.0.content.success"));
  Json variants = Campaign("v", EventTrigger("x"),
                           {{"variants", {{{"id", "a"}, {"content", {{"kind", "offer"}}}},
                                          {{"id", "b"}, {"content", {{"kind", "smsOptIn"}}}}}}});
  variants.erase("content");
  BOOST_TEST(Contains(ParseError(Ruleset({variants})), "campaigns.0.variants.1.content.kind"));
}

BOOST_AUTO_TEST_CASE(hostile_rulesets_are_refused_or_bounded) {
  // Nesting that would overflow a recursive parser on the WASM stack.
  std::string deep = "{\"format\":1,\"campaigns\":[" + std::string(100000, '[') + std::string(100000, ']') + "]}";
  auto parsed = rules::ParseRuleset(deep);
  BOOST_TEST_REQUIRE(!parsed.ok());
  BOOST_TEST(Contains(parsed.error().message, "nested deeper than"));
  // 10 MB.
  std::string huge = "{\"format\":1,\"campaigns\":[],\"padding\":\"" + std::string(10 * 1024 * 1024, 'x') + "\"}";
  parsed = rules::ParseRuleset(huge);
  BOOST_TEST_REQUIRE(!parsed.ok());
  BOOST_TEST(Contains(parsed.error().message, "over the limit"));
  // Truncated.
  const std::string valid = Ruleset({Campaign("a", EventTrigger("x"))}).dump();
  parsed = rules::ParseRuleset(valid.substr(0, valid.size() / 2));
  BOOST_TEST_REQUIRE(!parsed.ok());
  BOOST_TEST(Contains(parsed.error().message, "not valid JSON"));
  // A catastrophic regex compiles (bounded engine) and evaluates quickly to no match.
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("evil", {{"type", "event"}, {"event", "Search"},
                                                   {"where", {{"q", {{"$regex", "^(a+)+$"}}}}}})})));
  const Json out = h.Track("Search", {{"q", std::string(30000, 'a') + "b"}});
  BOOST_TEST(out["ok"] == true);
  BOOST_TEST(Shown(out).empty());
}

BOOST_AUTO_TEST_CASE(init_fetches_then_revalidates_with_the_etag) {
  CoreHarness h;
  const Json init = h.Init(FetchingConfig());
  auto fetches = Effects(init, "fetchRules");
  BOOST_TEST_REQUIRE(fetches.size() == 1u);
  BOOST_TEST(fetches[0]["url"] == "http://127.0.0.1:9/v1/decisions");
  BOOST_TEST(!fetches[0].contains("etag"));
  const std::string body = Ruleset({Campaign("a", EventTrigger("Go"))}).dump();
  Json loaded = h.Send({{"type", "rules"}, {"status", 200}, {"body", body}, {"etag", "\"v1\""}});
  BOOST_TEST(loaded["result"]["loaded"] == true);
  BOOST_TEST(Shown(h.Track("Go")).size() == 1u);
  // Not before the refresh interval (5 min by default).
  h.now += 60 * kSecond;
  BOOST_TEST(Effects(h.Tick(), "fetchRules").empty());
  h.now += 300 * kSecond;
  fetches = Effects(h.Tick(), "fetchRules");
  BOOST_TEST_REQUIRE(fetches.size() == 1u);
  BOOST_TEST(fetches[0]["etag"] == "\"v1\"");
  BOOST_TEST(h.Send({{"type", "rules"}, {"status", 304}})["ok"] == true);
  // The cached copy decides after a reload, without waiting for the network.
  CoreHarness next = h.Reload(kSecond);
  const Json again = next.Init(FetchingConfig());
  BOOST_TEST(again["result"]["rules"]["loaded"] == true);
  BOOST_TEST(Effects(again, "fetchRules").empty());  // Fetched a second ago: still fresh.
  BOOST_TEST(Shown(next.Track("Go")).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_bad_or_failed_fetch_keeps_the_last_good_ruleset_and_reports_once) {
  CoreHarness h;
  h.Init(FetchingConfig());
  h.Send({{"type", "rules"}, {"status", 200}, {"body", Ruleset({Campaign("a", EventTrigger("Go"))}).dump()}});
  const Json broken = h.Send({{"type", "rules"}, {"status", 200}, {"body", "{\"format\":1,\"campaigns\":[{\"id\":"}});
  BOOST_TEST(broken["result"]["loaded"] == false);
  const auto logs = Effects(broken, "log");
  BOOST_TEST_REQUIRE(logs.size() == 1u);
  BOOST_TEST(Contains(logs[0]["message"], "rules.invalid"));
  BOOST_TEST(Contains(logs[0]["message"], "previous ruleset"));
  // The same failure again is not logged again.
  const Json repeated = h.Send({{"type", "rules"}, {"status", 200}, {"body", "{\"format\":1,\"campaigns\":[{\"id\":"}});
  BOOST_TEST(Effects(repeated, "log").empty());
  const Json offline = h.Send({{"type", "rules"}, {"status", 0}, {"error", "Failed to fetch"}});
  BOOST_TEST(Effects(offline, "log").size() == 1u);
  BOOST_TEST(Effects(h.Send({{"type", "rules"}, {"status", 0}, {"error", "Failed to fetch"}}), "log").empty());
  BOOST_TEST(Shown(h.Track("Go")).size() == 1u);
  // The broken body was never stored: a reload still has the good one.
  CoreHarness next = h.Reload(kSecond);
  next.Init(FetchingConfig());
  BOOST_TEST(Shown(next.Track("Go")).size() == 1u);
}

BOOST_AUTO_TEST_CASE(inline_bootstrap_decides_until_the_network_answers) {
  CoreHarness h;
  Json config = FetchingConfig();
  config["rules"] = Ruleset({Campaign("boot", EventTrigger("Go"))});
  const Json init = h.Init(config);
  BOOST_TEST(init["result"]["rules"]["loaded"] == true);
  BOOST_TEST(Effects(init, "fetchRules").size() == 1u);
  auto shown = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "boot");
  h.Send({{"type", "offer"}, {"decisionId", shown[0]["id"]}, {"action", "closed"}});
  h.Send({{"type", "rules"}, {"status", 200}, {"body", Ruleset({Campaign("fresh", EventTrigger("Go"))}).dump()}});
  shown = Shown(h.Track("Go"));
  BOOST_TEST_REQUIRE(shown.size() == 1u);
  BOOST_TEST(shown[0]["campaign"]["id"] == "fresh");
}

BOOST_AUTO_TEST_CASE(a_page_loaded_ruleset_is_checked_like_any_other) {
  CoreHarness h;
  h.Init(DecisionConfig(Ruleset({Campaign("a", EventTrigger("Go"))})));
  const Json refused = h.Send({{"type", "rules"}, {"ruleset", {{"format", 2}}}});
  BOOST_TEST(refused["result"]["loaded"] == false);
  BOOST_TEST(Shown(h.Track("Go")).size() == 1u);
  const Json missing = h.Send({{"type", "rules"}});
  BOOST_TEST(missing["ok"] == false);
  BOOST_TEST(missing["error"]["code"] == "input.invalid");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace parcours::testing
