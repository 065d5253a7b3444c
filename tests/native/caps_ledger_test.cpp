// The cap ledger as the decision engine reads it: by campaign index, found again whenever
// an entry is added or removed (layout), another tab's counts merge in, or a new ruleset
// moves the campaigns to other indices.
#include <boost/test/unit_test.hpp>

#include "decision_fixtures.h"
#include "parcours/rules/caps.h"

namespace parcours::testing {
namespace {

BOOST_AUTO_TEST_SUITE(caps_ledger)

BOOST_AUTO_TEST_CASE(the_layout_changes_with_entries_and_between_ledgers_only) {
  rules::CapLedger ledger;
  const rules::CapPeriod period{"s1", 10};
  const uint64_t empty = ledger.layout();
  ledger.RecordShown("a", period, 1000);
  const uint64_t one = ledger.layout();
  BOOST_TEST(one != empty);
  const rules::CampaignCounts* a = ledger.Find("a");
  ledger.RecordShown("a", period, 2000);  // an update: same entries, same layout, live counts
  ledger.RecordDismissed("a", 2500);
  BOOST_TEST(ledger.layout() == one);
  BOOST_TEST(ledger.Find("a") == a);
  BOOST_TEST(a->lifetime == 2);
  BOOST_TEST(a->dismissed_at == 2500);
  ledger.RecordConverted("b", 3000);  // a new entry
  BOOST_TEST(ledger.layout() != one);
  rules::CapLedger copy = ledger;
  BOOST_TEST(copy.layout() != ledger.layout());
  rules::CapLedger moved = std::move(copy);
  BOOST_TEST(moved.layout() != ledger.layout());
  BOOST_TEST(moved.Find("a")->lifetime == 2);
  const uint64_t before = ledger.layout();
  ledger = moved;
  BOOST_TEST(ledger.layout() != before);
  BOOST_TEST(ledger.layout() != moved.layout());
}

// Campaigns on one trigger, each its own placement: the engine's counts by campaign index
// must follow a reordered ruleset (new indices) and another tab's merge (a new entry).
BOOST_AUTO_TEST_CASE(caps_follow_their_campaign_through_ledger_and_ruleset_changes) {
  auto rules = [](bool reversed) {
    Json campaigns = Json::array();
    for (int i = 0; i < 6; ++i) {
      const std::string n = std::to_string(reversed ? 5 - i : i);
      campaigns.push_back(Campaign("c" + n, EventTrigger("Go"),
                                   {{"placement", "slot" + n}, {"caps", {{"lifetime", 2}, {"dismissCooldownDays", 1}}}}));
    }
    campaigns.push_back(Campaign("x", EventTrigger("Other"), {{"placement", "x"}, {"caps", {{"lifetime", 1}}}}));
    return Ruleset(campaigns);
  };
  auto shown = [](const Json& out) {
    std::set<std::string> ids;
    for (const Json& decision : Shown(out)) ids.insert(decision["campaign"]["id"].get<std::string>());
    return ids;
  };
  auto report = [](CoreHarness& h, const Json& out, const std::set<std::string>& dismissed) {
    for (const Json& decision : Shown(out)) {
      const bool dismiss = dismissed.count(decision["campaign"]["id"].get<std::string>()) > 0;
      h.Send({{"type", "offer"}, {"decisionId", decision["id"]}, {"action", dismiss ? "dismissed" : "closed"}});
    }
  };
  CoreHarness h, other;
  h.Init(DecisionConfig(rules(false)));
  other.Init(DecisionConfig(rules(false)));
  Json out = h.Track("Go");
  BOOST_TEST(shown(out).size() == 6u);
  report(h, out, {"c0", "c1"});  // cooling down from now
  // Reordered: each campaign keeps its own counts, not those of its old index.
  h.Send({{"type", "rules"}, {"ruleset", rules(true)}});
  out = h.Track("Go");
  BOOST_TEST((shown(out) == std::set<std::string>{"c2", "c3", "c4", "c5"}));
  report(h, out, {});
  BOOST_TEST(shown(h.Track("Go")).empty());  // lifetime 2 reached, or cooling down
  // Another tab showed x: merged in as a new entry, it caps x here.
  BOOST_TEST(shown(other.Track("Other")).size() == 1u);
  h.Send({{"type", "stored"}, {"key", "caps"}, {"value", other.storage.at("caps")}});
  BOOST_TEST(shown(h.Track("Other")).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace parcours::testing
