// Persistence: the events an input accepts are stored at once in one chunk, rewritten or
// removed as they are confirmed, so a call's storage work does not grow with the queue;
// unconfirmed events (in flight included) survive a reload with their ids; corrupt entries
// are discarded alone.
#include <boost/test/unit_test.hpp>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

BOOST_AUTO_TEST_SUITE(snapshot)

BOOST_AUTO_TEST_CASE(each_call_persists_only_its_own_event) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 1000}, {"flushIntervalMs", 60000}});
  for (int i = 0; i < 50; ++i) h.Track("E");
  const Json out = h.Track("Last");
  const auto persists = Effects(out, "persist");
  BOOST_TEST_REQUIRE(persists.size() == 1u);  // Not the 51 events queued so far.
  BOOST_TEST(persists[0]["key"] == "q:" + out["result"]["messageId"].get<std::string>());
  BOOST_TEST(StoredEvents(h) == 51u);
}

BOOST_AUTO_TEST_CASE(confirmed_events_are_removed_from_storage) {
  CoreHarness h;
  h.Init();
  h.Track("A");
  const std::string id = Effects(h.Flush(), "send")[0]["batchId"];
  const Json out = h.Delivered(id, 200);
  BOOST_TEST(Effects(out, "remove").size() == 1u);
  BOOST_TEST(StoredEvents(h) == 0u);
  BOOST_TEST(h.storage.count("state") == 1u);
}

BOOST_AUTO_TEST_CASE(reload_resumes_unconfirmed_events_with_their_ids) {
  CoreHarness first;
  const std::string anonymous_id = first.Init()["result"]["anonymousId"];
  const std::string a = first.Track("A")["result"]["messageId"];
  first.Flush();  // "A" is now in flight: a reload must not lose it.
  const std::string b = first.Track("B")["result"]["messageId"];

  CoreHarness second = first.Reload(5000);
  const Json init = second.Init();
  BOOST_TEST(init["result"]["anonymousId"] == anonymous_id);
  const auto sends = Effects(init, "send");  // Restored events go out at once.
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  const Json events = BatchEvents(sends[0]);
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0]["messageId"] == a);
  BOOST_TEST(events[1]["messageId"] == b);
}

BOOST_AUTO_TEST_CASE(events_of_one_millisecond_keep_their_order_across_a_reload) {
  CoreHarness first;
  first.Init({{"writeKey", "k"}, {"maxBatchEvents", 100}, {"flushIntervalMs", 60000}});
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(first.Track("Same Millisecond")["result"]["messageId"]);
  CoreHarness second = first.Reload(1);
  const Json events = BatchEvents(Effects(second.Init({{"writeKey", "k"}, {"maxBatchEvents", 100}}), "send")[0]);
  BOOST_TEST_REQUIRE(events.size() == ids.size());
  for (size_t i = 0; i < ids.size(); ++i) BOOST_TEST(events[i]["messageId"] == ids[i]);
}

BOOST_AUTO_TEST_CASE(corrupt_state_is_discarded_with_a_warning) {
  for (const std::string& corrupt : {std::string("{{{"), std::string("[]"), std::string(R"({"v":99})")}) {
    CoreHarness h;
    h.storage["state"] = corrupt;
    const Json init = h.Init();
    BOOST_TEST(init["ok"] == true);
    const auto logs = Effects(init, "log");
    BOOST_TEST_REQUIRE(logs.size() == 1u);
    BOOST_TEST(logs[0]["level"] == "warn");
    BOOST_TEST(logs[0]["message"].get<std::string>().find("state.corrupt_snapshot") != std::string::npos);
    BOOST_TEST(h.storage["state"] != corrupt);  // Rewritten with a fresh identity.
    BOOST_TEST(h.Track("A")["ok"] == true);
  }
}

