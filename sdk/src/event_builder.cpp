// Builds Segment-spec events by concatenation around pre-serialized parts (context is
// cached), so a track() costs one dump of its own properties.
#include "parcours/event_builder.h"

#include <utility>

namespace parcours {
namespace {

constexpr size_t kMaxEventNameBytes = 200;
constexpr size_t kMaxContextDepth = 16;

// Segment's page event carries url/path/title/referrer/search as properties; a page() call
// without them gets them from the shell's page context.
bool HasProperties(const Json* given) { return given && given->is_object(); }

Json PageProperties(const Json* given, const Json& context) {
  Json properties = HasProperties(given) ? *given : Json::object();
  const Json* page = Find(context, "page");
  if (!page || !page->is_object()) return properties;
  for (const char* key : {"url", "path", "title", "referrer", "search"}) {
    const Json* value = Find(*page, key);
    if (value && !Find(properties, key)) properties[key] = *value;
  }
  return properties;
}

}  // namespace

EventBuilder::EventBuilder(std::string library_version) : library_version_(std::move(library_version)) {
  SetContext(Json::object());
}

void EventBuilder::SetContext(const Json& shell_context) {
  // The shell builds the context itself, so a deep one is a shell bug: drop it rather than
  // recurse into it in dump().
  const bool usable = shell_context.is_object() && NestingDepth(shell_context, kMaxContextDepth) <= kMaxContextDepth;
  context_ = usable ? shell_context : Json::object();
  // The library stamp always wins: a page must not be able to impersonate another SDK.
  context_["library"] = {{"name", kLibraryName}, {"version", library_version_}};
  context_json_ = DumpJson(context_);
}

std::string EventBuilder::Build(const CallFields& call, const std::string& message_id, const Identity& identity,
                                Millis now) const {
  std::string out;
  out.reserve(256 + context_json_.size());
  out += "{\"type\":";
  out += QuoteJson(call.type);
  if (call.type == "track") {
    out += ",\"event\":";
    out += QuoteJson(call.event);
    out += ",\"properties\":";
    // Absent and null both mean "no properties": Segment consumers expect an object.
    out += HasProperties(call.properties) ? DumpJson(*call.properties) : "{}";
  } else {
    if (!call.name.empty()) {
      out += ",\"name\":";
      out += QuoteJson(call.name);
    }
    out += ",\"properties\":";
    out += DumpJson(PageProperties(call.properties, context_));
  }
  out += ",\"messageId\":";
  out += QuoteJson(message_id);
  out += ",\"anonymousId\":";
  out += QuoteJson(identity.anonymous_id);
  if (!identity.user_id.empty()) {
    out += ",\"userId\":";
    out += QuoteJson(identity.user_id);
  }
  out += ",\"timestamp\":\"";
  out += FormatIso8601(now);
  out += "\",\"context\":";
  out += context_json_;
  out += '}';
  return out;
}

Result<bool> ValidateEventName(const Json* name) {
  if (!name || !name->is_string()) {
    return MakeError(ErrorCode::kInvalidEventName, "event name must be a string, e.g. track('Product Added')",
                     "event");
  }
  const auto& text = name->get_ref<const std::string&>();
  if (text.empty() || text.size() > kMaxEventNameBytes) {
    return MakeError(ErrorCode::kInvalidEventName, "event name must be 1 to 200 bytes long", "event");
  }
  return true;
}

Result<bool> ValidateProperties(const Json* properties, size_t max_depth) {
  if (!properties || properties->is_null()) return true;
  if (!properties->is_object()) {
    return MakeError(ErrorCode::kInvalidProperties,
                     std::string("properties must be an object, got ") + properties->type_name(), "properties");
  }
  if (NestingDepth(*properties, max_depth) > max_depth) {
    return MakeError(ErrorCode::kTooDeep, "properties are nested more than " + std::to_string(max_depth) + " levels",
                     "properties");
  }
  return true;
}

}  // namespace parcours
