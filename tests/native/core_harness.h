// Drives a Core through the JSON protocol, exactly as the WASM shell does, with a clock the
// test moves by hand.
#pragma once

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

  Json Send(Json input) {
    input["now"] = now;
    return Json::parse(HandleJson(core_, input.dump()));
  }
  Json Init(Json config = DefaultConfig(), const std::string& snapshot = "", Json context = Json::object()) {
    Json input = {{"type", "init"}, {"config", config}, {"seed", {1, 2, 3, 4}}, {"context", context}};
    if (!snapshot.empty()) input["snapshot"] = snapshot;
    return Send(input);
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
  Core core_{"0.0.0-test"};
};

// The effects of one output that have the given type, in order.
inline std::vector<Json> Effects(const Json& output, const std::string& type) {
  std::vector<Json> found;
  for (const Json& effect : output["effects"]) {
    if (effect["type"] == type) found.push_back(effect);
  }
  return found;
}

// The events inside a send effect's body.
inline Json BatchEvents(const Json& send_effect) {
  return Json::parse(send_effect["body"].get<std::string>())["batch"];
}

}  // namespace parcours::testing
