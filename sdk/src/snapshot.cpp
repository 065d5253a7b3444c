// Encoding of the state entry by concatenation, decoding with the non-throwing parser.
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

}  // namespace parcours
