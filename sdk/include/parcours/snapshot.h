// The persisted form of the core's state, written incrementally so a call costs O(1)
// storage work however long the queue: a small "state" entry (identity, counters) and one
// "q:<messageId>" entry per unconfirmed event. A reload, crash or closed tab resumes
// delivery from them on the next page load.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "parcours/error.h"
#include "parcours/event_builder.h"
#include "parcours/outbox.h"

namespace parcours {

inline constexpr int kSnapshotVersion = 1;
inline constexpr char kStateKey[] = "state";
inline constexpr char kSessionKey[] = "session";
inline constexpr char kCartKey[] = "cart";
inline constexpr char kQueueKeyPrefix[] = "q:";

struct StoredState {
  Identity identity;
  DeliveryStats stats;
};

std::string QueueKey(const std::string& message_id);

std::string EncodeState(const Identity& identity, const DeliveryStats& stats);
Result<StoredState> DecodeState(const std::string& text);

std::string EncodeQueueEntry(const QueuedEvent& event);
Result<QueuedEvent> DecodeQueueEntry(const std::string& text);

struct RestoredQueue {
  std::vector<QueuedEvent> events;        // In send order: oldest first.
  std::vector<std::string> corrupt_keys;  // Unreadable entries, to be removed from storage.
};

// Reads every "q:" entry the shell found; one unreadable entry never costs the others.
RestoredQueue RestoreQueue(const std::map<std::string, std::string>& stored);

}  // namespace parcours
