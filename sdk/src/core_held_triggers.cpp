// A first visit's race: with no ruleset stored or inline, the page views and events tracked
// while the first GET /v1/decisions is in flight are held here, then decided when it loads
// (or dropped when it fails). Feeding triggers in general is core_decisions.cpp.
#include <algorithm>
#include <utility>

#include "parcours/core.h"

namespace parcours {
namespace {

// Triggers held for the first ruleset: the last few, and only recent ones when it loads (an
// offer for something the visitor did long ago would surprise more than it helps).
constexpr size_t kMaxHeldTriggers = 16;
constexpr Millis kHeldTriggerMaxAgeMs = 10 * 1000;

}  // namespace

Core::HeldTrigger& Core::HoldTrigger(const std::string& name, const Json* properties, std::string_view raw_properties,
                                     bool page_view, Millis now) {
  HeldTrigger entry;
  // A page view starts a new view: offers for what happened on the previous one would land
  // on the wrong page. A session start it drops still counts, as it does when dropped for room.
  auto forget = [&entry](const HeldTrigger& dropped) {
    entry.session_start = entry.session_start || dropped.session_start;
    entry.absent_days = std::max(entry.absent_days, dropped.absent_days);
  };
  if (page_view) {
    for (const HeldTrigger& earlier : held_triggers_) forget(earlier);
    held_triggers_.clear();
  }
  if (held_triggers_.size() >= kMaxHeldTriggers) {
    // A burst while the ruleset loads drops one entry per event: the new one takes over its
    // strings' memory (forgetting it into a fresh entry would keep exactly its two flags).
    entry = std::move(held_triggers_.front());
    held_triggers_.pop_front();
    entry.properties = Json();
  }
  entry.at = now;
  entry.name = name;
  entry.page_view = page_view;
  entry.raw_properties.clear();
  // The scanned track path hands the text: copying it is cheaper than building and copying
  // a DOM most events never need (only those a campaign of the first ruleset starts on).
  if (!page_view && properties) entry.properties = *properties;
  else if (!page_view) entry.raw_properties = raw_properties;
  held_triggers_.push_back(std::move(entry));
  return held_triggers_.back();
}

void Core::DecideHeldTriggers(Millis now, Output* out) {
  const std::deque<HeldTrigger> held = std::move(held_triggers_);
  StopHoldingTriggers();
  size_t stale = 0;
  for (const HeldTrigger& entry : held) {
    if (now - entry.at >= kHeldTriggerMaxAgeMs) {
      ++stale;
      continue;
    }
    // In the order AfterEvent decides them, as if they had just happened.
    if (entry.session_start) {
      rules::TriggerEvent start = rules::TriggerEvent::Of(rules::TriggerKind::kSessionStart);
      start.held_since = entry.at;
      Decide(start, decisions_.Candidates(start), now, out);
      if (entry.absent_days > 0) {
        rules::TriggerEvent returning = rules::TriggerEvent::Of(rules::TriggerKind::kReturning);
        returning.absent_days = entry.absent_days;
        returning.held_since = entry.at;
        Decide(returning, decisions_.Candidates(returning), now, out);
      }
    }
    rules::TriggerEvent trigger = rules::TriggerEvent::Of(entry.page_view ? rules::TriggerKind::kPage : rules::TriggerKind::kEvent);
    trigger.held_since = entry.at;
    Json parsed;
    if (!entry.page_view) {
      trigger.event_name = entry.name;
      trigger.properties = entry.properties.is_object() ? &entry.properties : nullptr;
      if (!entry.raw_properties.empty() && decisions_.StartsOn(entry.name)) {
        parsed = Json::parse(entry.raw_properties, nullptr, false);
        if (parsed.is_object()) trigger.properties = &parsed;
      }
    }
    Decide(trigger, decisions_.Candidates(trigger), now, out);
  }
  if (config_.debug && !held.empty()) {
    AddLog(out, "debug", "[parcours.decision] the first ruleset decided " + std::to_string(held.size() - stale) +
                             " triggers held while it loaded" +
                             (stale ? "; " + std::to_string(stale) + " older than 10 s were dropped" : ""));
  }
}

void Core::DropHeldTriggers(const char* why, Output* out) {
  if (!holding_triggers_) return;
  if (config_.debug && !held_triggers_.empty()) {
    AddLog(out, "debug", "[parcours.decision] " + std::to_string(held_triggers_.size()) +
                             " triggers held for the first ruleset were dropped: " + why);
  }
  StopHoldingTriggers();
}

void Core::StopHoldingTriggers() {
  holding_triggers_ = false;
  held_triggers_.clear();
  decisions_.set_awaiting(false);
}

}  // namespace parcours
