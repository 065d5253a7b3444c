// Encoding by concatenation (events are already JSON strings), decoding with the
// non-throwing parser.
#include "parcours/snapshot.h"

#include <utility>

#include "parcours/json_access.h"

namespace parcours {
namespace {

// Events were built from properties at most kMaxPropertiesDepth deep, plus their envelope.
constexpr size_t kMaxStoredEventDepth = 40;

uint64_t ReadCounter(const Json& stats, const char* key) {
  int64_t value = 0;
  return FindInteger(stats, key, 0, INT64_C(1) << 53, &value) ? static_cast<uint64_t>(value) : 0;
}

}  // namespace

std::string EncodeSnapshot(const Identity& identity, const Outbox& outbox) {
  const DeliveryStats& stats = outbox.stats();
  std::string out = "{\"v\":" + std::to_string(kSnapshotVersion);
  out += ",\"identity\":{\"anonymousId\":" + QuoteJson(identity.anonymous_id);
  out += ",\"userId\":" + QuoteJson(identity.user_id) + "},\"queue\":[";
  bool first = true;
  for (const QueuedEvent* event : outbox.Unconfirmed()) {
    if (!first) out += ',';
    first = false;
    out += "{\"at\":" + std::to_string(event->enqueued_at) + ",\"attempts\":" + std::to_string(event->attempts) +
           ",\"event\":" + event->json + "}";
  }
  out += "],\"stats\":{\"delivered\":" + std::to_string(stats.delivered) +
         ",\"retries\":" + std::to_string(stats.retries) +
         ",\"droppedRejected\":" + std::to_string(stats.dropped_rejected) +
         ",\"droppedMaxAttempts\":" + std::to_string(stats.dropped_max_attempts) +
         ",\"droppedQueueFull\":" + std::to_string(stats.dropped_queue_full) + "}}";
  return out;
}

Result<Snapshot> DecodeSnapshot(const std::string& text) {
  const Json root = Json::parse(text, nullptr, false);
  int64_t version = 0;
  if (root.is_discarded() || !root.is_object()) {
    return MakeError(ErrorCode::kCorruptSnapshot, "stored state is not a JSON object");
  }
  if (!FindInteger(root, "v", 1, 1000, &version) || version != kSnapshotVersion) {
    return MakeError(ErrorCode::kCorruptSnapshot, "stored state has an unknown version", "v");
  }
  Snapshot snapshot;
  if (const Json* identity = Find(root, "identity")) {
    if (const std::string* id = FindString(*identity, "anonymousId")) snapshot.identity.anonymous_id = *id;
    if (const std::string* id = FindString(*identity, "userId")) snapshot.identity.user_id = *id;
  }
  if (const Json* queue = Find(root, "queue"); queue && queue->is_array()) {
    for (const Json& entry : *queue) {
      const Json* event = Find(entry, "event");
      const std::string* message_id = event ? FindString(*event, "messageId") : nullptr;
      int64_t at = 0, attempts = 0;
      // Storage can be edited by hand; a hostile nesting depth must not reach dump()'s recursion.
      if (!message_id || !FindInteger(entry, "at", INT64_MIN / 2, INT64_MAX / 2, &at) ||
          NestingDepth(*event, kMaxStoredEventDepth) > kMaxStoredEventDepth) {
        ++snapshot.skipped_events;
        continue;
      }
      FindInteger(entry, "attempts", 0, 1000, &attempts);
      snapshot.events.push_back(QueuedEvent{*message_id, DumpJson(*event), at, static_cast<int>(attempts)});
    }
  }
  if (const Json* stats = Find(root, "stats")) {
    snapshot.stats.delivered = ReadCounter(*stats, "delivered");
    snapshot.stats.retries = ReadCounter(*stats, "retries");
    snapshot.stats.dropped_rejected = ReadCounter(*stats, "droppedRejected");
    snapshot.stats.dropped_max_attempts = ReadCounter(*stats, "droppedMaxAttempts");
    snapshot.stats.dropped_queue_full = ReadCounter(*stats, "droppedQueueFull");
  }
  return snapshot;
}

}  // namespace parcours
