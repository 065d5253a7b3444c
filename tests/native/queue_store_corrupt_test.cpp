// Stored queue chunks can be edited by hand, truncated by a full quota or written by another
// version: a v3 chunk that does not read is refused whole with a corrupt_snapshot error
// naming what is wrong, and no input makes the decoder crash.
#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core_harness.h"
#include "parcours/queue_store.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

const char kEvent[] = R"({"type":"track","event":"E","messageId":"m-1"})";
const char kEnvelope[] = R"({"anonymousId":"a"})";

// A v3 chunk around `entries` (the text inside "events":[...]).
std::string Chunk(const std::string& entries, const std::string& header = R"("at":1000,"seq":0)",
                  const std::string& envelopes = kEnvelope) {
  return R"({"v":3,)" + header + R"(,"events":[)" + entries + R"(],"envelopes":[)" + envelopes + "]}";
}

std::string Nested(int depth) {
  std::string value = "1";
  for (int i = 0; i < depth; ++i) value = "[" + value + "]";
  return R"({"type":"track","properties":{"deep":)" + value + R"(},"messageId":"m-1"})";
}

void CheckCorrupt(const std::string& text, const std::string& expected) {
  BOOST_TEST_CONTEXT(text) {
    const Result<std::vector<QueuedEvent>> decoded = DecodeChunk("q:m-1", text);
    BOOST_TEST_REQUIRE(!decoded.ok());
    BOOST_TEST(ErrorId(decoded.error().code) == std::string("state.corrupt_snapshot"));
    BOOST_TEST(decoded.error().message.find("state.corrupt_snapshot") != std::string::npos);
    BOOST_TEST(decoded.error().message.find(expected) != std::string::npos, decoded.error().message);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(queue_store_corrupt)

BOOST_AUTO_TEST_CASE(the_valid_chunk_the_cases_start_from_reads) {
  const Result<std::vector<QueuedEvent>> decoded = DecodeChunk("q:m-1", Chunk(kEvent));
  BOOST_TEST_REQUIRE(decoded.ok());
  BOOST_TEST(decoded.value()[0].enqueued_at == 1000);
}

BOOST_AUTO_TEST_CASE(a_chunk_without_its_header_is_refused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"v":4,"at":1000,"seq":0,"events":[],"envelopes":[]})", "unknown version"},
      {R"({"v":"3","at":1000,"seq":0,"events":[],"envelopes":[]})", "unknown version"},
      {Chunk(kEvent, R"("seq":0)"), "lacks its base time or sequence"},
      {Chunk(kEvent, R"("at":1000)"), "lacks its base time or sequence"},
      {Chunk(kEvent, R"("at":-1,"seq":0)"), "lacks its base time or sequence"},
      {Chunk(kEvent, R"("at":9007199254741000,"seq":0)"), "lacks its base time or sequence"},
      {Chunk(kEvent, R"("at":"1000","seq":0)"), "lacks its base time or sequence"},
      {Chunk(kEvent, R"("at":1000,"seq":1.5)"), "lacks its base time or sequence"},
      {R"({"v":3,"at":1000,"seq":0,"events":{},"envelopes":[]})", "lacks its events or envelopes"},
      {R"({"v":3,"at":1000,"seq":0,"events":[]})", "lacks its events or envelopes"},
      {Chunk(kEvent, R"("at":1000,"seq":0)", "1"), "unreadable envelope"},
      {Chunk(kEvent, R"("at":1000,"seq":0)", Nested(41)), "unreadable envelope"},
  };
  for (const auto& [text, expected] : cases) CheckCorrupt(text, expected);
}

