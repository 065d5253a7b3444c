// What the shell hands the core: one call, timer or delivery result, always with the time.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "parcours/flat_properties.h"
#include "parcours/iso_time.h"
#include "parcours/json_access.h"
#include "parcours/outbox.h"

namespace parcours {

struct InitInput {
  Json options;                    // Config, parsed and checked by the core.
  std::array<uint32_t, 4> seed{};  // From crypto.getRandomValues.
  Json context = Json::object();   // What the shell collected about page and device.
  std::string state;                // The stored "state" entry, "" when there is none.
  std::string session;              // The stored "session" entry.
  std::string cart;                 // The stored "cart" entry.
  std::map<std::string, std::string> queue;  // Every stored "q:<messageId>" entry.
  std::string rules;    // The stored "rules" entry: the last good ruleset and its ETag.
  std::string rules_checked;  // The stored "rulesChecked" entry: when the collector last confirmed it.
  std::string caps;     // The stored "caps" entry: frequency caps.
  std::string profile;  // The stored "profile" entry: the visitor's counters.
  bool leader = true;  // false: another tab may be delivering; wait for a LeadInput.
};
// This tab now delivers the shared queue (or no longer does); `queue` is every stored
// "q:" entry, read when the tab took the lead.
struct LeadInput {
  bool leader = true;
  std::map<std::string, std::string> queue;
};
// Queue entries another tab stored ("storage" events), or removed.
struct AdoptInput {
  std::map<std::string, std::string> queue;
};
struct ForgetInput {
  std::vector<std::string> keys;
};
// navigator.onLine changed (the "online" / "offline" events).
struct NetworkInput {
  bool online = true;
};
struct TrackInput {
  Json event;  // Raw, so the core can say what was wrong with it.
  Json properties;
};
struct PageInput {
  Json name;
  Json properties;
};
// The Segment calls besides track and page; members stay raw JSON so the core can say
// exactly what was wrong with them.
struct IdentifyInput {
  Json user_id;  // Optional: identify(traits) only adds traits.
  Json traits;
};
struct GroupInput {
  Json group_id;
  Json traits;
};
struct AliasInput {
  Json user_id;      // The new id.
  Json previous_id;  // Optional: defaults to the current userId, else the anonymousId.
};
struct ResetInput {};  // Logout: new anonymous id, no user id, no traits, empty cart.
// Ids (and traits) handed over from outside (an email link's ?pc_uid=, a native app): no
// event is sent.
struct IdentityInput {
  Json user_id;
  Json anonymous_id;
  Json traits;  // Optional: merged into the stored traits, as identify(traits) would.
};
// The site's consent decision, e.g. from its CMP: {"analytics": true, "marketing": false}.
struct ConsentInput {
  Json categories;
};
struct ContextInput {
  Json context;  // Replaces the ambient context, e.g. after an SPA navigation.
};
struct FlushInput {};
struct UnloadInput {};  // The page is being hidden or left: send everything now.
struct TickInput {};  // A timer the core scheduled has fired.
struct DeliveredInput {
  DeliveryResult result;
};
struct StatsInput {};
// A ruleset for the decision engine: the answer to a FetchRulesEffect (status 200 with a
// body, 304 when the cached one is current, 0 on a network error), or one handed over by
// the page (`ruleset`, status 200).
struct RulesInput {
  bool fetched = false;  // An answer to FetchRulesEffect (it has a status), not a page's ruleset.
  int status = 200;
  std::string body;
  Json ruleset;  // Instead of body: an already parsed document.
  std::string etag;
  std::string error;
};
// Something the page saw that campaigns can trigger on: "exitIntent", or "scrollDepth"
// with the deepest percentage scrolled so far.
struct SignalInput {
  std::string name;
  double value = 0;
};
// What happened to an offer the core decided: "shown", "clicked", "dismissed",
// "converted", or "closed" (it went away without the visitor's say, e.g. a route change).
struct OfferInput {
  std::string decision_id;
  std::string action;
};
// The UTC offset of the ruleset's time zone now, in minutes (the shell has the zone data).
struct ClockInput {
  int utc_offset_minutes = 0;
};
// Another tab stored frequency caps or the profile: merge them so caps hold across tabs.
struct StoredInput {
  std::string key;
  std::string value;
};
// Identity, session, cart and consent as the core holds them (debug mode, the rules engine).
struct InspectInput {};

struct Input;

// A track call read by the scanner: the event name and the properties as validated text.
struct ScannedTrack {
  ScannedValue event;      // The event member (a kNull one when absent): named when a string.
  std::string event_name;  // Decoded from `event` when the call runs.
  std::optional<ScannedValue> properties;  // Absent: no properties member.
  FlatProperties flat;                     // Filled when properties is an object.
};

// One call of a CallsInput: a scanned track, another call (decoded the usual way when it
// runs), or why it could not be read.
struct BatchedCall {
  enum class Kind : char { kTrack, kOther, kRefused };
  Kind kind = Kind::kRefused;
  Millis now = 0;
  std::string_view text;  // The call's JSON.
  ScannedTrack track;     // kTrack.
  std::optional<Error> error;  // kRefused.
};

// A lone track input read by the scanner (DecodeInput): handled as a batched track call is,
// with the same checks. Its views point into the input text, alive while it is handled.
struct ScannedTrackInput {
  ScannedTrack track;
  std::vector<FlatMember> members;  // track.flat's spec members (bound when it is handled).
};

// Several calls in one boundary crossing (the shell batches what a page calls in one task);
// each gets its own result. The input is read in one pass, which checks it is JSON as a
// whole before any call runs; track calls keep views into its text (alive while it is
// handled), and only other calls build a DOM, each when it runs.
struct CallsInput {
  std::vector<BatchedCall> calls;
  std::vector<FlatMember> members;  // Every track call's spec members (FlatProperties).
  // Decodes a non-track call from its parsed JSON (DecodeParsed).
  Result<Input> (*decode_other)(Json& root) = nullptr;
};

using Command =
    std::variant<InitInput, TrackInput, PageInput, ContextInput, FlushInput, UnloadInput, TickInput, DeliveredInput,
                 StatsInput, LeadInput, AdoptInput, ForgetInput, NetworkInput, IdentifyInput, GroupInput, AliasInput,
                 ResetInput, IdentityInput, ConsentInput, InspectInput, CallsInput, RulesInput, SignalInput, OfferInput,
                 ClockInput, StoredInput, ScannedTrackInput>;

struct Input {
  Millis now = 0;
  Command command;
};

}  // namespace parcours
