// Leaving the page sends everything pending at once in keepalive-sized batches, and events
// that could not be delivered within maxEventAgeMs are dropped, counted and unstored.
#include <boost/test/unit_test.hpp>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

Json LongInterval() {
  return {{"writeKey", "k"}, {"maxBatchEvents", 500}, {"maxBatchBytes", 256 * 1024}, {"flushIntervalMs", 600000}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(unload_and_age)

BOOST_AUTO_TEST_CASE(unload_sends_all_pending_in_keepalive_sized_batches) {
  CoreHarness h;
  h.Init(LongInterval());
  const std::string blob(2000, 'x');
  for (int i = 0; i < 60; ++i) h.Track("E", {{"blob", blob}});  // ~150 KB pending.
  const Json out = h.Send({{"type", "unload"}});
  const auto sends = Effects(out, "send");
  BOOST_TEST_REQUIRE(sends.size() >= 3u);
  size_t events = 0;
  for (const Json& send : sends) {
    BOOST_TEST(send["unload"] == true);
    BOOST_TEST(send["body"].get<std::string>().size() <= 64u * 1024);
    events += send["events"].get<size_t>();
  }
  BOOST_TEST(events == 60u);
  BOOST_TEST(out["queue"]["pending"] == 0);
  BOOST_TEST(StoredEvents(h) == 60u);  // Still stored until a collector confirms them.
}

BOOST_AUTO_TEST_CASE(unload_does_not_wait_for_a_batch_in_flight_or_a_backoff) {
  CoreHarness h;
  h.Init(LongInterval());
  h.Track("A");
  const std::string first = Effects(h.Flush(), "send")[0]["batchId"];
  h.Track("B");
  const auto during_flight = Effects(h.Send({{"type", "unload"}}), "send");
  BOOST_TEST_REQUIRE(during_flight.size() == 1u);
  BOOST_TEST(BatchEvents(during_flight[0])[0]["event"] == "B");
  // Each batch is confirmed on its own, in any order.
  BOOST_TEST(h.Delivered(during_flight[0]["batchId"], 200)["ok"] == true);
  const Json failed = h.Delivered(first, 503);
  BOOST_TEST(failed["queue"]["retrying"] == true);
  const auto during_backoff = Effects(h.Send({{"type", "unload"}}), "send");
  BOOST_TEST_REQUIRE(during_backoff.size() == 1u);
  BOOST_TEST(BatchEvents(during_backoff[0])[0]["event"] == "A");
}

BOOST_AUTO_TEST_CASE(events_past_max_age_are_dropped_counted_and_unstored) {
  CoreHarness h;
  Json config = DefaultConfig();
  config["maxEventAgeMs"] = 60000;
  config["retryBaseMs"] = 120000;  // The first retry comes after the event has expired.
  config["retryMaxMs"] = 120000;
  h.Init(config);
  h.Track("Old");
  const std::string id = Effects(h.Flush(), "send")[0]["batchId"];
  const auto schedules = Effects(h.Delivered(id, 500), "schedule");
  BOOST_TEST_REQUIRE(schedules.size() == 1u);
  BOOST_TEST(schedules[0]["at"].get<Millis>() <= kStart + 60001);  // Woken to expire it.
  h.now = kStart + 60001;
  const Json out = h.Tick();
  BOOST_TEST(out["queue"]["pending"] == 0);
  BOOST_TEST(Effects(out, "send").empty());
  BOOST_TEST(Effects(out, "remove").size() == 1u);
  BOOST_TEST(Effects(out, "log").size() == 1u);
  BOOST_TEST(h.Send({{"type", "stats"}})["result"]["dropped"]["expired"] == 1);
  BOOST_TEST(StoredEvents(h) == 0u);
}

BOOST_AUTO_TEST_CASE(stored_events_past_max_age_are_dropped_on_the_next_load) {
  CoreHarness first;
  first.Init(LongInterval());
  first.Track("Stale");
  CoreHarness later = first.Reload(8LL * 24 * 3600 * 1000);  // Default max age is 7 days.
  const Json init = later.Init(LongInterval());
  BOOST_TEST(Effects(init, "send").empty());
  BOOST_TEST(later.Send({{"type", "stats"}})["result"]["dropped"]["expired"] == 1);
  BOOST_TEST(StoredEvents(later) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(offline)

BOOST_AUTO_TEST_CASE(offline_pauses_sending_and_online_resumes_at_once) {
  CoreHarness h;
  h.Init();
  h.Send({{"type", "network"}, {"online", false}});
  for (int i = 0; i < 5; ++i) BOOST_TEST(Effects(h.Track("While Offline"), "send").empty());
  h.now += 60000;
  BOOST_TEST(Effects(h.Tick(), "send").empty());
  const auto sends = Effects(h.Send({{"type", "network"}, {"online", true}}), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  BOOST_TEST(sends[0]["events"] == 3);  // maxBatchEvents of the test config; the rest follows.
  BOOST_TEST(h.Send({{"type", "network"}})["error"]["path"] == "online");
}

BOOST_AUTO_TEST_CASE(coming_online_cuts_a_backoff_short) {
  CoreHarness h;
  h.Init();
  h.Track("A");
  const std::string id = Effects(h.Flush(), "send")[0]["batchId"];
  h.Delivered(id, 0, {{"error", "Failed to fetch"}});
  h.Send({{"type", "network"}, {"online", false}});
  BOOST_TEST(Effects(h.Send({{"type", "network"}, {"online", true}}), "send").size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
