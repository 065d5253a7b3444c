// Builds Segment-spec events by concatenation around pre-serialized parts (the context is
// cached), so a call costs one dump of its own properties.
#include "parcours/event_builder.h"

#include <utility>

namespace parcours {
namespace {

constexpr size_t kMaxEventNameBytes = 200;
constexpr size_t kMaxContextDepth = 16;

bool IsObject(const Json* value) { return value && value->is_object(); }

// Segment's page event carries url/path/title/referrer/search as properties; a page() call
// without them gets them from the shell's page context.
Json PageProperties(const Json* given, const Json& context) {
  Json properties = IsObject(given) ? *given : Json::object();
  const Json* page = Find(context, "page");
  if (!page || !page->is_object()) return properties;
  for (const char* key : {"url", "path", "title", "referrer", "search"}) {
    const Json* value = Find(*page, key);
    if (value && !Find(properties, key)) properties[key] = *value;
  }
  return properties;
}

void AppendMember(std::string* out, const char* key, const std::string& json_value) {
  *out += ",\"";
  *out += key;
  *out += "\":";
  *out += json_value;
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
  // The library stamp always wins: a page must not be able to impersonate another SDK. The
  // core adds the per-event members itself.
  context_["library"] = {{"name", kLibraryName}, {"version", library_version_}};
  context_.erase("session");
  context_.erase("consent");
  context_json_ = DumpJson(context_);
  context_json_.pop_back();  // The closing brace comes after the per-event members.
  ++generation_;
}

std::string EventBuilder::Members(const CallFields& call, const Identity& identity) const {
  std::string out = "\"type\":";
  out += QuoteJson(call.type);
  if (call.type == "track") {
    AppendMember(&out, "event", QuoteJson(call.event));
    // Absent and null both mean "no properties": Segment consumers expect an object.
    AppendMember(&out, "properties", IsObject(call.properties) ? DumpJson(*call.properties) : "{}");
  } else if (call.type == "page") {
    if (!call.name.empty()) AppendMember(&out, "name", QuoteJson(call.name));
    AppendMember(&out, "properties", DumpJson(PageProperties(call.properties, context_)));
  } else if (call.type == "identify") {
    AppendMember(&out, "traits", DumpJson(identity.traits));
  } else if (call.type == "group") {
    AppendMember(&out, "groupId", QuoteJson(call.group_id));
    AppendMember(&out, "traits", IsObject(call.traits) ? DumpJson(*call.traits) : "{}");
  } else if (call.type == "alias") {
    AppendMember(&out, "previousId", QuoteJson(call.previous_id));
  }
  return out;
}

std::string EventBuilder::Envelope(const Identity& identity, const std::string& extra_context) const {
  std::string out;
  out.reserve(64 + context_json_.size() + extra_context.size());
  out += "\"anonymousId\":";
  out += QuoteJson(identity.anonymous_id);
  if (!identity.user_id.empty()) AppendMember(&out, "userId", QuoteJson(identity.user_id));
  out += ",\"context\":";
  out += context_json_;
  if (!extra_context.empty()) {
    if (context_json_.size() > 1) out += ',';
    out += extra_context;
  }
  out += '}';
  return out;
}

Result<bool> ValidateEventName(const Json* name) {
  return ValidateEventName(name && name->is_string() ? name->get_ptr<const std::string*>() : nullptr);
}

Result<bool> ValidateEventName(const std::string* name) {
  if (!name) {
    return MakeError(ErrorCode::kInvalidEventName, "event name must be a string, e.g. track('Product Added')",
                     "event");
  }
  if (name->empty() || name->size() > kMaxEventNameBytes) {
    return MakeError(ErrorCode::kInvalidEventName, "event name must be 1 to 200 bytes long", "event");
  }
  return true;
}

Error TooDeep(const char* path, size_t max_depth) {
  return MakeError(ErrorCode::kTooDeep,
                   std::string(path) + " are nested more than " + std::to_string(max_depth) + " levels", path);
}

Result<bool> ValidateObject(const Json* value, size_t max_depth, const char* path) {
  if (!value || value->is_null()) return true;
  if (!value->is_object()) {
    return MakeError(ErrorCode::kInvalidProperties,
                     std::string(path) + " must be an object, got " + value->type_name(), path);
  }
  if (NestingDepth(*value, max_depth) > max_depth) return TooDeep(path, max_depth);
  return true;
}

Result<bool> ValidateId(const Json* value, const char* path) {
  if (!value || !value->is_string() || value->get_ref<const std::string&>().empty() ||
      value->get_ref<const std::string&>().size() > kMaxIdBytes) {
    return MakeError(ErrorCode::kInvalidId, std::string(path) + " must be a non-empty string of at most 200 bytes",
                     path);
  }
  return true;
}

}  // namespace parcours
