// What the core asks the shell to do. The shell carries effects out in order and reports
// back with inputs (e.g. a DeliveredInput for every SendEffect).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "parcours/error.h"
#include "parcours/iso_time.h"
#include "parcours/json_access.h"

namespace parcours {

struct SendEffect {
  std::string batch_id;
  std::string url;
  std::string body;  // Ready-to-POST JSON: the shell does not parse or re-serialize it.
  size_t event_count = 0;
  bool unload = false;  // Sent while the page goes away: must use keepalive or a beacon.
};
struct PersistEffect {
  std::string key;
  std::string value;
};
struct RemoveEffect {
  std::string key;
};
struct ScheduleEffect {
  Millis at = -1;  // Wake the core with a TickInput at this time; -1 cancels the timer.
};
struct LogEffect {
  std::string level;  // "debug", "info", "warn" or "error"
  std::string message;
};

// Render this decision (an offer for a placement). `decision` is ready-to-use JSON: id,
// campaign, variant, placement, content (plain text: the renderer escapes it), explanation.
struct ShowEffect {
  std::string decision;
};
// GET the ruleset, with If-None-Match when there is an ETag; answer with a RulesInput.
struct FetchRulesEffect {
  std::string url;
  std::string etag;
};

using Effect =
    std::variant<SendEffect, PersistEffect, RemoveEffect, ScheduleEffect, LogEffect, ShowEffect, FetchRulesEffect>;

struct QueueState {
  size_t pending = 0;
  size_t in_flight = 0;
  bool retrying = false;  // Pending events wait for a backoff timer.
  bool paused = false;    // Nothing can be sent now: no consent, offline, or another tab delivers.
};

// The answer to one call of a batch: its messageId, or why it was refused.
struct CallOutcome {
  std::string message_id;
  std::optional<Error> error;
};

struct Output {
  std::vector<Effect> effects;
  std::optional<Error> error;  // The call was refused; nothing else changed.
  Json result;                 // The call's answer, e.g. {"anonymousId": ...}.
  std::string message_id;      // The event a call queued: written as result.messageId.
  std::optional<std::vector<CallOutcome>> results;  // A batch of calls: one per call.
  std::optional<QueueState> queue;  // Absent when the input never reached an initialized core.
};

inline void AddLog(Output* out, const char* level, std::string message) {
  out->effects.emplace_back(LogEffect{level, std::move(message)});
}

}  // namespace parcours
