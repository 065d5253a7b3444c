// What the shell hands the core: one call, timer or delivery result, always with the time.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <variant>

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
                 StatsInput>;

struct Input {
  Millis now = 0;
  Command command;
};

}  // namespace parcours
