// Persistence: unconfirmed events (in flight included) survive a reload with their ids;
// corrupt stored state is discarded with a warning, never a crash.
#include <boost/test/unit_test.hpp>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

std::string LastPersisted(const Json& output) {
  const auto persists = Effects(output, "persist");
  BOOST_TEST_REQUIRE(!persists.empty());
  return persists.back()["value"];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot)

BOOST_AUTO_TEST_CASE(reload_resumes_unconfirmed_events_with_their_ids) {
  CoreHarness first;
  const std::string anonymous_id = first.Init()["result"]["anonymousId"];
  const std::string a = first.Track("A")["result"]["messageId"];
  first.Flush();  // "A" is now in flight: a reload must not lose it.
  const Json tracked = first.Track("B");
  const std::string b = tracked["result"]["messageId"];
  const std::string stored = LastPersisted(tracked);

  CoreHarness second;
  second.now = first.now + 5000;
  const Json init = second.Init(DefaultConfig(), stored);
  BOOST_TEST(init["result"]["anonymousId"] == anonymous_id);
  const auto sends = Effects(init, "send");  // Restored events go out at once.
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  const Json events = BatchEvents(sends[0]);
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0]["messageId"] == a);
  BOOST_TEST(events[1]["messageId"] == b);
}

BOOST_AUTO_TEST_CASE(corrupt_snapshot_is_discarded_with_a_warning) {
  for (const std::string& corrupt : {std::string("{{{"), std::string("[]"), std::string(R"({"v":99})")}) {
    CoreHarness h;
    const Json init = h.Init(DefaultConfig(), corrupt);
    BOOST_TEST(init["ok"] == true);
    const auto logs = Effects(init, "log");
    BOOST_TEST_REQUIRE(logs.size() == 1u);
    BOOST_TEST(logs[0]["level"] == "warn");
    BOOST_TEST(logs[0]["message"].get<std::string>().find("state.corrupt_snapshot") != std::string::npos);
    BOOST_TEST(h.Track("A")["ok"] == true);
  }
}

BOOST_AUTO_TEST_CASE(one_unreadable_entry_does_not_cost_the_others) {
  CoreHarness first;
  first.Init();
  first.Track("A");
  Json stored = Json::parse(LastPersisted(first.Track("B")));
  stored["queue"][0] = {{"garbage", true}};
  CoreHarness second;
  const Json init = second.Init(DefaultConfig(), stored.dump());
  BOOST_TEST(Effects(init, "log").size() == 1u);
  BOOST_TEST(init["queue"]["pending"].get<int>() + init["queue"]["inFlight"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(stats_survive_a_reload) {
  CoreHarness first;
  first.Init();
  first.Track("A");
  const std::string id = Effects(first.Flush(), "send")[0]["batchId"];
  const std::string stored = LastPersisted(first.Delivered(id, 200));
  CoreHarness second;
  second.Init(DefaultConfig(), stored);
  BOOST_TEST(second.Send({{"type", "stats"}})["result"]["delivered"] == 1);
}

BOOST_AUTO_TEST_SUITE_END()
