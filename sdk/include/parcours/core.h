// The parcours core: a deterministic state machine. Inputs (calls, timer ticks, delivery
// results, each with the current time) go in; effects (send, persist, schedule, log) come
// out. No clock, randomness, storage or network is touched here.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "parcours/cart.h"
#include "parcours/config.h"
#include "parcours/consent.h"
#include "parcours/effect.h"
#include "parcours/event_builder.h"
#include "parcours/input.h"
#include "parcours/outbox.h"
#include "parcours/random.h"
#include "parcours/rules/decision_engine.h"
#include "parcours/rules/profile.h"
#include "parcours/session.h"

namespace parcours {

inline constexpr size_t kMaxPropertiesDepth = 32;

class Core {
  friend class DecisionDocument;  // The context document decisions read (core_context.cpp).

 public:
  explicit Core(std::string library_version);
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  Output Handle(Input input);

  bool initialized() const { return outbox_ != nullptr; }
  const Identity& identity() const { return identity_; }

 private:
  // core.cpp: lifecycle, delivery, and the tail every input shares.
  void Init(InitInput& input, Millis now, Output* out);
  void OnDelivered(const DeliveryResult& result, Millis now, Output* out);
  void Unload(Millis now, Output* out);
  Json Stats() const;
  // Common tail of every input: send what is due, persist if changed, re-arm the timer.
  void Settle(Millis now, Output* out);

  // core_calls.cpp: the Segment calls.
  void Track(TrackInput& input, Millis now, Output* out);
  void Page(PageInput& input, Millis now, Output* out);
  void Identify(IdentifyInput& input, Millis now, Output* out);
  void Group(GroupInput& input, Millis now, Output* out);
  void Alias(AliasInput& input, Millis now, Output* out);
  void Reset(Output* out);
  void SetIdentity(IdentityInput& input, Output* out);
  // Validates, builds and queues one event; the result carries its messageId.
  // `context_members`: see Accept.
  void Enqueue(const CallFields& call, Millis now, Output* out, std::string* context_members = nullptr);
  // Queues an event from its own members (see QueuedEvent); `call_type` names it in errors.
  // `context_members` (`"offers":[...]`), when given, go into this event's context alone;
  // if they would make it exceed maxEventBytes they are left out and *context_members cleared.
  void Accept(std::string members, const std::string& call_type, Millis now, Output* out,
              std::string* context_members = nullptr);
  // The envelope for an event at `now`: the cached one while identity, page, consent and
  // session are unchanged. Touches the session.
  std::shared_ptr<const std::string> CurrentEnvelope(Millis now, Output* out);

  // core_batch.cpp: a batch of calls in one crossing, and the scanned track path (batched
  // track calls and lone track inputs).
  void Calls(CallsInput& input, Output* out);
  void TrackScanned(ScannedTrack& track, Millis now, Output* out);

  // core_queue.cpp: the queue in storage, in chunks (queue_store.h).
  // Takes in stored chunks (load, lead, another tab's write): storage is the truth for each
  // chunk named, so pending events of a chunk that no longer lists them are forgotten.
  void AdoptStored(const std::map<std::string, std::string>& stored, Output* out);
  void ForgetChunks(const std::vector<std::string>& keys);
  // The chunk holding `event` must be rewritten (or removed) when this input ends.
  void MarkDirty(const QueuedEvent& event);
  // Stores this input's new events as one chunk, rewrites the chunks marked dirty.
  void StoreQueue(Output* out);

  // core_visit.cpp: the visit around events — session and cart.
  void RestoreVisit(const InitInput& input, Output* out);
  // Touches the session for an event at `now`; keeps visit_context_ (the per-event context
  // members) current and says whether it changed.
  bool VisitContext(Millis now, Output* out);
  void UpdateCart(const std::string& event, const Json& properties, Millis now, Output* out);
  void ForgetVisit(Output* out);
  void SetContext(const Json& context);
  Json Inspect() const;

  // core_consent.cpp: what consent allows, and what withdrawing it erases.
  void OnConsent(ConsentInput& input, Output* out);
  void ApplyAnalyticsConsent(ConsentState after, Output* out);
  bool CanStore() const { return consent_.Granted("analytics"); }
  void Store(Output* out, std::string key, std::string value);
  void PurgeAnalytics(Output* out);