BOOST_AUTO_TEST_CASE(an_unreadable_entry_is_refused) {
  const std::string event = kEvent;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("x")", "unreadable event"},
      {"[]", "unreadable event"},
      {"[" + event + ",0,{},1]", "unreadable event"},
      {"[5]", "unreadable event"},
      {R"({"type":"track"})", "unreadable event"},
      {R"({"type":"track","messageId":5})", "unreadable event"},
      {Nested(41), "unreadable event"},
      {"[" + Nested(41) + ",1]", "unreadable event"},
      {"[" + event + R"(,"1"])", "unreadable time"},
      {"[" + event + ",1.5]", "unreadable time"},
      {"[" + event + ",null]", "unreadable time"},
      {"[" + event + ",9007199254741000]", "unreadable time"},
      {"[" + event + ",-1001]", "time out of range"},
      {"[" + event + ",9007199254740000]", "time out of range"},
      {"[" + event + ",0,[]]", "unreadable counters"},
      {"[" + event + R"(,0,{"seq":-1}])", "unreadable counters"},
      {"[" + event + R"(,0,{"seq":null}])", "unreadable counters"},
      {"[" + event + R"(,0,{"attempts":1001}])", "unreadable counters"},
      {"[" + event + R"(,0,{"attempts":0.5}])", "unreadable counters"},
      {"[" + event + R"(,0,{"env":1}])", "unreadable counters"},
      {"[" + event + R"(,0,{"env":-2}])", "unreadable counters"},
      {"[" + event + R"(,0,{"env":"0"}])", "unreadable counters"},
  };
  for (const auto& [entry, expected] : cases) CheckCorrupt(Chunk(entry), expected);
  // One bad entry costs its whole chunk, whatever came before it.
  CheckCorrupt(Chunk(event + ",[5]"), "unreadable event");
}

BOOST_AUTO_TEST_CASE(implied_counters_out_of_range_are_refused) {
  // Envelope 0 is implied, but the chunk has none.
  CheckCorrupt(Chunk(kEvent, R"("at":1000,"seq":0)", ""), "counters out of range");
  // The sequence after the last exact integer.
  const std::string event = kEvent;
  CheckCorrupt(Chunk(event + "," + event, R"("at":1000,"seq":9007199254740992)"), "counters out of range");
}

BOOST_AUTO_TEST_CASE(no_truncation_or_stray_byte_crashes_the_decoder) {
  std::string text = Chunk(std::string(kEvent) + "," + R"([{"type":"page","messageId":"m-2"},-3,{"seq":9,"attempts":1,"env":-1}])");
  BOOST_TEST_REQUIRE(DecodeChunk("q:m-1", text).ok());
  size_t refused = 0;
  for (size_t length = 0; length < text.size(); ++length) {
    const Result<std::vector<QueuedEvent>> decoded = DecodeChunk("q:m-1", text.substr(0, length));
    refused += !decoded.ok();
  }
  BOOST_TEST(refused == text.size());  // A cut chunk is never valid JSON.
  for (size_t at = 0; at < text.size(); ++at) {
    for (const char stray : std::string("[]{}\",:-09n")) {
      std::string mutated = text;
      mutated[at] = stray;
      const Result<std::vector<QueuedEvent>> decoded = DecodeChunk("q:m-1", mutated);
      if (!decoded.ok()) BOOST_TEST(ErrorId(decoded.error().code) == std::string("state.corrupt_snapshot"));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_corrupt_v3_chunk_is_removed_on_load_and_the_others_delivered) {
  CoreHarness first;
  first.Init();
  first.Track("A");
  const std::string b = first.Track("B")["result"]["messageId"];
  first.storage["q:bad"] = Chunk("[" + std::string(kEvent) + ",0,{\"env\":7}]");
  CoreHarness second = first.Reload(10);
  const Json init = second.Init();
  BOOST_TEST(second.storage.count("q:bad") == 0u);
  const auto logs = Effects(init, "log");
  BOOST_TEST_REQUIRE(logs.size() == 1u);
  BOOST_TEST(logs[0]["message"].get<std::string>().find("1 unreadable stored queue entries") != std::string::npos);
  const Json events = BatchEvents(Effects(init, "send")[0]);
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[1]["messageId"] == b);
}

BOOST_AUTO_TEST_SUITE_END()
