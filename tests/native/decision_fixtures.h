// Rulesets and helpers shared by the decision engine's native tests.
#pragma once

#include <string>
#include <vector>

#include "core_harness.h"

namespace parcours::testing {

// A campaign with sensible defaults; tests override what they are about.
inline Json Campaign(const std::string& id, Json trigger, Json extra = Json::object()) {
  Json campaign = {{"id", id},
                   {"name", "Campaign " + id},
                   {"placement", "modal"},
                   {"trigger", std::move(trigger)},
                   {"content", {{"title", "Offer " + id}}}};
  campaign.update(extra);
  return campaign;
}

inline Json Ruleset(Json campaigns, Json extra = Json::object()) {
  Json ruleset = {{"format", 1}, {"revision", "r1"}, {"campaigns", std::move(campaigns)}};
  ruleset.update(extra);
  return ruleset;
}

inline Json EventTrigger(const std::string& event) { return {{"type", "event"}, {"event", event}}; }

// Config with an inline ruleset and no fetching, so tests decide without a network.
inline Json DecisionConfig(const Json& ruleset, Json extra = Json::object()) {
  Json config = DefaultConfig();
  config["rules"] = ruleset;
  config["rulesUrl"] = false;
  config["maxBatchEvents"] = 100;
  config.update(extra);
  return config;
}

// The decisions shown by one output.
inline std::vector<Json> Shown(const Json& output) {
  std::vector<Json> decisions;
  for (const Json& effect : Effects(output, "show")) decisions.push_back(effect["decision"]);
  return decisions;
}

inline Json Product(const std::string& id, double price, const std::string& name = "Linen shirt") {
  return {{"product_id", id}, {"name", name}, {"price", price}, {"quantity", 1}, {"currency", "EUR"}};
}

// Every event a flush sends, by name.
inline std::vector<Json> FlushedNamed(CoreHarness& h, const std::string& name) {
  std::vector<Json> found;
  for (const Json& effect : Effects(h.Flush(), "send")) {
    for (const Json& event : BatchEvents(effect)) {
      if (event.value("event", "") == name) found.push_back(event);
    }
  }
  return found;
}

}  // namespace parcours::testing
