// A campaign ruleset as the decision engine uses it: parsed, validated and compiled once
// when it loads (conditions, regexes and templates included), then indexed by trigger so
// an event only looks at the campaigns it can start. The JSON format is docs/RULES.md,
// checked by docs/ruleset.schema.json.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/error.h"
#include "parcours/iso_time.h"
#include "parcours/json_access.h"
#include "parcours/rules/condition.h"
#include "parcours/rules/template.h"

namespace parcours::rules {

inline constexpr int kRulesetFormat = 1;
// Limits that bound what a hostile or broken ruleset can cost the page. A real ruleset
// is a few KB; 2 MB holds ~2,000 rich campaigns.
inline constexpr size_t kMaxRulesetBytes = 2 * 1024 * 1024;
inline constexpr size_t kMaxRulesetDepth = 32;
inline constexpr size_t kMaxCampaigns = 5000;
inline constexpr size_t kMaxVariants = 20;
inline constexpr size_t kMaxIdBytes = 100;
inline constexpr size_t kMaxProductsShown = 12;

enum class TriggerKind {
  kEvent,         // a tracked event, by name, with an optional condition on its properties
  kPage,          // a page view whose page document matches a condition
  kCartIdle,      // the cart is non-empty and has not changed for N seconds
  kTimeOnPage,    // N seconds after the page (or SPA view) started
  kInactivity,    // N seconds without any event in the session
  kExitIntent,    // the shell saw the pointer leave towards the tab bar (or a back gesture)
  kScrollDepth,   // the visitor scrolled at least N percent of the page
  kSessionStart,  // the first event of a new session
  kReturning,     // the first event of a session that follows N days or more of absence
};
const char* TriggerName(TriggerKind kind);

struct Trigger {
  TriggerKind kind = TriggerKind::kEvent;
  std::string event;  // kEvent
  Condition where;    // kEvent: over the event's properties; kPage: over the page document
  Millis after_ms = 0;  // kCartIdle, kTimeOnPage, kInactivity
  int percent = 0;      // kScrollDepth
  int days = 0;         // kReturning
  bool timer() const {
    return kind == TriggerKind::kCartIdle || kind == TriggerKind::kTimeOnPage || kind == TriggerKind::kInactivity;
  }
};

// -1 means "no cap".
struct Caps {
  int per_session = -1;
  int per_day = -1;
  int lifetime = -1;
  Millis dismiss_cooldown_ms = 0;    // "don't show again for N days" after a dismiss
  bool stop_after_conversion = true;
};

// When a campaign may run: an absolute window, weekdays and hours in the ruleset's time zone.
struct Schedule {
  Millis start = -1;  // inclusive, -1: no start
  Millis end = -1;    // exclusive, -1: no end
  uint8_t weekdays = 0x7f;  // bit d set: ISO weekday d+1 (bit 0 = Monday) allowed
  int from_hour = -1;  // [from, to) local hours; wraps past midnight when from > to
  int to_hour = -1;
  bool always = true;  // No limit set: the check is skipped.
};

// Where products in an offer come from: a path in the context document holding an array
// of Segment product objects (e.g. "event.properties.products", "cart.items").
struct ProductSource {
  std::vector<std::string> path;  // "" when the content shows no products
  size_t limit = 3;
};

// What the renderer shows: an offer, an email capture form (input + consent checkbox), or
// a push notification opt-in. Not a template: the renderer switches on it.
enum class ContentKind { kOffer, kEmailCapture, kPushOptIn };
// "offer", "emailCapture", "pushOptIn".
const char* ContentKindName(ContentKind kind);

// Every text field is a template rendered against the context document. Plain text only:
// the renderer escapes it; no HTML ever comes from a ruleset.
struct Content {
  ContentKind kind = ContentKind::kOffer;
  // title, body, image, imageAlt, cta, ctaUrl, coupon, dismiss, placeholder, consent, success
  std::map<std::string, Template> fields;
  ProductSource products;
};

struct Variant {
  std::string id;
  double weight = 1;
  Content content;
};

struct Conversion {
  std::string event;           // "" when the renderer alone reports conversions
  Millis within_ms = 24LL * 3600 * 1000;
};

struct Campaign {
  std::string id;
  std::string name;
  int priority = 0;  // higher first; ties go to the campaign listed first
  size_t order = 0;  // position in the ruleset
  std::string placement;
  Trigger trigger;
  Condition conditions;
  Caps caps;
  Schedule schedule;
  std::string seed;    // bucketing seed; the campaign id by default
  double holdout = 0;  // share of visitors in the control group, [0, 1)
  std::vector<Variant> variants;
  std::vector<double> weights;  // the variants' weights, for bucketing
  Conversion conversion;
  // false ("governance": false): the ruleset's governance neither blocks this campaign nor
  // counts its decisions (for inline content in a reserved slot, which interrupts nobody).
  bool governed = true;
};

struct Governance {
  int max_offers_per_session = -1;
  Millis min_gap_ms = 0;
  int quiet_from_hour = -1;  // no offer in [from, to) local hours; wraps past midnight
  int quiet_to_hour = -1;
};

struct Ruleset {
  std::string revision;  // the publisher's id of this version, shown in explanations
  std::string timezone;  // IANA name; the shell turns it into a UTC offset
  Governance governance;
  std::vector<Campaign> campaigns;  // sorted by priority desc, then order
  // Campaign indices per trigger, in arbitration order, so a call only looks at its own.
  std::map<std::string, std::vector<size_t>, std::less<>> by_event;
  std::vector<size_t> by_kind[9];
  std::map<std::string, std::vector<size_t>, std::less<>> by_conversion_event;
  std::vector<std::string> warnings;  // e.g. an invalid regex that can never match
  // Distinct paths, regexes and clauses in all conditions: the size of a PathCache.
  PathTable::Counts condition_counts;

  const std::vector<size_t>& OfKind(TriggerKind kind) const { return by_kind[static_cast<int>(kind)]; }
};

// Parses and compiles a ruleset. Anything malformed, over a limit or hostile is refused as
// a whole with kInvalidRuleset naming the offending path, so a half-understood ruleset never
// decides: the caller keeps the previous one.
Result<Ruleset> ParseRuleset(std::string_view text);
Result<Ruleset> CompileRuleset(const Json& document);

// Deepest array/object nesting of raw JSON text, counted without parsing (strings skipped)
// and stopping past `limit`: checked before nlohmann parses, whose recursion a hostile
// document could otherwise drive through the small WASM stack.
size_t RawNestingDepth(std::string_view text, size_t limit);

}  // namespace parcours::rules
