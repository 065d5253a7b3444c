// The persisted form of the core's state, written incrementally so a call costs O(1)
// storage work however long the queue: a small "state" entry (identity, counters) besides
// the queue's chunks (queue_store.h). A reload, crash or closed tab resumes delivery from
// them on the next page load.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "parcours/error.h"
#include "parcours/event_builder.h"
#include "parcours/outbox.h"
#include "parcours/queue_store.h"

namespace parcours {

inline constexpr int kSnapshotVersion = 1;
inline constexpr char kStateKey[] = "state";
inline constexpr char kSessionKey[] = "session";
inline constexpr char kCartKey[] = "cart";

struct StoredState {
  Identity identity;
  DeliveryStats stats;
};

std::string EncodeState(const Identity& identity, const DeliveryStats& stats);
Result<StoredState> DecodeState(const std::string& text);

}  // namespace parcours
