// Turns validated calls into Segment-spec events (one JSON string each), stamping ids, time and context.
#pragma once

#include <string>

#include "parcours/error.h"
#include "parcours/iso_time.h"
#include "parcours/json_access.h"

namespace parcours {

inline constexpr char kLibraryName[] = "parcours";

struct Identity {
  std::string anonymous_id;
  std::string user_id;  // "" until identify().
};

// What a call adds on top of ids, time and context.
struct CallFields {
  std::string type;        // "track" or "page"
  std::string event;       // track: the event name
  std::string name;        // page: optional page name
  const Json* properties;  // validated object, or nullptr
};

class EventBuilder {
 public:
  explicit EventBuilder(std::string library_version);

  // The context the shell collected (page, userAgent, locale, timezone, screen...). It is
  // serialized once here, not per event, because it changes only on navigation.
  void SetContext(const Json& shell_context);
  const Json& context() const { return context_; }

  std::string Build(const CallFields& call, const std::string& message_id, const Identity& identity,
                    Millis now) const;

 private:
  std::string library_version_;
  Json context_ = Json::object();
  std::string context_json_;
};

// Checks a call's event name and properties; `path_prefix` names them in the error.
Result<bool> ValidateEventName(const Json* name);
Result<bool> ValidateProperties(const Json* properties, size_t max_depth);

}  // namespace parcours
