// One pass over a batch of calls: every byte is validated once by the scanner, a track
// call's members are picked out as they go by, and only the rarer calls build a DOM.
#include "parcours/calls_decoder.h"

#include <cmath>
#include <utility>

namespace parcours {
namespace {

constexpr std::string_view kCallsPrefix = "{\"type\":\"calls\"";

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
// valid call gets `call->error`.
bool DecodeCall(JsonCursor* cursor, std::string_view text, BatchedCall* call,
                Result<Input> (*decode_other)(Json& root)) {
  ScannedValue value;
  // Anything but an object is scanned whole and refused.
  if (cursor->Peek() != '{') {
    if (!cursor->Value(&value)) return false;
    call->error = Invalid("each call must be a JSON object", "calls");
    return true;
  }
  ScannedTrack track;
  std::string type;
  bool has_now = false;
  std::string_view key;
  const size_t start = cursor->position();
  cursor->BeginObject();
  while (cursor->NextMember(&key)) {
    if (key == "properties" && cursor->Peek() == '{') {
      track.flat.members.reserve(16);
      if (!ScanFlatProperties(cursor, text, &track.flat)) return false;
      track.properties = ScannedValue{JsonKind::kObject, track.flat.raw};
      continue;
    }
    if (!cursor->Value(&value)) return false;
    if (key == "type" && value.kind == JsonKind::kString) {
      DecodeJsonString(value.raw, &type);
    } else if (key == "now") {
      has_now = ReadMillis(value, &call->now);
    } else if (key == "event") {
      track.named = value.kind == JsonKind::kString && DecodeJsonString(value.raw, &track.event_name);
    } else if (key == "properties") {
      track.properties = value;
    }
  }
  if (!cursor->ok()) return false;
  if (!has_now) {
    call->error = Invalid("now must be milliseconds since the epoch (a non-negative integer)", "now");
  } else if (type == "track") {
    call->track = std::move(track);
  } else if (type == "page" || type == "identify" || type == "group" || type == "alias") {
    const std::string_view raw = text.substr(start, cursor->position() - start);
    Json root = Json::parse(raw.begin(), raw.end(), nullptr, false);
    Result<Input> decoded = decode_other(root);
    if (decoded.ok()) call->other = std::make_unique<Input>(std::move(decoded.value()));
    else call->error = decoded.error();
  } else {
    call->error = Invalid("a batched call is a track, page, identify, group or alias", "type");
  }
  return true;
}

}  // namespace

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
      has_calls = true;
      cursor.BeginArray();
      while (cursor.NextElement()) {
        if (!cursor.Value(&value)) return malformed;
        calls.calls.push_back(value.raw);
      }
      continue;
    }
    if (!cursor.Value(&value)) return malformed;
    if (key == "now") has_now = ReadMillis(value, &now);
  }
  if (!cursor.AtEnd()) return malformed;
  if (!has_now) return Invalid("now must be milliseconds since the epoch (a non-negative integer)", "now");
  if (!has_calls) return Invalid("calls must be an array of calls", "calls");
  return Input{now, std::move(calls)};
}

void DecodeBatchedCall(std::string_view text, Result<Input> (*decode_other)(Json& root), BatchedCall* call) {
  *call = BatchedCall();
  JsonCursor cursor(text);
  // The text was checked to be JSON with the whole input: this cannot fail, but if it did,
  // the call alone is refused.
  if (!DecodeCall(&cursor, text, call, decode_other) || !cursor.AtEnd()) {
    *call = BatchedCall();
    call->error = MakeError(ErrorCode::kInvalidJson, "input is not valid JSON");
  }
}

}  // namespace parcours
