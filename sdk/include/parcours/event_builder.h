// Turns validated calls into Segment-spec events: the call's own members, and the envelope
// (ids and context) that the events of one identity, page and session share.
#pragma once

#include <string>
#include <utility>

#include "parcours/error.h"
#include "parcours/iso_time.h"
#include "parcours/json_access.h"

namespace parcours {

inline constexpr char kLibraryName[] = "parcours";
inline constexpr size_t kMaxIdBytes = 200;

struct Identity {
  std::string anonymous_id;
  std::string user_id;          // "" until identify().
  Json traits = Json::object();  // Merged from every identify() since the last reset().
};

// What a call adds on top of ids, time and context. Pointers are to validated objects.
struct CallFields {
  explicit CallFields(std::string call_type, std::string event_name = "")
      : type(std::move(call_type)), event(std::move(event_name)) {}

  std::string type;                // track, page, identify, group or alias
  std::string event;               // track: the event name
  std::string name;                // page: optional page name
  const Json* properties = nullptr;  // track, page
  const Json* traits = nullptr;      // identify, group
  std::string group_id;            // group
  std::string previous_id;         // alias
};

class EventBuilder {
 public:
  explicit EventBuilder(std::string library_version);

  // The context the shell collected (page, userAgent, locale, timezone, screen, campaign...).
  // It is serialized once here, not per event, because it changes only on navigation.
  void SetContext(const Json& shell_context);
  const Json& context() const { return context_; }

  // The call's members without braces: "type":...,"event":...,"properties":{...} (track),
  // name/properties (page), traits (identify), groupId/traits (group), previousId (alias).
  std::string Members(const CallFields& call, const Identity& identity) const;
  // "anonymousId":...,"userId":...,"context":{...}. `extra_context` holds the context members
  // that change per session or consent, as JSON members: `"consent":{...},"session":{...}`.
  std::string Envelope(const Identity& identity, const std::string& extra_context) const;
  // Changes with every SetContext, so an envelope built before can be told stale.
  uint64_t generation() const { return generation_; }

 private:
  uint64_t generation_ = 0;
  std::string library_version_;
  Json context_ = Json::object();
  std::string context_json_;  // Without its closing brace, so per-event members can follow.
};

// Checks a call's event name and properties.
Result<bool> ValidateEventName(const Json* name);
// The same for a decoded name (nullptr: not a string).
Result<bool> ValidateEventName(const std::string* name);
// A properties or traits object nested more than `max_depth`; `path` names it.
Error TooDeep(const char* path, size_t max_depth);
// An optional JSON object (properties, traits) at most `max_depth` deep; `path` names it in errors.
Result<bool> ValidateObject(const Json* value, size_t max_depth, const char* path);
// An id (userId, groupId, previousId): a non-empty string of at most kMaxIdBytes.
Result<bool> ValidateId(const Json* value, const char* path);

}  // namespace parcours
