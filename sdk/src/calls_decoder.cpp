// One pass over a batch of calls (or a lone track input): every byte is validated once by
// the scanner, a track call's members are picked out as they go by, and only the rarer calls
// build a DOM.
#include "parcours/calls_decoder.h"

#include <cmath>
#include <optional>
#include <utility>

namespace parcours {
namespace {

constexpr std::string_view kCallsPrefix = "{\"type\":\"calls\"";
constexpr std::string_view kTrackType = "\"type\":\"track\"";

Error Invalid(const std::string& what, const char* path) { return MakeError(ErrorCode::kInvalidInput, what, path); }

// Milliseconds since the epoch, as DecodeInput reads `now`: an integer in [0, 2^53].
bool ReadMillis(const ScannedValue& value, Millis* out) {
  if (value.kind != JsonKind::kNumber) return false;
  const double number = JsonNumber(value.raw);
  if (!std::isfinite(number) || std::floor(number) != number || number < 0 || number > 9007199254740992.0) {
    return false;
  }
  *out = static_cast<Millis>(number);
  return true;
}

// The call under the cursor. False only for malformed JSON; a call that is JSON but not a
// valid call gets `call->error`. A track call's spec members go to `members`. `*plain` is
// cleared when a member's key has escapes or `type` repeats: the scan may then read the call
// otherwise than nlohmann would (which decodes keys, and keeps the last `type` whatever it is).
bool DecodeCall(JsonCursor* cursor, std::string_view text, std::vector<FlatMember>* members, BatchedCall* call,
                bool* plain) {
  ScannedValue value;
  const size_t start = cursor->position();
  // Anything but an object is scanned whole and refused.
  if (cursor->Peek() != '{') {
    if (!cursor->Value(&value)) return false;
    call->error = Invalid("each call must be a JSON object", "calls");
    return true;
  }
  ScannedTrack& track = call->track;
  const size_t first_member = members->size();
  ScannedValue type;
  bool has_now = false;
  std::string_view key;
  bool typed = false;
  cursor->BeginObject();
  while (cursor->NextMember(&key)) {
    if (cursor->key_escaped() || (key == "type" && typed)) *plain = false;
    typed = typed || key == "type";
    if (key == "properties" && cursor->Peek() == '{') {
      // A repeated member: nlohmann keeps the last, so does the scan.
      members->resize(first_member);
      track.flat = FlatProperties();
      if (!ScanFlatProperties(cursor, text, members, &track.flat)) return false;
      track.properties = ScannedValue{JsonKind::kObject, false, track.flat.raw};
      continue;
    }
    if (!cursor->Value(&value)) return false;
    if (key == "type" && value.kind == JsonKind::kString) {
      type = value;
    } else if (key == "now") {
      has_now = ReadMillis(value, &call->now);
    } else if (key == "event") {
      track.event = value;
    } else if (key == "properties") {
      track.properties = value;
    }
  }
  if (!cursor->ok()) return false;
  call->text = text.substr(start, cursor->position() - start);
  std::string scratch;
  const std::string_view type_name = type.kind == JsonKind::kString ? StringText(type, &scratch) : "";
  const bool is_track = has_now && type_name == "track";
  // Members scanned for a call that is no track, or for properties a later member replaced.
  if (!is_track || !track.properties || track.properties->kind != JsonKind::kObject) {
    members->resize(first_member);
    track.flat = FlatProperties();
  }
  if (!has_now) {
    call->error = Invalid("now must be milliseconds since the epoch (a non-negative integer)", "now");
  } else if (is_track) {
    call->kind = BatchedCall::Kind::kTrack;
  } else if (type_name == "page" || type_name == "identify" || type_name == "group" || type_name == "alias") {
    call->kind = BatchedCall::Kind::kOther;
    track = ScannedTrack();
  } else {
    call->error = Invalid("a batched call is a track, page, identify, group or alias", "type");
  }
  return true;
}

}  // namespace

bool MayBeTrack(std::string_view json) { return json.find(kTrackType) != std::string_view::npos; }

std::optional<Input> DecodeTrack(std::string_view json) {
  JsonCursor cursor(json);
  ScannedTrackInput lone;
  lone.members.reserve(16);  // A product's spec fields in one allocation, not four growths.
  BatchedCall call;
  bool plain = true;
  if (cursor.Peek() != '{' || !DecodeCall(&cursor, json, &lone.members, &call, &plain) || !cursor.AtEnd() || !plain ||
      call.kind != BatchedCall::Kind::kTrack) {
    return std::nullopt;
  }
  lone.track = std::move(call.track);
  return Input{call.now, std::move(lone)};
}

bool LooksLikeCalls(std::string_view json) { return json.substr(0, kCallsPrefix.size()) == kCallsPrefix; }

Result<Input> DecodeCalls(std::string_view json, Result<Input> (*decode_other)(Json& root)) {
  const Error malformed = MakeError(ErrorCode::kInvalidJson, "input is not valid JSON");
  JsonCursor cursor(json);
  if (!cursor.BeginObject()) return malformed;
  CallsInput calls;
  calls.decode_other = decode_other;
  Millis now = 0;
  bool has_now = false, has_calls = false;
  std::string_view key;
  ScannedValue value;
  while (cursor.NextMember(&key)) {
    if (key == "calls" && cursor.Peek() == '[') {
      // A repeated member: nlohmann keeps the last, so do the calls.
      calls.calls.clear();
      calls.members.clear();
      has_calls = true;
      cursor.BeginArray();
      while (cursor.NextElement()) {
        calls.calls.emplace_back();
        bool plain = true;  // Batched calls are read as scanned whatever their keys.
        if (!DecodeCall(&cursor, json, &calls.members, &calls.calls.back(), &plain)) return malformed;
      }
      continue;
    }
    if (!cursor.Value(&value)) return malformed;
    if (key == "now") has_now = ReadMillis(value, &now);
  }
  if (!cursor.AtEnd()) return malformed;
  if (!has_now) return Invalid("now must be milliseconds since the epoch (a non-negative integer)", "now");
  if (!has_calls) return Invalid("calls must be an array of calls", "calls");
  // The list stopped growing: the calls' views can point into it.
  for (BatchedCall& call : calls.calls) call.track.flat.Bind(calls.members);
  return Input{now, std::move(calls)};
}

}  // namespace parcours
