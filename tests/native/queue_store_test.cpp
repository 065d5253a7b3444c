// The stored queue chunk: what a burst costs in storage characters, v3 round trips of
// everything its entries do not imply, and v2 chunks still read after an upgrade (corrupt
// chunks: queue_store_corrupt_test.cpp; v1 entries: snapshot_test.cpp).
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "core_harness.h"
#include "parcours/queue_store.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

// The 8-property event of the bench's burst (bench/pages/burst.html).
Json ProductAdded() {
  return {{"type", "track"},
          {"event", "Product Added"},
          {"properties",
           {{"product_id", "sku-42"},
            {"sku", "LIN-SHIRT-M-BLUE"},
            {"name", "Linen shirt"},
            {"price", 49.5},
            {"currency", "EUR"},
            {"quantity", 1},
            {"category", "Shirts"},
            {"url", "https://shop.example.com/p/sku-42"}}}};
}

// One input of `count` Product Added calls, as the shell batches a burst: one chunk.
std::string BurstChunk(CoreHarness& h, int count) {
  Json calls = Json::array();
  for (int i = 0; i < count; ++i) {
    Json call = ProductAdded();
    call["now"] = h.now;
    calls.push_back(call);
  }
  const auto persists = Effects(h.Send({{"type", "calls"}, {"calls", calls}}), "persist");
  for (const Json& persist : persists) {
    if (persist["key"].get<std::string>().rfind("q:", 0) == 0) return persist["value"];
  }
  return "";
}

using Envelope = std::shared_ptr<const std::string>;

Envelope MakeEnvelope(const std::string& anonymous_id) {
  return std::make_shared<const std::string>("\"anonymousId\":\"" + anonymous_id + "\",\"context\":{\"locale\":\"fr\"}");
}

// A queued event as the core holds it: its own members, messageId last.
QueuedEvent MakeEvent(const std::string& id, Millis at, uint64_t sequence, int attempts, Envelope envelope) {
  QueuedEvent event;
  event.members = "\"type\":\"track\",\"event\":\"E " + id + "\",\"properties\":{\"n\":1},\"messageId\":\"" + id + "\"";
  event.id_length = static_cast<uint32_t>(id.size());
  event.enqueued_at = at;
  event.sequence = sequence;
  event.attempts = attempts;
  event.envelope = std::move(envelope);
  return event;
}

// Encodes, checks that the chunk is JSON, decodes, and checks every field came back.
Json RoundTrip(const std::vector<QueuedEvent>& events) {
  std::vector<const QueuedEvent*> pointers;
  for (const QueuedEvent& event : events) pointers.push_back(&event);
  const std::string text = EncodeChunk(pointers);
  BOOST_TEST_REQUIRE(Json::accept(text));
  const std::string key = ChunkKey(events.front().message_id());
  const Result<std::vector<QueuedEvent>> decoded = DecodeChunk(key, text);
  BOOST_TEST_REQUIRE(decoded.ok());
  BOOST_TEST_REQUIRE(decoded.value().size() == events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const QueuedEvent& before = events[i];
    const QueuedEvent& after = decoded.value()[i];
    BOOST_TEST_CONTEXT("event " << i) {
      BOOST_TEST(after.message_id() == before.message_id());
      BOOST_TEST(Json::parse("{" + after.members + "}") == Json::parse("{" + before.members + "}"));
      BOOST_TEST(after.enqueued_at == before.enqueued_at);
      BOOST_TEST(after.sequence == before.sequence);
      BOOST_TEST(after.attempts == before.attempts);
      BOOST_TEST_REQUIRE(!after.envelope == !before.envelope);
      if (before.envelope) BOOST_TEST(*after.envelope == *before.envelope);
      BOOST_TEST_REQUIRE(after.chunk);
      BOOST_TEST(*after.chunk == key);
      // One envelope held once in memory again, not once per event.
      if (i > 0 && before.envelope && before.envelope == events[i - 1].envelope) {
        BOOST_TEST(after.envelope == decoded.value()[i - 1].envelope);
      }
    }
  }
  return Json::parse(text);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(queue_store)

BOOST_AUTO_TEST_CASE(a_burst_of_product_added_costs_its_events_and_little_more) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 1000}, {"flushIntervalMs", 60000}});
  const std::string chunk = BurstChunk(h, 250);
  BOOST_TEST_REQUIRE(!chunk.empty());
  BOOST_TEST_MESSAGE("chunk of 250 Product Added: " << chunk.size() << " characters, "
                                                    << chunk.size() / 250.0 << " per event");
  // localStorage writes cost per character: beyond the events and their envelopes, about a
  // comma per event (v2 spent ~60 on times and counters that a burst shares).
  const Json parsed = Json::parse(chunk);
  size_t content = 0;
  for (const Json& entry : parsed["events"]) content += entry.dump().size();
  for (const Json& envelope : parsed["envelopes"]) content += envelope.dump().size();
  BOOST_TEST(chunk.size() - content < 2 * 250u);
}

