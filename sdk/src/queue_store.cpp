// Encoding of queue chunks by concatenation (events are already JSON members), decoding
// with the non-throwing parser: storage is read only on load, adoption and handover.
#include "parcours/queue_store.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "parcours/json_access.h"

namespace parcours {
namespace {

// Events were built from properties at most kMaxPropertiesDepth (32) deep, plus their
// envelope; storage can be edited by hand, and a hostile depth must not reach dump()'s recursion.
constexpr size_t kMaxStoredEventDepth = 40;

Error Corrupt(const std::string& what) { return MakeError(ErrorCode::kCorruptSnapshot, what); }

// An object's members without its braces.
std::string Members(const Json& object) {
  std::string text = DumpJson(object);
  return text.size() >= 2 ? text.substr(1, text.size() - 2) : std::string();
}

// `event` (an object with a string messageId) as QueuedEvent members: messageId goes last.
QueuedEvent FromStoredEvent(Json event, const std::string& message_id) {
  event.erase("messageId");
  QueuedEvent queued;
  queued.members = Members(event);
  if (!queued.members.empty()) queued.members += ',';
  queued.members += "\"messageId\":";
  const size_t before = queued.members.size();
  AppendQuoted(&queued.members, message_id);
  queued.id_length = static_cast<uint32_t>(queued.members.size() - before - 2);
  return queued;
}

bool ReadTimes(const Json& entry, QueuedEvent* event) {
  int64_t at = 0, sequence = 0, attempts = 0;
  if (!FindInteger(entry, "at", 0, INT64_C(1) << 53, &at)) return false;
  FindInteger(entry, "seq", 0, INT64_C(1) << 53, &sequence);
  FindInteger(entry, "attempts", 0, 1000, &attempts);
  event->enqueued_at = at;
  event->sequence = static_cast<uint64_t>(sequence);
  event->attempts = static_cast<int>(attempts);
  return true;
}

// The v1 format: {"at","seq","attempts","event":{the whole event}} under "q:<messageId>".
Result<std::vector<QueuedEvent>> DecodeSingle(const std::string& key, const Json& entry) {
  const Json* event = Find(entry, "event");
  const std::string* message_id = event ? FindString(*event, "messageId") : nullptr;
  if (!message_id || !event->is_object()) return Corrupt("stored queue entry lacks an event with a messageId");
  if (NestingDepth(*event, kMaxStoredEventDepth) > kMaxStoredEventDepth) {
    return Corrupt("stored queue entry is nested too deeply");
  }
  // An entry stored under another event's key was tampered with; sending it could double it.
  if (ChunkKey(*message_id) != key) return Corrupt("stored queue entry is under another event's key");
  QueuedEvent queued = FromStoredEvent(*event, *message_id);
  if (!ReadTimes(entry, &queued)) return Corrupt("stored queue entry lacks its time");
  return std::vector<QueuedEvent>{std::move(queued)};
}

}  // namespace

std::string ChunkKey(std::string_view first_message_id) {
  std::string key = kQueueKeyPrefix;
  key += first_message_id;
  return key;
}

std::string EncodeChunk(const std::vector<const QueuedEvent*>& events) {
  // Events of one chunk nearly always share one envelope: a short linear search does.
  std::vector<const std::string*> envelopes;
  // One allocation: the members, ~80 bytes of times per event, and the envelopes.
  size_t bytes = 64;
  for (const QueuedEvent* event : events) {
    bytes += event->members.size() + 80;
    if (event->envelope && (envelopes.empty() || envelopes.back() != event->envelope.get())) {
      envelopes.push_back(event->envelope.get());
      bytes += event->envelope->size() + 3;
    }
  }
  envelopes.clear();
  std::string out;
  out.reserve(bytes);
  out += "{\"v\":";
  out += std::to_string(kChunkVersion);
  out += ",\"events\":[";
  for (size_t i = 0; i < events.size(); ++i) {
    const QueuedEvent& event = *events[i];
    if (i > 0) out += ',';
    out += "{\"at\":";
    out += std::to_string(event.enqueued_at);
    out += ",\"seq\":";
    out += std::to_string(event.sequence);
    out += ",\"attempts\":";
    out += std::to_string(event.attempts);
    if (event.envelope) {
      size_t index = 0;
      while (index < envelopes.size() && envelopes[index] != event.envelope.get()) ++index;
      if (index == envelopes.size()) envelopes.push_back(event.envelope.get());
      out += ",\"env\":";
      out += std::to_string(index);
    }
    out += ",\"event\":{";
    out += event.members;
    out += "}}";
  }
  out += "],\"envelopes\":[";
  for (size_t i = 0; i < envelopes.size(); ++i) {
    if (i > 0) out += ',';
    out += '{';
    out += *envelopes[i];
    out += '}';
  }
  out += "]}";
  return out;
}

Result<std::vector<QueuedEvent>> DecodeChunk(const std::string& key, const std::string& text) {
  const Json entry = Json::parse(text, nullptr, false);
  if (!entry.is_object()) return Corrupt("stored queue entry is not a JSON object");
  if (!Find(entry, "v")) return DecodeSingle(key, entry);
  int64_t version = 0;
  if (!FindInteger(entry, "v", 1, 1000, &version) || version != kChunkVersion) {
    return Corrupt("stored queue chunk has an unknown version");
  }
  const Json* events = Find(entry, "events");
  const Json* stored_envelopes = Find(entry, "envelopes");
  if (!events || !events->is_array() || !stored_envelopes || !stored_envelopes->is_array()) {
    return Corrupt("stored queue chunk lacks its events or envelopes");
  }
  std::vector<std::shared_ptr<const std::string>> envelopes;
  for (const Json& envelope : *stored_envelopes) {
    if (!envelope.is_object() || NestingDepth(envelope, kMaxStoredEventDepth) > kMaxStoredEventDepth) {
      return Corrupt("stored queue chunk has an unreadable envelope");
    }
    envelopes.push_back(std::make_shared<const std::string>(Members(envelope)));
  }
  auto chunk = std::make_shared<const std::string>(key);
  std::vector<QueuedEvent> decoded;
  for (const Json& stored : *events) {
    const Json* event = Find(stored, "event");
    const std::string* message_id = event ? FindString(*event, "messageId") : nullptr;
    int64_t envelope = -1;
    if (!message_id || !event->is_object() || NestingDepth(*event, kMaxStoredEventDepth) > kMaxStoredEventDepth ||
        (Find(stored, "env") && !FindInteger(stored, "env", 0, static_cast<int64_t>(envelopes.size()) - 1, &envelope))) {
      return Corrupt("stored queue chunk has an unreadable event");
    }
    QueuedEvent queued = FromStoredEvent(*event, *message_id);
    if (!ReadTimes(stored, &queued)) return Corrupt("stored queue chunk has an event without its time");
    if (envelope >= 0) queued.envelope = envelopes[static_cast<size_t>(envelope)];
    queued.chunk = chunk;
    decoded.push_back(std::move(queued));
  }
  return decoded;
}

RestoredQueue RestoreQueue(const std::map<std::string, std::string>& stored) {
  RestoredQueue restored;
  for (const auto& [key, value] : stored) {
    if (key.rfind(kQueueKeyPrefix, 0) != 0) continue;
    Result<std::vector<QueuedEvent>> events = DecodeChunk(key, value);
    if (!events.ok()) {
      restored.corrupt_keys.push_back(key);
      continue;
    }
    for (QueuedEvent& event : events.value()) {
      if (!event.chunk) event.chunk = std::make_shared<const std::string>(key);
      restored.events.push_back(std::move(event));
    }
  }
  std::stable_sort(restored.events.begin(), restored.events.end(), [](const QueuedEvent& a, const QueuedEvent& b) {
    return a.enqueued_at != b.enqueued_at ? a.enqueued_at < b.enqueued_at : a.sequence < b.sequence;
  });
  return restored;
}

}  // namespace parcours
