// Decides which offers to show: for one trigger (an event, a page view, a timer, a signal
// from the page) it walks the campaigns that trigger can start, in arbitration order
// (priority, then ruleset order), checks schedule, trigger filter, consent, caps and
// conditions, buckets the winner into a variant or the holdout, and renders its content.
// At most one offer per placement at a time. Every evaluation can explain itself.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/iso_time.h"
#include "parcours/json_access.h"
#include "parcours/rules/caps.h"
#include "parcours/rules/condition.h"
#include "parcours/rules/ruleset.h"

namespace parcours::rules {

// Recent decisions remembered for the renderer's reports (shown, clicked, dismissed...).
inline constexpr size_t kMaxRememberedDecisions = 64;

// What set off an evaluation.
struct TriggerEvent {
  TriggerKind kind = TriggerKind::kEvent;
  std::string_view event_name;       // kEvent
  const Json* properties = nullptr;  // kEvent: the event's properties (may be null)
  int scroll_percent = 0;            // kScrollDepth
  int absent_days = 0;               // kReturning: days since the previous visit
  // A trigger held until the first ruleset loaded, decided now: when it happened (-1: it
  // just did). Explanations give it as `triggeredAt` and `heldMs`.
  Millis held_since = -1;

  static TriggerEvent Of(TriggerKind kind) {
    TriggerEvent trigger;
    trigger.kind = kind;
    return trigger;
  }
};
std::string DescribeTrigger(const TriggerEvent& trigger);

// The context document (user, session, cart, page, event, device, consent, now), built
// by the core only when a campaign gets as far as its conditions, and then only the
// sections (Section) its conditions read: most evaluations stop at the trigger, schedule or
// caps and never pay for it, and a condition on `cart.value` never builds `user`.
class DocumentSource : public SectionSource {
 public:
  // The whole document (templates and product lists read it).
  virtual const Json& Document() = 0;

 protected:
  ~DocumentSource() = default;
};

// Where and when the evaluation happens.
struct Situation {
  Millis now = 0;
  CapPeriod period;  // the session id and the local day
  LocalTime local;   // the ruleset's time zone
  std::string unit_id;  // the bucketing unit: the userId when known, else the anonymousId
  bool personalization = true;  // consent to personalize; without it nothing is shown
  bool explain = false;  // debug mode: one entry with its reason per campaign considered
};

struct Decision {
  std::string id;
  std::string campaign_id;
  std::string campaign_name;
  std::string variant_id;  // "" when held out
  std::string placement;
  int priority = 0;
  bool holdout = false;
  Json content;      // rendered, plain text fields (the renderer escapes them)
  Json explanation;  // why this campaign, and what it won against
  Millis at = 0;
  Millis triggered_at = -1;  // a held trigger (TriggerEvent::held_since): when it happened
};

// A campaign an event converts: by its conversion event after a decision, or by an order
// after a click on its offer.
struct Converted {
  const Campaign* campaign = nullptr;
  std::string decision_id;  // the decision (or the clicked one); "" when counted by an older version
  std::string variant_id;   // "" when held out
  bool variant_known = true;  // false: counted by an older version, which did not keep it
  std::string placement;
  Millis clicked_at = -1;  // click attribution only
};

// Campaigns one order converts by click, at most (the most recent clicks first).
inline constexpr size_t kMaxClickAttributions = 20;

struct Evaluation {
  std::vector<Decision> decisions;  // at most one per placement
  // {"trigger", "revision", "considered", "outcomes": {outcome: count}, "campaigns": [...]
  // (explain mode only)}; built in explain mode or when a decision was made (each carries it
  // as "considered"), else null, as when the trigger had no campaign to consider.
  Json explanation;
};

class DecisionEngine {
 public:
  // Replaces the ruleset; caps, open placements and remembered decisions stay.
  void Load(Ruleset ruleset);
  bool loaded() const { return loaded_; }
  const Ruleset& ruleset() const { return ruleset_; }
  CapLedger& ledger() { return ledger_; }
  const CapLedger& ledger() const { return ledger_; }

