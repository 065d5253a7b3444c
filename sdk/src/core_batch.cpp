// A batch of calls handled in one input: each call runs as it would alone and gets its own
// result, and the input's tail (storing the new events as one chunk, the cart once, sending
// what is due) runs once. Track calls, batched or lone, take the scanned path: their
// properties are checked and copied as text, with no DOM, unless they need one (a `products`
// list, escaped keys).
#include <utility>

#include "parcours/calls_decoder.h"
#include "parcours/core.h"
#include "parcours/ecommerce_spec.h"

namespace parcours {
namespace {

const char* KindName(JsonKind kind) {
  switch (kind) {
    case JsonKind::kNull: return "null";
    case JsonKind::kBool: return "boolean";
    case JsonKind::kNumber: return "number";
    case JsonKind::kString: return "string";
    case JsonKind::kArray: return "array";
    case JsonKind::kObject: return "object";
  }
  return "?";
}

}  // namespace

void Core::Calls(CallsInput& input, Output* out) {
  std::vector<CallOutcome> results;
  results.reserve(input.calls.size());
  Output call;
  for (BatchedCall& batched : input.calls) {
    call.effects.clear();
    call.error.reset();
    call.message_id.clear();
    if (batched.kind == BatchedCall::Kind::kTrack) {
      TrackScanned(batched.track, batched.now, &call);
    } else if (batched.kind == BatchedCall::Kind::kOther) {
      Json root = Json::parse(batched.text.begin(), batched.text.end(), nullptr, false);
      Result<Input> decoded = input.decode_other(root);
      if (!decoded.ok()) {
        call.error = decoded.error();
      } else {
        Command& command = decoded.value().command;
        const Millis now = decoded.value().now;
        if (auto* page = std::get_if<PageInput>(&command)) Page(*page, now, &call);
        else if (auto* identify = std::get_if<IdentifyInput>(&command)) Identify(*identify, now, &call);
        else if (auto* group = std::get_if<GroupInput>(&command)) Group(*group, now, &call);
        else if (auto* alias = std::get_if<AliasInput>(&command)) Alias(*alias, now, &call);
      }
    } else {
      call.error = std::move(batched.error);
    }
    for (Effect& effect : call.effects) out->effects.push_back(std::move(effect));
    results.push_back(CallOutcome{std::move(call.message_id), std::move(call.error)});
  }
  out->results = std::move(results);
}

void Core::TrackScanned(ScannedTrack& track, Millis now, Output* out) {
  const bool named = track.event.kind == JsonKind::kString;
  std::string decoded;
  if (named) track.event_name = StringText(track.event, &decoded);
  auto name = ValidateEventName(named ? &track.event_name : nullptr);
  if (!name.ok()) return void(out->error = name.error());
  const bool object = track.properties && track.properties->kind == JsonKind::kObject;
  // The rare shapes the flat view cannot check, and any call it finds wrong (for the exact
  // error), go the DOM way: one definition of every check.
  if (object && (!track.flat.exact || track.flat.Has(SpecField::kProducts) ||
                 !EcommerceFieldsValid(track.event_name, track.flat))) {
    const std::string_view raw = track.properties->raw;
    TrackInput input{Json(track.event_name), Json::parse(raw.begin(), raw.end(), nullptr, false)};
    return Track(input, now, out);
  }
  if (consent_.Get("analytics") == ConsentState::kDenied) {
    return void(out->error = MakeError(ErrorCode::kConsentDenied, "track was not recorded: analytics consent is denied"));
  }
  if (track.properties && !object && track.properties->kind != JsonKind::kNull) {
    return void(out->error = MakeError(ErrorCode::kInvalidProperties,
                                       std::string("properties must be an object, got ") +
                                           KindName(track.properties->kind),
                                       "properties"));
  }
  if (object && track.flat.depth > kMaxPropertiesDepth) {
    return void(out->error = TooDeep("properties", kMaxPropertiesDepth));
  }
  std::string members;
  // Room for the messageId member Accept appends.
  members.reserve(100 + track.event_name.size() + (object ? track.properties->raw.size() : 2));
  members += "\"type\":\"track\",\"event\":";
  // A scanned string without escapes holds no quote, backslash, control character or bad
  // UTF-8: its text is already what AppendQuoted would write.
  if (track.event.escaped) AppendQuoted(&members, track.event_name);
  else members += track.event.raw;
  members += ",\"properties\":";
  if (object) members += track.properties->raw;
  else members += "{}";
  // Only an order pays for click attribution (context.offers, see Track).
  std::string offers;
  std::vector<rules::Converted> clicks;
  const bool order = std::string_view(track.event_name) == "Order Completed";  // No strlen, unlike std::string's ==.
  if (order) clicks = OrderAttributions(now, &offers);
  Accept(std::move(members), "track", now, out, clicks.empty() ? nullptr : &offers);
  if (out->error) return;
  if (offers.empty()) clicks.clear();
  if (object && cart_.ApplyScanned(track.event_name, track.flat, now)) cart_dirty_ = true;
  // The decision engine reads the properties only when a campaign starts on this event (or
  // an order adds to the profile's revenue): only then is the DOM worth building. While the
  // first ruleset is awaited, the held trigger keeps their text instead (core_held_triggers.cpp).
  Json parsed;
  if (object && (order || (!holding_triggers_ && decisions_.StartsOn(track.event_name)))) {
    const std::string_view raw = track.properties->raw;
    parsed = Json::parse(raw.begin(), raw.end(), nullptr, false);
  }
  AfterEvent(track.event_name, parsed.is_object() ? &parsed : nullptr, false, now, out, &clicks,
             object && !parsed.is_object() ? track.properties->raw : std::string_view());
}

}  // namespace parcours