  // core_decisions.cpp: campaigns decided on the device.
  void RestoreDecisions(const InitInput& input, Millis now, Output* out);
  // core_rules.cpp: the ruleset's cache, loading and revalidation.
  void RestoreRules(const InitInput& input, Output* out);
  // Asks for a fetch when one is due; answers when the next revalidation is due (-1: none).
  Millis SettleRulesFetch(Millis now, Output* out);
  // A new visit revalidates the ruleset, unless it was just fetched.
  bool RevalidateSoon(Millis now) const;
  void OnRules(RulesInput& input, Millis now, Output* out);
  // Makes `parsed` the active ruleset, or keeps the previous one and reports why (once).
  bool LoadRules(Result<rules::Ruleset> parsed, const std::string& source, Output* out);
  void OnSignal(const SignalInput& input, Millis now, Output* out);
  void OnOffer(const OfferInput& input, Millis now, Output* out);
  void OnStored(const StoredInput& input, Output* out);
  // Logout or withdrawn consent: the counters and caps were the previous person's.
  void ForgetProfile(Output* out);
  // The campaigns an `Order Completed` at `now` converts by click, and the context member
  // that stamps them on the order (`"offers":[...]`, "" when none).
  std::vector<rules::Converted> OrderAttributions(Millis now, std::string* context_members) const;
  // After a tracked event or page view was accepted: counters, conversions, triggers.
  // `clicks`: what OrderAttributions found for this order, stamped on it. `raw_properties`:
  // the properties' JSON text when the scanned track path did not parse them (`properties`
  // null), kept by a held trigger and parsed only if the first ruleset has use for them.
  void AfterEvent(const std::string& name, const Json* properties, bool page_view, Millis now, Output* out,
                  const std::vector<rules::Converted>* clicks = nullptr, std::string_view raw_properties = {});
  // Before the first ruleset of a page load (none inline or cached, the first fetch not
  // answered yet), the triggers that arrive are held, and decided when it loads
  // (docs/RULES.md, "Fetching and caching").
  struct HeldTrigger {
    Millis at = 0;
    std::string name;  // the tracked event's name; "Page Viewed" for a page view
    Json properties;   // a copy of the event's properties (null for page views)...
    // ...or their JSON text (scanned track calls), parsed when a campaign starts on the event.
    std::string raw_properties;
    bool page_view = false;
    bool session_start = false;  // the event started a session: sessionStart, returning
    int absent_days = 0;
  };
  HeldTrigger& HoldTrigger(const std::string& name, const Json* properties, std::string_view raw_properties,
                           bool page_view, Millis now);
  // The first ruleset loaded: decides the held triggers younger than 10 s, in order, at `now`.
  void DecideHeldTriggers(Millis now, Output* out);
  // The first fetch failed (or was refused, or answered 304 with nothing loaded): no ruleset
  // is coming soon, so the held triggers are dropped and no more are held.
  void DropHeldTriggers(const char* why, Output* out);
  void StopHoldingTriggers();
  void RunTimers(Millis now, Output* out);
  void Decide(const rules::TriggerEvent& trigger, const std::vector<size_t>& candidates, Millis now, Output* out);
  // `extra`: more properties (attribution, order_id...).
  void TrackOffer(const char* event, const std::string& decision_id, const std::string& campaign_id,
                  const std::string& campaign_name, const std::string& variant_id, const std::string& placement,
                  Millis now, Output* out, const Json* extra = nullptr);
  // {"revision", "campaigns", "source", "etag", "fetchedAt"}, null before any ruleset loaded.
  Json RulesSummary() const;
  // One section of the context document conditions and templates read (core_decisions.cpp
  // lists them); false for a name that is not a section.
  bool DecisionSection(std::string_view name, const rules::TriggerEvent& trigger, Millis now, Json* out) const;
  rules::DecisionEngine::TimerAnchors TimerAnchors() const;
  // Fetches that are due, caps and profile to store; the time decisions next need a tick.
  Millis SettleDecisions(Millis now, Output* out);

  std::string library_version_;
  Config config_;
  std::unique_ptr<Outbox> outbox_;  // Null until init.
  EventBuilder builder_;
  Random random_;
  Identity identity_;
  ConsentPolicy consent_;
  SessionTracker session_;
  // The campaign of the page context, serialized once per context: it is the session key.
  std::string context_campaign_;
  // The campaign that started this session (landing page) as JSON, "" when none.
  std::string session_campaign_;
  Millis session_stored_at_ = -1;
  Cart cart_;
  bool state_dirty_ = false;  // Identity or counters changed: rewrite the "state" entry.
  bool cart_dirty_ = false;   // Written once per input, however many calls changed it.
  std::set<std::string> dirty_chunks_;
  // The last envelope built, and what it was built from.
  std::shared_ptr<const std::string> envelope_;
  std::string visit_context_;
  // What visit_context_ was written from: it is rewritten only when one of these changes,
  // not on every event.
  struct VisitStamp {
    bool written = false;
    std::string consent;
    std::string session_id;
    int64_t session_count = 0;
    Millis session_started_at = 0;
    bool session_is_new = false;
    std::string campaign;
  };
  VisitStamp visit_stamp_;
  std::string envelope_anonymous_id_;
  std::string envelope_user_id_;
  uint64_t envelope_generation_ = 0;
  uint64_t next_sequence_ = 0;
  rules::DecisionEngine decisions_;
  rules::Profile profile_;
  int utc_offset_minutes_ = 0;
  Millis page_started_at_ = -1;
  Millis last_activity_at_ = -1;
  std::string rules_etag_;
  std::string rules_source_;  // "inline", "cache", "network" or "page"
  Millis rules_fetched_at_ = -1;  // last answer from the network, any status
  bool rules_fetch_pending_ = false;
  bool rules_fetch_now_ = false;  // a new session asks for a revalidation
  bool holding_triggers_ = false;  // see HeldTrigger
  std::deque<HeldTrigger> held_triggers_;  // oldest first, at most kMaxHeldTriggers
  std::string rules_error_reported_;  // the last error logged, so a failure is reported once
  bool caps_dirty_ = false;
  bool profile_dirty_ = false;
  Millis profile_stored_at_ = -1;
  // The cart's part of the decision document, and the cart revision it was built from.
  mutable Json cart_document_;
  mutable uint64_t cart_document_revision_ = 0;
  Millis scheduled_at_ = -1;
};

}  // namespace parcours
