// Several tabs share one stored queue and only the leader sends: a follower stores its
// events without sending, the leader adopts what other tabs store and followers forget what
// the leader confirmed; a new leader takes over everything stored, in flight included.
#include <boost/test/unit_test.hpp>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

Json TabConfig() { return {{"writeKey", "k"}, {"maxBatchEvents", 5}, {"flushIntervalMs", 1000}}; }

Json FollowerInit(CoreHarness& tab) {
  return tab.Send({{"type", "init"}, {"config", TabConfig()}, {"seed", {9, 9, 9, 9}}, {"leader", false}});
}

// What a "storage" event would hand the leader for the follower's newest entries.
Json NewEntries(const CoreHarness& from, const std::vector<std::string>& ids) {
  Json queue = Json::object();
  for (const std::string& id : ids) queue["q:" + id] = from.storage.at("q:" + id);
  return queue;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tabs)

BOOST_AUTO_TEST_CASE(a_follower_stores_but_never_sends) {
  CoreHarness follower;
  FollowerInit(follower);
  for (int i = 0; i < 12; ++i) BOOST_TEST(Effects(follower.Track("E"), "send").empty());
  follower.now += 60000;
  BOOST_TEST(Effects(follower.Tick(), "send").empty());
  BOOST_TEST(Effects(follower.Flush(), "send").empty());
  BOOST_TEST(StoredEvents(follower) == 12u);  // The leader will find them.
}

BOOST_AUTO_TEST_CASE(the_leader_adopts_a_followers_events_and_the_follower_forgets_them) {
  CoreHarness leader, follower;
  leader.Init(TabConfig());
  FollowerInit(follower);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(follower.Track("From Follower")["result"]["messageId"]);
  // Adopted events were due in their own tab: they go at once.
  const auto sends = Effects(leader.Send({{"type", "adopt"}, {"queue", NewEntries(follower, ids)}}), "send");
  const Json again = leader.Send({{"type", "adopt"}, {"queue", NewEntries(follower, ids)}});
  BOOST_TEST(again["queue"]["pending"] == 0);  // Seen twice: held once.
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  BOOST_TEST(sends[0]["events"] == 3);
  const Json confirmed = leader.Delivered(sends[0]["batchId"], 200);
  Json removed = Json::array();
  for (const Json& effect : Effects(confirmed, "remove")) removed.push_back(effect["key"]);
  BOOST_TEST(removed.size() == 3u);
  const Json forgot = follower.Send({{"type", "forget"}, {"keys", removed}});
  BOOST_TEST(forgot["queue"]["pending"] == 0);
  // Unloading now sends nothing twice.
  BOOST_TEST(Effects(follower.Send({{"type", "unload"}}), "send").empty());
}

BOOST_AUTO_TEST_CASE(a_follower_ignores_adoption_and_unloads_only_its_own_events) {
  CoreHarness leader, follower;
  leader.Init(TabConfig());
  const std::string leaders = leader.Track("Leader's")["result"]["messageId"];
  FollowerInit(follower);
  follower.Send({{"type", "adopt"}, {"queue", NewEntries(leader, {leaders})}});
  follower.Track("Follower's");
  const auto sends = Effects(follower.Send({{"type", "unload"}}), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  const Json events = BatchEvents(sends[0]);
  BOOST_TEST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0]["event"] == "Follower's");
}

BOOST_AUTO_TEST_CASE(a_new_leader_takes_over_everything_stored_including_what_was_in_flight) {
  CoreHarness old_leader;
  old_leader.Init(TabConfig());
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(old_leader.Track("Sent By Old Leader")["result"]["messageId"]);
  BOOST_TEST(StoredEvents(old_leader) == 5u);  // A full batch is in flight, still stored.
  // The old leader's tab closes mid-send. Another tab, a follower until now, takes the lead.
  CoreHarness follower;
  follower.storage = old_leader.storage;
  FollowerInit(follower);
  follower.now += 10;
  const std::string own = follower.Track("Follower's Own")["result"]["messageId"];
  Json stored = Json::object();
  for (const auto& [key, value] : follower.storage) {
    if (key.rfind("q:", 0) == 0) stored[key] = value;
  }
  const Json lead = follower.Send({{"type", "lead"}, {"leader", true}, {"queue", stored}});
  const auto sends = Effects(lead, "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  const Json events = BatchEvents(sends[0]);
  BOOST_TEST_REQUIRE(events.size() == 5u);
  for (size_t i = 0; i < 5; ++i) BOOST_TEST(events[i]["messageId"] == ids[i]);  // Oldest first.
  const auto next = Effects(follower.Delivered(sends[0]["batchId"], 200), "send");
  BOOST_TEST_REQUIRE(next.size() == 1u);
  BOOST_TEST(BatchEvents(next[0])[0]["messageId"] == own);
}

BOOST_AUTO_TEST_CASE(tab_inputs_are_validated) {
  CoreHarness h;
  h.Init(TabConfig());
  BOOST_TEST(h.Send({{"type", "lead"}})["error"]["path"] == "leader");
  BOOST_TEST(h.Send({{"type", "forget"}, {"keys", {1}}})["error"]["path"] == "keys");
  const Json corrupt = h.Send({{"type", "adopt"}, {"queue", {{"q:x", "{bad"}}}});
  BOOST_TEST(Effects(corrupt, "remove").size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
