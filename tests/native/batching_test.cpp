// Batches leave when they reach maxBatchEvents or maxBatchBytes, when the oldest event has
// waited flushIntervalMs, or on flush() — and not before.
#include <boost/test/unit_test.hpp>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

BOOST_AUTO_TEST_SUITE(batching)

BOOST_AUTO_TEST_CASE(batch_is_sent_when_it_reaches_max_events) {
  CoreHarness h;
  h.Init();
  BOOST_TEST(Effects(h.Track("A"), "send").empty());
  h.now += 10;
  BOOST_TEST(Effects(h.Track("B"), "send").empty());
  h.now += 10;
  const Json out = h.Track("C");
  const auto sends = Effects(out, "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  BOOST_TEST(sends[0]["events"] == 3);
  BOOST_TEST(sends[0]["url"] == "http://127.0.0.1:9/v1/batch");
  const Json events = BatchEvents(sends[0]);
  BOOST_TEST(events[0]["event"] == "A");
  BOOST_TEST(events[2]["event"] == "C");
  BOOST_TEST(out["queue"]["inFlight"] == 3);
}

BOOST_AUTO_TEST_CASE(batch_is_sent_when_the_flush_interval_elapses) {
  CoreHarness h;
  h.Init();
  const Json first = h.Track("A");
  const auto schedules = Effects(first, "schedule");
  BOOST_TEST_REQUIRE(schedules.size() == 1u);
  BOOST_TEST(schedules[0]["at"] == kStart + 1000);

  h.now = kStart + 999;  // A timer firing early must not send.
  BOOST_TEST(Effects(h.Tick(), "send").empty());
  h.now = kStart + 1000;
  const auto sends = Effects(h.Tick(), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  BOOST_TEST(sends[0]["events"] == 1);
}

BOOST_AUTO_TEST_CASE(early_tick_rearms_the_timer) {
  CoreHarness h;
  h.Init();
  h.Track("A");
  h.now = kStart + 500;
  const auto schedules = Effects(h.Tick(), "schedule");
  BOOST_TEST_REQUIRE(schedules.size() == 1u);
  BOOST_TEST(schedules[0]["at"] == kStart + 1000);
}

BOOST_AUTO_TEST_CASE(flush_sends_at_once_and_drains_batch_by_batch) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 2}, {"flushIntervalMs", 60000}});
  h.Track("A");
  const auto second = Effects(h.Track("B"), "send");  // Full batch of 2 goes at once.
  BOOST_TEST_REQUIRE(second.size() == 1u);
  h.Track("C");
  const Json flushed = h.Flush();
  BOOST_TEST(Effects(flushed, "send").empty());  // One batch in flight at a time keeps order.
  const auto next = Effects(h.Delivered(second[0]["batchId"], 200), "send");
  BOOST_TEST_REQUIRE(next.size() == 1u);
  BOOST_TEST(BatchEvents(next[0])[0]["event"] == "C");
  const Json idle = h.Delivered(next[0]["batchId"], 200);
  BOOST_TEST(idle["queue"]["pending"] == 0);
  BOOST_TEST(idle["queue"]["inFlight"] == 0);
}

BOOST_AUTO_TEST_CASE(batch_respects_max_batch_bytes) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 100}, {"maxBatchBytes", 8192}, {"flushIntervalMs", 60000}});
  const std::string blob(2000, 'x');
  std::vector<Json> sends;
  for (int i = 0; i < 4 && sends.empty(); ++i) sends = Effects(h.Track("E", {{"blob", blob}}), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  BOOST_TEST(sends[0]["body"].get<std::string>().size() <= 8192u);
  BOOST_TEST(sends[0]["events"].get<int>() >= 1);
}

BOOST_AUTO_TEST_CASE(batch_bodies_are_segment_batches) {
  CoreHarness h;
  h.Init();
  h.Track("A");
  h.now += 1000;
  const auto sends = Effects(h.Tick(), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  const Json body = Json::parse(sends[0]["body"].get<std::string>());
  BOOST_TEST(body["sentAt"] == "2025-11-22T08:26:41.000Z");
  BOOST_TEST(body["writeKey"] == "wk_test");
  BOOST_TEST(body["batch"].is_array());
}

BOOST_AUTO_TEST_SUITE_END()
