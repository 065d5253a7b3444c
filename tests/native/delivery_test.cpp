// Delivery results: success empties the batch, retryable failures back off (with jitter and
// Retry-After as a floor), other 4xx drop with a log, attempts are capped and counted.
#include <boost/test/unit_test.hpp>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

// Inits, tracks one event and flushes; returns the batch id in flight.
std::string OneBatchInFlight(CoreHarness& h, Json config = DefaultConfig()) {
  h.Init(config);
  h.Track("A");
  const auto sends = Effects(h.Flush(), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  return sends[0]["batchId"];
}

Json WithAttempts(int attempts) {
  Json config = DefaultConfig();
  config["maxAttempts"] = attempts;
  config["retryBaseMs"] = 1000;
  config["retryMaxMs"] = 8000;
  return config;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(delivery)

BOOST_AUTO_TEST_CASE(success_clears_the_batch_and_persists) {
  CoreHarness h;
  const std::string id = OneBatchInFlight(h);
  const Json out = h.Delivered(id, 200);
  BOOST_TEST(out["ok"] == true);
  BOOST_TEST(out["queue"]["inFlight"] == 0);
  const auto persists = Effects(out, "persist");
  BOOST_TEST_REQUIRE(persists.size() == 1u);
  BOOST_TEST(Json::parse(persists[0]["value"].get<std::string>())["queue"].empty());
}

BOOST_AUTO_TEST_CASE(backoff_grows_exponentially_within_jitter_bounds) {
  CoreHarness h;
  std::string id = OneBatchInFlight(h, WithAttempts(20));
  // Equal jitter: attempt n waits between half and all of min(base * 2^(n-1), max).
  const Millis expected_cap[] = {1000, 2000, 4000, 8000, 8000};
  for (Millis cap : expected_cap) {
    const Json out = h.Delivered(id, 503);
    BOOST_TEST(out["queue"]["retrying"] == true);
    const auto schedules = Effects(out, "schedule");
    BOOST_TEST_REQUIRE(schedules.size() == 1u);
    const Millis wait = schedules[0]["at"].get<Millis>() - h.now;
    BOOST_TEST(wait >= cap / 2);
    BOOST_TEST(wait <= cap);
    h.now += wait - 1;
    BOOST_TEST(Effects(h.Tick(), "send").empty());  // Not a millisecond early.
    h.now += 1;
    const auto sends = Effects(h.Tick(), "send");
    BOOST_TEST_REQUIRE(sends.size() == 1u);
    id = sends[0]["batchId"];
  }
}

// Regression: a failed batch waited for a whole new flush interval instead of its backoff.
BOOST_AUTO_TEST_CASE(retry_comes_after_the_backoff_not_the_flush_interval) {
  CoreHarness h;
  Json config = WithAttempts(10);
  config["flushIntervalMs"] = 600000;
  const std::string id = OneBatchInFlight(h, config);
  const auto schedules = Effects(h.Delivered(id, 503), "schedule");
  BOOST_TEST_REQUIRE(schedules.size() == 1u);
  BOOST_TEST(schedules[0]["at"].get<Millis>() - h.now <= 1000);
}

BOOST_AUTO_TEST_CASE(retry_after_is_a_floor_for_the_next_attempt) {
  CoreHarness h;
  const std::string id = OneBatchInFlight(h);
  const Json out = h.Delivered(id, 429, {{"retryAfterMs", 30000}});
  const auto schedules = Effects(out, "schedule");
  BOOST_TEST_REQUIRE(schedules.size() == 1u);
  BOOST_TEST(schedules[0]["at"] == h.now + 30000);
}

BOOST_AUTO_TEST_CASE(network_errors_and_408_are_retried) {
  for (int status : {0, 408, 500, 502}) {
    CoreHarness h;
    const std::string id = OneBatchInFlight(h);
    const Json out = h.Delivered(id, status);
    BOOST_TEST(out["queue"]["pending"] == 1);
    BOOST_TEST(out["queue"]["retrying"] == true);
  }
}

BOOST_AUTO_TEST_CASE(other_4xx_drop_the_batch_with_an_error_log) {
  CoreHarness h;
  const std::string id = OneBatchInFlight(h);
  const Json out = h.Delivered(id, 400, {{"error", "batch[0].messageId must be a string"}});
  BOOST_TEST(out["queue"]["pending"] == 0);
  const auto logs = Effects(out, "log");
  BOOST_TEST_REQUIRE(logs.size() == 1u);
  BOOST_TEST(logs[0]["level"] == "error");
  BOOST_TEST(logs[0]["message"].get<std::string>().find("messageId must be a string") != std::string::npos);
  const Json stats = h.Send({{"type", "stats"}})["result"];
  BOOST_TEST(stats["dropped"]["rejected"] == 1);
}

BOOST_AUTO_TEST_CASE(events_are_dropped_and_counted_after_max_attempts) {
  CoreHarness h;
  std::string id = OneBatchInFlight(h, WithAttempts(3));
  for (int attempt = 1; attempt < 3; ++attempt) {
    h.Delivered(id, 500);
    h.now += 60000;
    const auto sends = Effects(h.Tick(), "send");
    BOOST_TEST_REQUIRE(sends.size() == 1u);
    id = sends[0]["batchId"];
  }
  const Json out = h.Delivered(id, 500);
  BOOST_TEST(out["queue"]["pending"] == 0);
  const Json stats = h.Send({{"type", "stats"}})["result"];
  BOOST_TEST(stats["dropped"]["maxAttempts"] == 1);
  BOOST_TEST(stats["retries"] == 3);
}

BOOST_AUTO_TEST_CASE(unknown_batch_result_is_an_error_and_changes_nothing) {
  CoreHarness h;
  OneBatchInFlight(h);
  const Json out = h.Delivered("b999", 200);
  BOOST_TEST(out["ok"] == false);
  BOOST_TEST(out["error"]["code"] == "delivery.unknown_batch");
  BOOST_TEST(out["queue"]["inFlight"] == 1);
}

BOOST_AUTO_TEST_CASE(full_queue_drops_oldest_and_counts_it) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxQueueEvents", 2}, {"maxBatchEvents", 10}, {"flushIntervalMs", 60000}});
  h.Track("A");
  h.Track("B");
  const Json out = h.Track("C");
  BOOST_TEST(out["queue"]["pending"] == 2);
  BOOST_TEST(Effects(out, "log").size() == 1u);
  BOOST_TEST(h.Send({{"type", "stats"}})["result"]["dropped"]["queueFull"] == 1);
}

BOOST_AUTO_TEST_SUITE_END()
