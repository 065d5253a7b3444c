// Encoding of the state and queue entries by concatenation (events are already JSON),
// decoding with the non-throwing parser.
#include "parcours/snapshot.h"

#include <algorithm>
#include <utility>

#include "parcours/json_access.h"

namespace parcours {
namespace {

// Events were built from properties at most kMaxPropertiesDepth (32) deep, plus their
// envelope; storage can be edited by hand, and a hostile depth must not reach dump()'s recursion.
constexpr size_t kMaxStoredEventDepth = 40;

uint64_t ReadCounter(const Json& stats, const char* key) {
  int64_t value = 0;
  return FindInteger(stats, key, 0, INT64_C(1) << 53, &value) ? static_cast<uint64_t>(value) : 0;
}

Error Corrupt(const std::string& what, const char* path = "") {
  return MakeError(ErrorCode::kCorruptSnapshot, what, path);
}

}  // namespace

std::string QueueKey(const std::string& message_id) { return kQueueKeyPrefix + message_id; }

std::string EncodeState(const Identity& identity, const DeliveryStats& stats) {
  return "{\"v\":" + std::to_string(kSnapshotVersion) + ",\"identity\":{\"anonymousId\":" +
         QuoteJson(identity.anonymous_id) + ",\"userId\":" + QuoteJson(identity.user_id) +
         ",\"traits\":" + DumpJson(identity.traits) + "},\"stats\":{\"delivered\":" + std::to_string(stats.delivered) +
         ",\"retries\":" + std::to_string(stats.retries) +
         ",\"droppedRejected\":" + std::to_string(stats.dropped_rejected) +
         ",\"droppedMaxAttempts\":" + std::to_string(stats.dropped_max_attempts) +
         ",\"droppedQueueFull\":" + std::to_string(stats.dropped_queue_full) +
         ",\"droppedExpired\":" + std::to_string(stats.dropped_expired) +
         ",\"droppedConsent\":" + std::to_string(stats.dropped_consent) + "}}";
}

Result<StoredState> DecodeState(const std::string& text) {
  const Json root = Json::parse(text, nullptr, false);
  int64_t version = 0;
  if (root.is_discarded() || !root.is_object()) return Corrupt("stored state is not a JSON object");
  if (!FindInteger(root, "v", 1, 1000, &version) || version != kSnapshotVersion) {
    return Corrupt("stored state has an unknown version", "v");
  }
  StoredState state;
  if (const Json* identity = Find(root, "identity")) {
    if (const std::string* id = FindString(*identity, "anonymousId")) state.identity.anonymous_id = *id;
    if (const std::string* id = FindString(*identity, "userId")) state.identity.user_id = *id;
    const Json* traits = Find(*identity, "traits");
    if (traits && traits->is_object() && NestingDepth(*traits, kMaxStoredEventDepth) <= kMaxStoredEventDepth) {
      state.identity.traits = *traits;
    }
  }
  if (const Json* stats = Find(root, "stats")) {
    state.stats.delivered = ReadCounter(*stats, "delivered");
    state.stats.retries = ReadCounter(*stats, "retries");
    state.stats.dropped_rejected = ReadCounter(*stats, "droppedRejected");
    state.stats.dropped_max_attempts = ReadCounter(*stats, "droppedMaxAttempts");
    state.stats.dropped_queue_full = ReadCounter(*stats, "droppedQueueFull");
    state.stats.dropped_expired = ReadCounter(*stats, "droppedExpired");
    state.stats.dropped_consent = ReadCounter(*stats, "droppedConsent");
  }
  return state;
}

std::string EncodeQueueEntry(const QueuedEvent& event) {
  return "{\"at\":" + std::to_string(event.enqueued_at) + ",\"seq\":" + std::to_string(event.sequence) +
         ",\"attempts\":" + std::to_string(event.attempts) + ",\"event\":" + event.json + "}";
}

Result<QueuedEvent> DecodeQueueEntry(const std::string& text) {
  const Json entry = Json::parse(text, nullptr, false);
  const Json* event = Find(entry, "event");
  const std::string* message_id = event ? FindString(*event, "messageId") : nullptr;
  int64_t at = 0, sequence = 0, attempts = 0;
  if (!message_id || !FindInteger(entry, "at", 0, INT64_C(1) << 53, &at)) {
    return Corrupt("stored queue entry lacks an event with a messageId, or its time");
  }
  if (NestingDepth(*event, kMaxStoredEventDepth) > kMaxStoredEventDepth) {
    return Corrupt("stored queue entry is nested too deeply");
  }
  FindInteger(entry, "seq", 0, INT64_C(1) << 53, &sequence);
  FindInteger(entry, "attempts", 0, 1000, &attempts);
  QueuedEvent queued{*message_id, DumpJson(*event), at, static_cast<int>(attempts)};
  queued.sequence = static_cast<uint64_t>(sequence);
  return queued;
}

RestoredQueue RestoreQueue(const std::map<std::string, std::string>& stored) {
  RestoredQueue restored;
  for (const auto& [key, value] : stored) {
    if (key.rfind(kQueueKeyPrefix, 0) != 0) continue;
    Result<QueuedEvent> event = DecodeQueueEntry(value);
    // An entry stored under another event's key was tampered with; sending it could double it.
    if (!event.ok() || QueueKey(event.value().message_id) != key) {
      restored.corrupt_keys.push_back(key);
      continue;
    }
    restored.events.push_back(std::move(event.value()));
  }
  std::sort(restored.events.begin(), restored.events.end(), [](const QueuedEvent& a, const QueuedEvent& b) {
    return a.enqueued_at != b.enqueued_at ? a.enqueued_at < b.enqueued_at : a.sequence < b.sequence;
  });
  return restored;
}

}  // namespace parcours
