// What the shell hands the core: one call, timer or delivery result, always with the time.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "parcours/iso_time.h"
#include "parcours/json_access.h"
#include "parcours/outbox.h"

namespace parcours {

struct InitInput {
  Json options;                    // Config, parsed and checked by the core.
  std::array<uint32_t, 4> seed{};  // From crypto.getRandomValues.
  Json context = Json::object();   // What the shell collected about page and device.
  std::string state;                // The stored "state" entry, "" when there is none.
  std::map<std::string, std::string> queue;  // Every stored "q:<messageId>" entry.
  bool leader = true;  // false: another tab may be delivering; wait for a LeadInput.
};
// This tab now delivers the shared queue (or no longer does); `queue` is every stored
// "q:" entry, read when the tab took the lead.
struct LeadInput {
  bool leader = true;
  std::map<std::string, std::string> queue;
};
// Queue entries another tab stored ("storage" events), or removed.
struct AdoptInput {
  std::map<std::string, std::string> queue;
};
struct ForgetInput {
  std::vector<std::string> keys;
};
// navigator.onLine changed (the "online" / "offline" events).
struct NetworkInput {
  bool online = true;
};
struct TrackInput {
  Json event;  // Raw, so the core can say what was wrong with it.
  Json properties;
};
struct PageInput {
  Json name;
  Json properties;
};
struct ContextInput {
  Json context;  // Replaces the ambient context, e.g. after an SPA navigation.
};
struct FlushInput {};
struct UnloadInput {};  // The page is being hidden or left: send everything now.
struct TickInput {};  // A timer the core scheduled has fired.
struct DeliveredInput {
  DeliveryResult result;
};
struct StatsInput {};

using Command =
    std::variant<InitInput, TrackInput, PageInput, ContextInput, FlushInput, UnloadInput, TickInput, DeliveredInput,
                 StatsInput, LeadInput, AdoptInput, ForgetInput, NetworkInput>;

struct Input {
  Millis now = 0;
  Command command;
};

}  // namespace parcours
