// The context document as conditions read it (core_context.cpp): members the core answers
// without building their section (the cart's totals, the traits, the event's properties)
// read exactly as the built section does, before and after the section is built in the same
// evaluation.
#include <boost/test/unit_test.hpp>

#include <set>

#include "decision_fixtures.h"

namespace parcours::testing {
namespace {

BOOST_AUTO_TEST_SUITE(context_document)

// Each campaign has its own placement, so all that match are shown; "after" campaigns run
// once a campaign read the whole section (arbitration order is ruleset order here).
Json MemberCampaigns() {
  auto on = [](const std::string& id, Json conditions) {
    return Campaign(id, EventTrigger("Cart Viewed"), {{"placement", id}, {"conditions", std::move(conditions)}});
  };
  return Ruleset({
      on("value", {{"cart.value", 42.5}}),
      on("quantity", {{"cart.quantity", 3}}),
      on("itemCount", {{"cart.itemCount", {{"$eq", 2}}}}),
      on("idle", {{"cart.idleSeconds", 7}}),
      on("traits", {{"user.traits.tier", "gold"}}),
      on("traitsObject", {{"user.traits", {{"tier", "gold"}}}}),
      on("property", {{"event.properties.tag", "c-9"}}),
      on("propertyMissing", {{"event.properties.nothing", {{"$exists", false}}}}),
      on("missingTotal", {{"cart.nothing", {{"$exists", false}}}}),
      on("wrong", {{"cart.value", {{"$gt", 1000}}}}),
      // Whole sections: the cart's lines, the user's counters and ids.
      on("items", {{"cart.items.1.product_id", "p2"}, {"user.anonymousId", {{"$exists", true}}}}),
      on("valueAfter", {{"cart.value", 42.5}, {"cart.quantity", 3}, {"cart.idleSeconds", 7}}),
      on("traitsAfter", {{"user.traits.tier", "gold"}, {"event.properties.tag", "c-9"}}),
  });
}

BOOST_AUTO_TEST_CASE(members_answered_without_their_section_read_as_the_section_does) {
  for (bool debug : {false, true}) {
    CoreHarness h;
    h.Init(DecisionConfig(MemberCampaigns(), {{"debug", debug}}));
    h.Send({{"type", "identify"}, {"userId", "u1"}, {"traits", {{"tier", "gold"}}}});
    h.Track("Product Added", Product("p1", 30));
    Json second = Product("p2", 6.25);
    second["quantity"] = 2;
    h.Track("Product Added", second);
    h.now += 7000;
    const Json out = h.Track("Cart Viewed", {{"tag", "c-9"}});
    std::set<std::string> shown;
    for (const Json& decision : Shown(out)) shown.insert(decision["campaign"]["id"].get<std::string>());
    const std::set<std::string> expected = {"value", "quantity", "itemCount", "idle", "traits", "traitsObject",
                                            "property", "propertyMissing", "missingTotal", "items", "valueAfter",
                                            "traitsAfter"};
    for (const std::string& id : expected) BOOST_TEST(shown.count(id) == 1u, id << " (debug " << debug << ")");
    BOOST_TEST(shown.size() == expected.size());
    if (debug) {  // The explanation quotes the value the member read.
      bool explained = false;
      for (const Json& effect : Effects(out, "log")) {
        explained |= effect.dump().find("cart.value $gt 1000 failed (value: 42.5)") != std::string::npos;
      }
      BOOST_TEST(explained, out.dump());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace parcours::testing
