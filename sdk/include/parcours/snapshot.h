// The persisted form of the core's state (identity, unconfirmed events, counters), so a
// reload, crash or closed tab resumes delivery on the next page load.
#pragma once

#include <string>
#include <vector>

#include "parcours/error.h"
#include "parcours/event_builder.h"
#include "parcours/outbox.h"

namespace parcours {

inline constexpr int kSnapshotVersion = 1;

struct Snapshot {
  Identity identity;
  std::vector<QueuedEvent> events;
  DeliveryStats stats;
  size_t skipped_events = 0;  // Entries that were unreadable and left out.
};

std::string EncodeSnapshot(const Identity& identity, const Outbox& outbox);
// An unreadable snapshot is an error (the caller starts fresh and says so); an unreadable
// entry inside a readable one is skipped alone, so one bad event never costs the others.
Result<Snapshot> DecodeSnapshot(const std::string& text);

}  // namespace parcours
