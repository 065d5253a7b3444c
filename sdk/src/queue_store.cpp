// Encoding of queue chunks by concatenation (events are already JSON members), decoding
// with the non-throwing parser: storage is read only on load, adoption and handover.
#include "parcours/queue_store.h"

#include <algorithm>
#include <charconv>
#include <memory>
#include <utility>

#include "parcours/json_access.h"

namespace parcours {
namespace {

// Events were built from properties at most kMaxPropertiesDepth (32) deep, plus their
// envelope; storage can be edited by hand, and a hostile depth must not reach dump()'s recursion.
constexpr size_t kMaxStoredEventDepth = 40;
// Times and sequence numbers stay exact in a double (FindInteger's reading).
constexpr int64_t kMaxStoredInteger = INT64_C(1) << 53;
// Chunks written before v3 stated every time and counter; they are still read after an upgrade.
constexpr int64_t kPreviousChunkVersion = 2;
// `[`, `,<dt>`, `{"seq":n,"attempts":n,"env":n}`, `]` at their longest (101 bytes).
constexpr size_t kMaxEntryExtras = 112;

Error Corrupt(const std::string& what) { return MakeError(ErrorCode::kCorruptSnapshot, what); }

void AppendInteger(std::string* out, int64_t value) {
  char digits[24];
  out->append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

// Stands for "envelope 0" before the first entry: an envelope-less first event states -1.
const std::string kFirstEnvelope;

// What an entry implies, from the one before it: the same time, attempts and envelope, and
// the next sequence number. The first entry's come from the chunk's "at" and "seq".
struct Carried {
  Millis at = 0;
  uint64_t sequence = 0;
  int attempts = 0;
  const std::string* envelope = &kFirstEnvelope;

  static Carried First(const QueuedEvent& first) {
    Carried carried;
    carried.at = first.enqueued_at;
    carried.sequence = first.sequence;
    if (first.envelope) carried.envelope = first.envelope.get();
    return carried;
  }
  bool Implies(const QueuedEvent& event) const {
    return event.enqueued_at == at && event.sequence == sequence && event.attempts == attempts &&
           event.envelope.get() == envelope;
  }
  void Take(const QueuedEvent& event) {
    at = event.enqueued_at;
    sequence = event.sequence + 1;
    attempts = event.attempts;
    envelope = event.envelope.get();
  }
};

// The event's envelope's index in the chunk, added if new; -1 for none. Events of one
// chunk nearly always share one envelope: a short linear search does.
int64_t EnvelopeIndex(std::vector<const std::string*>* envelopes, const QueuedEvent& event) {
  if (!event.envelope) return -1;
  const auto found = std::find(envelopes->begin(), envelopes->end(), event.envelope.get());
  if (found != envelopes->end()) return found - envelopes->begin();
  envelopes->push_back(event.envelope.get());
  return static_cast<int64_t>(envelopes->size()) - 1;
}

// `,{"seq":n,"attempts":n,"env":n}` with only the members `carried` does not imply;
// nothing when it implies them all.
void AppendStated(std::string* out, const QueuedEvent& event, const Carried& carried, int64_t envelope_index) {
  const size_t start = out->size();
  const auto member = [&](const char* key, int64_t value) {
    *out += out->size() == start ? ",{\"" : ",\"";
    *out += key;
    *out += "\":";
    AppendInteger(out, value);
  };
  if (event.sequence != carried.sequence) member("seq", static_cast<int64_t>(event.sequence));
  if (event.attempts != carried.attempts) member("attempts", event.attempts);
  if (event.envelope.get() != carried.envelope) member("env", envelope_index);
  if (out->size() != start) *out += '}';
}

// Carried's reading side: envelopes by index, -1 for none.
struct StoredCarried {
  int64_t at = 0;
  int64_t sequence = 0;
  int64_t attempts = 0;
  int64_t envelope = 0;
};

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

// A chunk's event object: its own members, a string messageId, a bounded depth.
Result<QueuedEvent> ReadChunkEvent(const Json& event) {
  const std::string* message_id = FindString(event, "messageId");
  if (!message_id || NestingDepth(event, kMaxStoredEventDepth) > kMaxStoredEventDepth) {
    return Corrupt("stored queue chunk has an unreadable event");
  }
  return FromStoredEvent(event, *message_id);
}

bool ReadTimes(const Json& entry, QueuedEvent* event) {
  int64_t at = 0, sequence = 0, attempts = 0;
  if (!FindInteger(entry, "at", 0, kMaxStoredInteger, &at)) return false;
  FindInteger(entry, "seq", 0, kMaxStoredInteger, &sequence);
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

using Envelopes = std::vector<std::shared_ptr<const std::string>>;

// A v2 entry: {"at","seq","attempts","env","event":{its own members}}.
Result<QueuedEvent> DecodeV2Entry(const Json& stored, const Envelopes& envelopes) {
  const Json* event = Find(stored, "event");
  int64_t envelope = -1;
  if (!event || (Find(stored, "env") &&
                 !FindInteger(stored, "env", 0, static_cast<int64_t>(envelopes.size()) - 1, &envelope))) {
    return Corrupt("stored queue chunk has an unreadable event");
  }
  Result<QueuedEvent> queued = ReadChunkEvent(*event);
  if (!queued.ok()) return queued;
  if (!ReadTimes(stored, &queued.value())) return Corrupt("stored queue chunk has an event without its time");
  if (envelope >= 0) queued.value().envelope = envelopes[static_cast<size_t>(envelope)];
  return queued;
}

// True when `key` is absent from `stated`, or an integer in [min, max] (stored in *out).
bool ReadStated(const Json* stated, const char* key, int64_t min, int64_t max, int64_t* out) {
  return !stated || !Find(*stated, key) || FindInteger(*stated, key, min, max, out);
}

// A v3 entry: {event}, or [{event},dt] or [{event},dt,{"seq","attempts","env"}] stating
// what `carried` does not imply; dt is from the previous entry's time, in ms.
Result<QueuedEvent> DecodeV3Entry(const Json& stored, const Envelopes& envelopes, StoredCarried* carried) {
  const Json* event = &stored;
  const Json* stated = nullptr;
  int64_t delta = 0;
  if (stored.is_array()) {
    if (stored.empty() || stored.size() > 3) return Corrupt("stored queue chunk has an unreadable event");
    event = &stored[0];
    if (stored.size() > 1 && (!stored[1].is_number() ||
                              !IntegerInRange(stored[1].get<double>(), -kMaxStoredInteger, kMaxStoredInteger, &delta))) {
      return Corrupt("stored queue chunk has an event with an unreadable time");
    }
    if (stored.size() > 2) stated = &stored[2];
    if (stated && !stated->is_object()) return Corrupt("stored queue chunk has an event with unreadable counters");
  }
  Result<QueuedEvent> queued = ReadChunkEvent(*event);
  if (!queued.ok()) return queued;
  const int64_t at = carried->at + delta;
  int64_t sequence = carried->sequence, attempts = carried->attempts, envelope = carried->envelope;
  if (at < 0 || at > kMaxStoredInteger) return Corrupt("stored queue chunk has an event time out of range");
  if (!ReadStated(stated, "seq", 0, kMaxStoredInteger, &sequence) || !ReadStated(stated, "attempts", 0, 1000, &attempts) ||
      !ReadStated(stated, "env", -1, static_cast<int64_t>(envelopes.size()) - 1, &envelope)) {
    return Corrupt("stored queue chunk has an event with unreadable counters");
  }
  // Implied values can run out of range where stated ones cannot: the sequence after 2^53,
  // envelope 0 of a chunk without envelopes.
  if (sequence > kMaxStoredInteger || envelope >= static_cast<int64_t>(envelopes.size())) {
    return Corrupt("stored queue chunk has an event with counters out of range");
  }
  QueuedEvent& decoded = queued.value();
  decoded.enqueued_at = at;
  decoded.sequence = static_cast<uint64_t>(sequence);
  decoded.attempts = static_cast<int>(attempts);
  if (envelope >= 0) decoded.envelope = envelopes[static_cast<size_t>(envelope)];
  *carried = StoredCarried{at, sequence + 1, attempts, envelope};
  return queued;
}

}  // namespace

std::string ChunkKey(std::string_view first_message_id) {
  std::string key = kQueueKeyPrefix;
  key += first_message_id;
  return key;
}

std::string EncodeChunk(const std::vector<const QueuedEvent*>& events) {
  // A burst's events nearly always share one envelope, one millisecond and consecutive
  // sequence numbers, and have no failed attempt: an entry is then just the event object.
  std::vector<const std::string*> envelopes;
  // One allocation: the members, 3 bytes of punctuation per event, room for the values
  // that are not implied where they change, and the envelopes.
  size_t bytes = 96;
  const Carried first = events.empty() ? Carried() : Carried::First(*events.front());
  Carried carried = first;
  for (const QueuedEvent* event : events) {
    bytes += event->members.size() + 3;
    if (!carried.Implies(*event)) bytes += kMaxEntryExtras;
    carried.Take(*event);
    if (event->envelope && (envelopes.empty() || envelopes.back() != event->envelope.get())) {
      envelopes.push_back(event->envelope.get());
      bytes += event->envelope->size() + 3;
    }
  }
  envelopes.clear();
  std::string out;
  out.reserve(bytes);
  out += "{\"v\":";
  AppendInteger(&out, kChunkVersion);
  out += ",\"at\":";
  carried = first;
  AppendInteger(&out, carried.at);
  out += ",\"seq\":";
  AppendInteger(&out, static_cast<int64_t>(carried.sequence));
  out += ",\"events\":[";
  int64_t envelope_index = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const QueuedEvent& event = *events[i];
    if (i > 0) out += ',';
    if (i == 0 || event.envelope != events[i - 1]->envelope) envelope_index = EnvelopeIndex(&envelopes, event);
    const bool implied = carried.Implies(event);
    if (!implied) out += '[';
    out += '{';
    out += event.members;
    out += '}';
    if (!implied) {
      out += ',';
      AppendInteger(&out, event.enqueued_at - carried.at);
      AppendStated(&out, event, carried, envelope_index);
      out += ']';
    }
    carried.Take(event);
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
  if (!FindInteger(entry, "v", 1, 1000, &version) || (version != kChunkVersion && version != kPreviousChunkVersion)) {
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
  decoded.reserve(events->size());
  if (version == kPreviousChunkVersion) {
    for (const Json& stored : *events) {
      Result<QueuedEvent> queued = DecodeV2Entry(stored, envelopes);
      if (!queued.ok()) return queued.error();
      decoded.push_back(std::move(queued.value()));
      decoded.back().chunk = chunk;
    }
    return decoded;
  }
  StoredCarried carried;
  if (!FindInteger(entry, "at", 0, kMaxStoredInteger, &carried.at) ||
      !FindInteger(entry, "seq", 0, kMaxStoredInteger, &carried.sequence)) {
    return Corrupt("stored queue chunk lacks its base time or sequence");
  }
  for (const Json& stored : *events) {
    Result<QueuedEvent> queued = DecodeV3Entry(stored, envelopes, &carried);
    if (!queued.ok()) return queued.error();
    decoded.push_back(std::move(queued.value()));
    decoded.back().chunk = chunk;
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