  // Whether any campaign has an event trigger for `event_name`; before any ruleset, whether
  // the core holds events for the first one (set_awaiting), which then needs their properties.
  bool StartsOn(std::string_view event_name) const {
    return loaded_ ? ruleset_.by_event.find(event_name) != ruleset_.by_event.end() : awaiting_;
  }
  void set_awaiting(bool awaiting) { awaiting_ = awaiting; }
  // The campaigns `trigger` may start; for timers and once-per-page signals, those due now.
  std::vector<size_t> Candidates(const TriggerEvent& trigger) const;
  Evaluation Evaluate(const std::vector<size_t>& candidates, const TriggerEvent& trigger, const Situation& situation,
                      DocumentSource* document);

  // Timers: anchors are when the cart last changed (-1 when empty), when the page view
  // started, and the last activity. Each timer campaign fires once per anchor value.
  struct TimerAnchors {
    Millis cart_changed_at = -1;
    Millis page_started_at = -1;
    Millis last_activity_at = -1;
  };
  Millis NextTimerAt(const TimerAnchors& anchors) const;
  // The timer campaigns due at `now`, marked fired; in arbitration order.
  std::vector<size_t> TakeDueTimers(const TimerAnchors& anchors, Millis now);
  // Exit intent and scroll depth fire once per page view: forgets what fired on the last one.
  void StartPageView();

  // The renderer closed the offer (dismissed, or the SPA view went away): its placement is free.
  void Release(const std::string& decision_id);
  const Decision* FindDecision(std::string_view decision_id) const;
  // Campaigns converted by `event_name` at `now`: shown (or held out) within their
  // conversion window and not converted since. Read from the cap ledger, so a conversion on
  // a later page or in another tab counts; marked converted there. Each names the decision
  // and variant the ledger kept, not a new bucketing (a login may have moved the visitor).
  std::vector<Converted> TakeConversions(std::string_view event_name, Millis now);
  // Campaigns an order at `now` converts by click: of the active ruleset, clicked within
  // their conversion window (`withinHours`, 24 h without `conversion`) counted from the
  // click, and not converted since it. Most recent click first, at most
  // kMaxClickAttributions. Nothing is marked: MarkConverted does, once the order is accepted.
  std::vector<Converted> ClickAttributions(Millis now) const;
  void MarkConverted(const std::vector<Converted>& converted, Millis now);

  void set_id_prefix(std::string prefix) { id_prefix_ = std::move(prefix); }

 private:
  Json RenderContent(const Variant& variant, DocumentSource* document) const;
  void Remember(Decision decision);
  // The ledger's counts of campaign `index` (null: none), from counts_ while the ledger's
  // layout is the one they were found in. Only for a ledger that is not empty.
  const CampaignCounts* CountsOf(size_t index);

  Ruleset ruleset_;
  bool loaded_ = false;
  bool awaiting_ = false;
  CapLedger ledger_;
  std::map<std::string, std::string, std::less<>> occupied_;  // placement -> decision id
  std::vector<Decision> recent_;  // oldest first, bounded
  std::map<std::string, Millis, std::less<>> timer_fired_;  // campaign id -> anchor it fired for
  std::map<std::string, bool, std::less<>> page_fired_;     // once-per-page signals that fired
  std::string id_prefix_ = "d";
  uint64_t next_id_ = 1;
  // The ledger's entries by campaign index (ruleset_.campaigns), found for ledger layout
  // counts_layout_ (0: not yet).
  std::vector<const CampaignCounts*> counts_;
  uint64_t counts_layout_ = 0;
  // Paths resolved during one evaluation (reset by each): kept to reuse their memory.
  PathCache context_paths_;
  PathCache trigger_paths_;
};

// A value in a document by path segments ("cart", "items", "0", "name"): objects by key,
// arrays by decimal index, as GrowthBook resolves dotted attribute paths. Null when absent.
const Json* LookupPath(const Json& document, const std::vector<std::string>& path);

}  // namespace parcours::rules