BOOST_AUTO_TEST_CASE(a_v3_chunk_round_trips_what_its_entries_do_not_imply) {
  const Envelope a = MakeEnvelope("anon-a"), b = MakeEnvelope("anon-b");
  const std::vector<QueuedEvent> events = {
      MakeEvent("id-0", kStart, 5, 2, a),       // Failed twice: the chunk's first entry states it.
      MakeEvent("id-1", kStart, 6, 2, a),       // Implied by the first: a bare event.
      MakeEvent("id-2", kStart + 3, 9, 0, b),   // Later, a gap in sequence, another envelope.
      MakeEvent("id-3", kStart - 10, 10, 0, a),  // Earlier than the previous (a requeued event).
      MakeEvent("id-4", kStart - 10, 11, 0, nullptr),  // Restored from a v1 entry.
      MakeEvent("id-5", kStart - 10, 12, 0, nullptr),
      MakeEvent("id-6", kStart - 10, 13, 0, a),
  };
  const Json chunk = RoundTrip(events);
  BOOST_TEST(chunk["v"] == 3);
  BOOST_TEST(chunk["at"] == kStart);
  BOOST_TEST(chunk["seq"] == 5);
  BOOST_TEST(chunk["envelopes"].size() == 2u);
  const Json& entries = chunk["events"];
  BOOST_TEST(entries[0] == Json::parse(R"([{"type":"track","event":"E id-0","properties":{"n":1},"messageId":"id-0"},0,{"attempts":2}])"));
  BOOST_TEST(entries[1].is_object());
  BOOST_TEST(entries[2][1] == 3);
  BOOST_TEST(entries[2][2] == Json({{"seq", 9}, {"attempts", 0}, {"env", 1}}));
  BOOST_TEST(entries[3][1] == -13);
  BOOST_TEST(entries[3][2] == Json({{"env", 0}}));
  BOOST_TEST(entries[4][2] == Json({{"env", -1}}));
  BOOST_TEST(entries[5].is_object());
}

BOOST_AUTO_TEST_CASE(a_chunk_that_starts_without_an_envelope_states_it) {
  const Envelope a = MakeEnvelope("anon-a");
  const Json chunk = RoundTrip({MakeEvent("id-0", kStart, 0, 0, nullptr), MakeEvent("id-1", kStart, 1, 0, a)});
  BOOST_TEST(chunk["events"][0][2] == Json({{"env", -1}}));
  const Json alone = RoundTrip({MakeEvent("id-0", kStart, 0, 1, nullptr), MakeEvent("id-1", kStart + 1, 1, 1, nullptr)});
  BOOST_TEST(alone["envelopes"].empty());
}

BOOST_AUTO_TEST_CASE(a_burst_is_stored_as_bare_events) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"maxBatchEvents", 1000}, {"flushIntervalMs", 60000}});
  h.Track("Session Start");  // The session's first event has an envelope of its own ("isNew").
  const Json chunk = Json::parse(BurstChunk(h, 20));
  BOOST_TEST_REQUIRE(chunk["events"].size() == 20u);
  for (const Json& entry : chunk["events"]) BOOST_TEST(entry.is_object());
}