BOOST_AUTO_TEST_CASE(one_unreadable_entry_is_removed_without_costing_the_others) {
  CoreHarness first;
  first.Init();
  const std::string a = first.Track("A")["result"]["messageId"];
  const std::string b = first.Track("B")["result"]["messageId"];
  first.storage["q:" + a] = "{\"at\":1,\"event\":tru";
  first.storage["q:copy"] = first.storage["q:" + b];  // The same event twice: sent once.
  CoreHarness second = first.Reload(10);
  const Json init = second.Init();
  BOOST_TEST(Effects(init, "log").size() == 1u);
  BOOST_TEST(Effects(init, "remove").size() == 1u);
  BOOST_TEST(second.storage.count("q:" + a) == 0u);
  const Json events = BatchEvents(Effects(init, "send")[0]);
  BOOST_TEST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0]["messageId"] == b);
}

BOOST_AUTO_TEST_CASE(a_v1_entry_under_another_events_key_is_discarded) {
  CoreHarness first;
  first.Init();
  const std::string a = first.Track("A")["result"]["messageId"];
  const Json chunk = Json::parse(first.storage["q:" + a]);
  // The v1 format: one event per entry, under its own messageId, with its whole context.
  Json event = chunk["events"][0];  // A v3 entry that implies its time is the event itself.
  event["timestamp"] = "2025-11-22T08:26:40.000Z";
  event.update(chunk["envelopes"][0]);
  first.storage.erase("q:" + a);
  first.storage["q:" + a] = Json({{"at", kStart}, {"seq", 0}, {"attempts", 0}, {"event", event}}).dump();
  first.storage["q:forged"] = first.storage["q:" + a];
  CoreHarness second = first.Reload(10);
  const Json init = second.Init();
  BOOST_TEST(Effects(init, "remove").size() == 1u);
  BOOST_TEST(second.storage.count("q:forged") == 0u);
  const Json events = BatchEvents(Effects(init, "send")[0]);
  BOOST_TEST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0]["messageId"] == a);
  BOOST_TEST(events[0]["timestamp"] == "2025-11-22T08:26:40.000Z");
  BOOST_TEST(events[0]["context"]["library"]["name"] == "parcours");
}

BOOST_AUTO_TEST_CASE(a_burst_of_calls_is_one_chunk_rewritten_as_its_events_are_confirmed) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 2}, {"flushIntervalMs", 60000}});
  Json calls = Json::array();
  for (int i = 0; i < 3; ++i) {
    calls.push_back({{"type", "track"}, {"now", h.now}, {"event", "E"}, {"properties", {{"i", i}}}});
  }
  const Json out = h.Send({{"type", "calls"}, {"calls", calls}});
  size_t chunk_writes = 0;
  for (const Json& persist : Effects(out, "persist")) chunk_writes += persist["key"].get<std::string>().rfind("q:", 0) == 0;
  BOOST_TEST(chunk_writes == 1u);
  BOOST_TEST(StoredChunks(h) == 1u);
  BOOST_TEST(StoredEvents(h) == 3u);
  const auto sends = Effects(out, "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  h.Delivered(sends[0]["batchId"], 200);
  BOOST_TEST(StoredChunks(h) == 1u);
  BOOST_TEST(StoredEvents(h) == 1u);  // Rewritten without the two confirmed.
  const auto last = Effects(h.Flush(), "send");
  BOOST_TEST_REQUIRE(last.size() == 1u);
  const Json done = h.Delivered(last[0]["batchId"], 200);
  BOOST_TEST(Effects(done, "remove").size() == 1u);
  BOOST_TEST(StoredChunks(h) == 0u);
}

BOOST_AUTO_TEST_CASE(attempts_and_stats_survive_a_reload) {
  CoreHarness first;
  Json config = DefaultConfig();
  config["maxAttempts"] = 2;
  first.Init(config);
  first.Track("A");
  first.Delivered(Effects(first.Flush(), "send")[0]["batchId"], 500);  // Attempt 1 of 2, stored.
  CoreHarness second = first.Reload(60000);
  const Json init = second.Init(config);
  const Json out = second.Delivered(Effects(init, "send")[0]["batchId"], 500);
  BOOST_TEST(out["queue"]["pending"] == 0);  // Attempt 2 of 2: dropped, not retried forever.
  const Json stats = second.Send({{"type", "stats"}})["result"];
  BOOST_TEST(stats["dropped"]["maxAttempts"] == 1);
  BOOST_TEST(stats["retries"] == 2);
  BOOST_TEST(StoredEvents(second) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
