// Drives a Core through the JSON protocol, exactly as the WASM shell does, with a clock the
// test moves by hand.
#pragma once

#include <boost/test/unit_test.hpp>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "parcours/core.h"
#include "parcours/json_protocol.h"

namespace parcours::testing {

inline constexpr Millis kStart = 1'763'800'000'000;  // 2025-11-22T08:26:40Z

inline Json DefaultConfig() {
  return {{"writeKey", "wk_test"}, {"host", "http://127.0.0.1:9"}, {"maxBatchEvents", 3}, {"flushIntervalMs", 1000}};
}

class CoreHarness {
 public:
  Millis now = kStart;
  // What a shell would hold in localStorage: every persist and remove effect is applied.
  std::map<std::string, std::string> storage;

  Json Send(Json input) {
    input["now"] = now;
    return SendText(input.dump());
  }
  // An input written by hand (key order, escapes), `now` included.
  Json SendText(const std::string& input) {
    Json output = Json::parse(HandleJson(*core_, input));
    for (const Json& effect : output["effects"]) {
      if (effect["type"] == "persist") storage[effect["key"]] = effect["value"];
      if (effect["type"] == "remove") storage.erase(effect["key"].get<std::string>());
    }
    return output;
  }
  // Initializes from `storage`, as a shell does on page load.
  Json Init(Json config = DefaultConfig(), Json context = Json::object()) {
    Json input = {{"type", "init"}, {"config", config}, {"seed", {1, 2, 3, 4}}, {"context", context}};
    Json queue = Json::object();
    for (const auto& [key, value] : storage) {
      static const std::set<std::string> kEntries = {"state", "session", "cart",   "rules",
                                                      "rulesChecked", "caps", "profile"};
      if (kEntries.count(key)) input[key] = value;
      if (key.rfind("q:", 0) == 0) queue[key] = value;
    }
    input["queue"] = queue;
    return Send(input);
  }
  // A new page load: a fresh core over the same storage.
  CoreHarness Reload(Millis later) const {
    CoreHarness next;
    next.storage = storage;
    next.now = now + later;
    return next;
  }
  Json Track(const std::string& event, Json properties = Json::object()) {
    return Send({{"type", "track"}, {"event", event}, {"properties", properties}});
  }
  Json Tick() { return Send({{"type", "tick"}}); }
  Json Flush() { return Send({{"type", "flush"}}); }
  Json Delivered(const std::string& batch_id, int status, Json extra = Json::object()) {
    Json input = {{"type", "delivered"}, {"batchId", batch_id}, {"status", status}};
    input.update(extra);
    return Send(input);
  }

 private:
  std::unique_ptr<Core> core_ = std::make_unique<Core>("0.0.0-test");
};

// The effects of one output that have the given type, in order.
inline std::vector<Json> Effects(const Json& output, const std::string& type) {
  std::vector<Json> found;
  for (const Json& effect : output["effects"]) {
    if (effect["type"] == type) found.push_back(effect);
  }
  return found;
}

// Events a shell would hold in storage, in its "q:" chunks.
inline size_t StoredEvents(const CoreHarness& h) {
  size_t count = 0;
  for (const auto& [key, value] : h.storage) {
    if (key.rfind("q:", 0) == 0) count += Json::parse(value)["events"].size();
  }
  return count;
}

// The "q:" chunks a shell would hold.
inline size_t StoredChunks(const CoreHarness& h) {
  size_t count = 0;
  for (const auto& [key, value] : h.storage) count += key.rfind("q:", 0) == 0;
  return count;
}

// The events inside a send effect's body.
inline Json BatchEvents(const Json& send_effect);

// Flushes and returns the events of the one batch that goes.
inline std::vector<Json> FlushedEvents(CoreHarness& h) {
  std::vector<Json> events;
  const auto sends = Effects(h.Flush(), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  for (const Json& event : BatchEvents(sends[0])) events.push_back(event);
  return events;
}

// The events inside a send effect's body.
inline Json BatchEvents(const Json& send_effect) {
  return Json::parse(send_effect["body"].get<std::string>())["batch"];
}

}  // namespace parcours::testing