// Stored by the previous version: an upgrade must deliver it, then store it as v3.
const char kV2Chunk[] =
    R"({"v":2,"events":[{"at":1763800000000,"seq":7,"attempts":0,"env":0,)"
    R"("event":{"type":"track","event":"Product Added","properties":{"sku":"a","price":49.5},)"
    R"("messageId":"11111111-1111-4111-8111-111111111111"}},)"
    R"({"at":1763800000002,"seq":8,"attempts":2,"env":0,"event":{"type":"track","event":"Cart Viewed",)"
    R"("messageId":"22222222-2222-4222-8222-222222222222"}}],)"
    R"("envelopes":[{"anonymousId":"anon-1","context":{"library":{"name":"parcours","version":"0.0.9"}}}]})";
const char kV2Key[] = "q:11111111-1111-4111-8111-111111111111";

BOOST_AUTO_TEST_CASE(a_v2_chunk_still_decodes_to_the_same_events) {
  const Result<std::vector<QueuedEvent>> decoded = DecodeChunk(kV2Key, kV2Chunk);
  BOOST_TEST_REQUIRE(decoded.ok());
  const std::vector<QueuedEvent>& events = decoded.value();
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0].message_id() == "11111111-1111-4111-8111-111111111111");
  BOOST_TEST(Json::parse("{" + events[0].members + "}") ==
             Json::parse(R"({"type":"track","event":"Product Added","properties":{"sku":"a","price":49.5},)"
                         R"("messageId":"11111111-1111-4111-8111-111111111111"})"));
  BOOST_TEST(events[0].enqueued_at == kStart);
  BOOST_TEST(events[0].sequence == 7u);
  BOOST_TEST(events[0].attempts == 0);
  BOOST_TEST(events[1].message_id() == "22222222-2222-4222-8222-222222222222");
  BOOST_TEST(events[1].enqueued_at == kStart + 2);
  BOOST_TEST(events[1].sequence == 8u);
  BOOST_TEST(events[1].attempts == 2);
  BOOST_TEST_REQUIRE(events[0].envelope);
  BOOST_TEST(events[0].envelope == events[1].envelope);
  BOOST_TEST(Json::parse("{" + *events[0].envelope + "}")["anonymousId"] == "anon-1");
  BOOST_TEST(*events[1].chunk == kV2Key);
}

BOOST_AUTO_TEST_CASE(a_v2_chunk_is_delivered_after_an_upgrade_and_rewritten_as_v3) {
  CoreHarness h;
  h.storage[kV2Key] = kV2Chunk;
  const auto sends = Effects(h.Init(), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  const Json events = BatchEvents(sends[0]);
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0]["properties"]["price"] == 49.5);
  BOOST_TEST(events[0]["timestamp"] == "2025-11-22T08:26:40.000Z");
  BOOST_TEST(events[1]["timestamp"] == "2025-11-22T08:26:40.002Z");
  BOOST_TEST(events[1]["anonymousId"] == "anon-1");
  BOOST_TEST(events[1]["context"]["library"]["version"] == "0.0.9");
  h.Delivered(sends[0]["batchId"], 500);  // Retried: the chunk is rewritten with its attempts.
  const Json chunk = Json::parse(h.storage.at(kV2Key));
  BOOST_TEST(chunk["v"] == 3);
  const Result<std::vector<QueuedEvent>> decoded = DecodeChunk(kV2Key, h.storage.at(kV2Key));
  BOOST_TEST_REQUIRE(decoded.ok());
  BOOST_TEST_REQUIRE(decoded.value().size() == 2u);
  BOOST_TEST(decoded.value()[0].attempts == 1);
  BOOST_TEST(decoded.value()[1].attempts == 3);
  BOOST_TEST(decoded.value()[1].sequence == 8u);
  BOOST_TEST(decoded.value()[1].enqueued_at == kStart + 2);
}

BOOST_AUTO_TEST_SUITE_END()
