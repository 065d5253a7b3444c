// The decision engine inside the core: feeding it triggers (events, page views, timers,
// page signals), tracking what happened to offers, and keeping caps and the visitor profile
// stored. Loading the ruleset is core_rules.cpp, the context document core_context.cpp; the
// engine itself is sdk/*/rules/.
#include <algorithm>
#include <cmath>
#include <utility>

#include "decision_document.h"
#include "parcours/core.h"
#include "parcours/rules/bucketing.h"

namespace parcours {
namespace {

// Writing the profile on every event would double storage writes per call; a crash loses
// at most this much of the counters.
constexpr Millis kProfileStoreEveryMs = 30 * 1000;
// A decision made for a held trigger says so on its Offer events: which trigger, and how
// long it waited for the ruleset.
void AddHeldTrigger(const rules::Decision& decision, Json* extra) {
  if (decision.triggered_at < 0) return;
  if (const std::string* trigger = FindString(decision.explanation, "trigger")) (*extra)["trigger"] = *trigger;
  (*extra)["trigger_held_ms"] = decision.at - decision.triggered_at;
}

}  // namespace

void Core::RestoreDecisions(const InitInput& input, Millis now, Output* out) {
  page_started_at_ = now;
  decisions_.set_id_prefix(random_.UuidV4().substr(0, 8));
  if (!input.caps.empty()) {
    auto caps = rules::CapLedger::Decode(input.caps);
    if (caps.ok()) decisions_.ledger() = std::move(caps.value());
    else AddLog(out, "warn", caps.error().message + "; frequency caps start over");
  }
  if (!input.profile.empty()) {
    auto profile = rules::Profile::Decode(input.profile);
    if (profile.ok()) profile_ = std::move(profile.value());
    else AddLog(out, "warn", profile.error().message + "; visitor counters start over");
  }
  RestoreRules(input, out);
}

void Core::OnSignal(const SignalInput& input, Millis now, Output* out) {
  rules::TriggerEvent trigger;
  if (input.name == "exitIntent") {
    trigger.kind = rules::TriggerKind::kExitIntent;
  } else if (input.name == "scrollDepth" && std::isfinite(input.value) && input.value >= 0 && input.value <= 100) {
    trigger.kind = rules::TriggerKind::kScrollDepth;
    trigger.scroll_percent = static_cast<int>(input.value);
  } else {
    out->error = MakeError(ErrorCode::kInvalidInput,
                           "signal must be exitIntent, or scrollDepth with a value from 0 to 100", "name");
    return;
  }
  Decide(trigger, decisions_.Candidates(trigger), now, out);
}

void Core::OnOffer(const OfferInput& input, Millis now, Output* out) {
  const rules::Decision* found = decisions_.FindDecision(input.decision_id);
  if (!found) {
    out->error = MakeError(ErrorCode::kUnknownDecision,
                           "no decision \"" + input.decision_id + "\" on this page (it may be from an older page view)",
                           "decisionId");
    return;
  }
  const rules::Decision decision = *found;  // Tracking below may evict it from the engine's list.
  const char* event = nullptr;
  Json extra;
  if (input.action == "shown") {
    event = "Offer Shown";
  } else if (input.action == "clicked") {
    event = "Offer Clicked";
    // Remembered for click attribution: a later order converts the campaign.
    if (!decision.holdout) {
      decisions_.ledger().RecordClicked(decision.campaign_id, now, decision.id, decision.variant_id,
                                        decision.placement);
      caps_dirty_ = true;
    }
  } else if (input.action == "dismissed") {
    event = "Offer Dismissed";
    decisions_.ledger().RecordDismissed(decision.campaign_id, now);
    decisions_.Release(decision.id);
    caps_dirty_ = true;
  } else if (input.action == "converted") {
    event = "Offer Converted";
    extra["attribution"] = "report";
    decisions_.ledger().RecordConverted(decision.campaign_id, now);
    caps_dirty_ = true;
  } else if (input.action == "closed") {
    decisions_.Release(decision.id);
    return;
  } else {
    out->error = MakeError(ErrorCode::kInvalidInput,
                           "action must be shown, clicked, dismissed, converted or closed", "action");
    return;
  }
  AddHeldTrigger(decision, &extra);
  TrackOffer(event, decision.id, decision.campaign_id, decision.campaign_name, decision.variant_id, decision.placement,
             now, out, extra.is_object() ? &extra : nullptr);
}

void Core::OnStored(const StoredInput& input, Output* out) {
  if (input.key != rules::kCapsKey) return;
  auto theirs = rules::CapLedger::Decode(input.value);
  if (!theirs.ok()) return void(AddLog(out, "debug", "ignored unreadable caps written by another tab"));
  decisions_.ledger().Merge(theirs.value());
}

void Core::ForgetProfile(Output* out) {
  held_triggers_.clear();  // The previous person's, too.
  profile_ = rules::Profile();
  decisions_.ledger() = rules::CapLedger();
  profile_dirty_ = false;
  caps_dirty_ = false;
  out->effects.emplace_back(RemoveEffect{rules::kProfileKey});
  out->effects.emplace_back(RemoveEffect{rules::kCapsKey});
}

std::vector<rules::Converted> Core::OrderAttributions(Millis now, std::string* context_members) const {
  std::vector<rules::Converted> clicks = decisions_.ClickAttributions(now);
  if (clicks.empty()) return clicks;
  Json offers = Json::array();
  for (const rules::Converted& click : clicks) {
    Json& offer = offers.emplace_back(Json::object());
    offer["campaign_id"] = click.campaign->id;
    offer["variant_id"] = click.variant_id;
    offer["decision_id"] = click.decision_id;
    offer["placement"] = click.placement;
    offer["clicked_at"] = FormatIso8601(click.clicked_at);
  }
  *context_members = "\"offers\":" + DumpJson(offers);
  return clicks;
}

void Core::AfterEvent(const std::string& name, const Json* properties, bool page_view, Millis now, Output* out,
                      const std::vector<rules::Converted>* clicks, std::string_view raw_properties) {
  last_activity_at_ = now;
  const LocalTime local = ToLocalTime(now, utc_offset_minutes_);
  // A new page view frees the placements before anything decides for it.
  if (page_view) {
    page_started_at_ = now;
    decisions_.StartPageView();
  }
  // Nothing decides before the first ruleset: what it would have decided waits for it.
  HeldTrigger* held = holding_triggers_ ? &HoldTrigger(name, properties, raw_properties, page_view, now) : nullptr;
  if (session_.is_new()) {
    rules::TriggerEvent start = rules::TriggerEvent::Of(rules::TriggerKind::kSessionStart);
    rules::TriggerEvent returning = rules::TriggerEvent::Of(rules::TriggerKind::kReturning);
    returning.absent_days = profile_.OnSessionStart(now);
    if (held) {
      held->session_start = true;
      held->absent_days = returning.absent_days;
    }
    rules_fetch_now_ = RevalidateSoon(now);
    Decide(start, decisions_.Candidates(start), now, out);
    if (returning.absent_days > 0) Decide(returning, decisions_.Candidates(returning), now, out);
  }
  profile_.OnEvent(name, properties, now, local.day_number);
  profile_dirty_ = true;
  if (std::string_view(name) == "Order Completed") profile_stored_at_ = -1;  // Orders matter: store them now.
  if (page_view) {
    rules::TriggerEvent trigger = rules::TriggerEvent::Of(rules::TriggerKind::kPage);
    Decide(trigger, decisions_.Candidates(trigger), now, out);
    return;
  }
  // Clicks first: an order converts a clicked campaign once, by click, and the conversion
  // by event below then finds it converted.
  if (clicks && !clicks->empty()) {
    decisions_.MarkConverted(*clicks, now);
    caps_dirty_ = true;
    Json order = Json::object();
    order["attribution"] = "click";
    if (properties) {
      const Json* order_id = Find(*properties, "order_id");
      if (order_id && (order_id->is_string() || order_id->is_number())) order["order_id"] = *order_id;
      const Json* revenue = Find(*properties, "revenue");
      if (!revenue || !revenue->is_number()) revenue = Find(*properties, "total");
      if (revenue && revenue->is_number()) order["revenue"] = *revenue;
      if (const std::string* currency = FindString(*properties, "currency")) order["currency"] = *currency;
    }
    for (const rules::Converted& click : *clicks) {
      TrackOffer("Offer Converted", click.decision_id, click.campaign->id, click.campaign->name, click.variant_id,
                 click.placement, now, out, &order);
    }
  }
  // Built only for a conversion: a Json object per tracked event showed up in bursts.
  const std::vector<rules::Converted> conversions = decisions_.TakeConversions(name, now);
  Json by_event;
  if (!conversions.empty()) by_event["attribution"] = "decision";
  for (const rules::Converted& converted : conversions) {
    const rules::Campaign& campaign = *converted.campaign;
    std::string variant = converted.variant_id;
    if (!converted.variant_known) {  // Counted by an older version: the visitor's bucket now.
      const rules::Assignment assignment =
          rules::Assign(campaign.seed, identity_.user_id.empty() ? identity_.anonymous_id : identity_.user_id,
                        campaign.weights, campaign.holdout);
      const bool held_out = assignment.holdout || assignment.variant < 0;
      variant = held_out ? "" : campaign.variants[static_cast<size_t>(assignment.variant)].id;
    }
    TrackOffer("Offer Converted", converted.decision_id, campaign.id, campaign.name, variant, converted.placement,
               now, out, &by_event);
    caps_dirty_ = true;
  }
  rules::TriggerEvent trigger = rules::TriggerEvent::Of(rules::TriggerKind::kEvent);
  trigger.event_name = name;
  trigger.properties = properties;
  Decide(trigger, decisions_.Candidates(trigger), now, out);
}

rules::DecisionEngine::TimerAnchors Core::TimerAnchors() const {
  rules::DecisionEngine::TimerAnchors anchors;
  if (!cart_.empty() && cart_.last_change_at()) anchors.cart_changed_at = *cart_.last_change_at();
  anchors.page_started_at = page_started_at_;
  anchors.last_activity_at = last_activity_at_;
  return anchors;
}

void Core::RunTimers(Millis now, Output* out) {
  const std::vector<size_t> due = decisions_.TakeDueTimers(TimerAnchors(), now);
  if (due.empty()) return;
  // Each timer kind is its own trigger, so explanations say which one fired.
  for (rules::TriggerKind kind :
       {rules::TriggerKind::kCartIdle, rules::TriggerKind::kTimeOnPage, rules::TriggerKind::kInactivity}) {
    std::vector<size_t> of_kind;
    for (size_t index : due) {
      if (decisions_.ruleset().campaigns[index].trigger.kind == kind) of_kind.push_back(index);
    }
    const rules::TriggerEvent trigger = rules::TriggerEvent::Of(kind);
    Decide(trigger, of_kind, now, out);
  }
}

void Core::Decide(const rules::TriggerEvent& trigger, const std::vector<size_t>& candidates, Millis now, Output* out) {
  if (candidates.empty()) return;
  DecisionDocument document(*this, trigger, now);
  rules::Situation situation;
  situation.now = now;
  situation.local = ToLocalTime(now, utc_offset_minutes_);
  situation.period = {session_.id(), situation.local.day_number};
  situation.unit_id = identity_.user_id.empty() ? identity_.anonymous_id : identity_.user_id;
  situation.personalization = consent_.Granted("personalization");
  situation.explain = config_.debug;
  rules::Evaluation evaluation = decisions_.Evaluate(candidates, trigger, situation, &document);
  if (config_.debug && !evaluation.explanation.is_null()) {
    AddLog(out, "debug", "[parcours.decision] " + DumpJson(evaluation.explanation));
  }
  for (const rules::Decision& decision : evaluation.decisions) {
    caps_dirty_ = true;
    if (decision.holdout) {
      Json extra;
      AddHeldTrigger(decision, &extra);
      TrackOffer("Offer Held Out", decision.id, decision.campaign_id, decision.campaign_name, "", decision.placement,
                 now, out, extra.is_object() ? &extra : nullptr);
      continue;
    }
    // Member by member: nlohmann's initializer lists inline a lot of code per use in WASM.
    Json shown = Json::object();
    shown["id"] = decision.id;
    Json& campaign = shown["campaign"];
    campaign["id"] = decision.campaign_id;
    campaign["name"] = decision.campaign_name;
    shown["variant"] = decision.variant_id;
    shown["placement"] = decision.placement;
    shown["priority"] = decision.priority;
    shown["content"] = decision.content;
    shown["explanation"] = decision.explanation;
    shown["at"] = decision.at;
    out->effects.emplace_back(ShowEffect{DumpJson(shown)});
  }
}

void Core::TrackOffer(const char* event, const std::string& decision_id, const std::string& campaign_id,
                      const std::string& campaign_name, const std::string& variant_id, const std::string& placement,
                      Millis now, Output* out, const Json* extra) {
  Json properties = {{"campaign_id", campaign_id},
                     {"campaign_name", campaign_name},
                     {"variant_id", variant_id.empty() ? Json() : Json(variant_id)},
                     {"placement", placement},
                     {"holdout", variant_id.empty()},
                     {"ruleset_revision", decisions_.ruleset().revision}};
  if (!decision_id.empty()) properties["decision_id"] = decision_id;
  if (extra) properties.update(*extra);
  CallFields call{"track", event};
  call.properties = &properties;
  // The interaction is recorded even when the call that caused it answers with its own
  // result: keep that result, and report a refused offer event in the log only.
  Output tracked;
  Enqueue(call, now, &tracked);
  if (tracked.error) AddLog(out, "warn", tracked.error->message);
  for (Effect& effect : tracked.effects) out->effects.push_back(std::move(effect));
  if (out->message_id.empty()) out->message_id = std::move(tracked.message_id);
}

Millis Core::SettleDecisions(Millis now, Output* out) {
  if (caps_dirty_) {
    Store(out, rules::kCapsKey, decisions_.ledger().Encode());
    caps_dirty_ = false;
  }
  if (profile_dirty_ && (profile_stored_at_ < 0 || now - profile_stored_at_ >= kProfileStoreEveryMs)) {
    Store(out, rules::kProfileKey, profile_.Encode());
    profile_dirty_ = false;
    profile_stored_at_ = now;
  }
  Millis wake = decisions_.NextTimerAt(TimerAnchors());
  if (const Millis refresh = SettleRulesFetch(now, out); refresh >= 0) wake = wake < 0 ? refresh : std::min(wake, refresh);
  if (profile_dirty_) {
    const Millis store = profile_stored_at_ + kProfileStoreEveryMs;
    wake = wake < 0 ? store : std::min(wake, store);
  }
  return wake;
}

}  // namespace parcours
