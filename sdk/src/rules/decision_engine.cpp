// Arbitration, explanations and content rendering for one evaluation (decision_engine.h).
// Checks run cheapest first (placement, schedule, trigger filter, caps) so the context
// document is only built, and conditions only run, for campaigns that could still win.
#include "parcours/rules/decision_engine.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "parcours/rules/bucketing.h"

namespace parcours::rules {
namespace {

const char* const kOutcomes[] = {"shown", "heldOut", "lostArbitration", "placementBusy", "outsideSchedule",
                                 "triggerFilter", "blocked", "notMatched", "noConsent"};
enum Outcome { kShown, kHeldOut, kLostArbitration, kPlacementBusy, kOutsideSchedule, kTriggerFilter, kBlocked,
               kNotMatched, kNoConsent, kOutcomeCount };

std::string OutsideSchedule(const Schedule& schedule, const Situation& situation) {
  if (schedule.start >= 0 && situation.now < schedule.start) return "starts " + FormatIso8601(schedule.start);
  if (schedule.end >= 0 && situation.now >= schedule.end) return "ended " + FormatIso8601(schedule.end);
  if (!(schedule.weekdays & (1u << (situation.local.weekday - 1)))) {
    return "not on weekday " + std::to_string(situation.local.weekday);
  }
  if (schedule.from_hour >= 0 && !InHourWindow(situation.local.hour, schedule.from_hour, schedule.to_hour)) {
    return "outside hours " + std::to_string(schedule.from_hour) + "h-" + std::to_string(schedule.to_hour) + "h";
  }
  return "";
}

// A ternary between a reference and a temporary would copy the referenced document for
// every campaign; conditions read through a pointer to this instead.
const Json& EmptyObject() {
  static const Json empty = Json::object();
  return empty;
}

Json ProductCard(const Json& product) {
  Json card = Json::object();
  for (const char* key : {"product_id", "sku", "name", "brand", "category", "variant", "url", "image_url", "currency"}) {
    if (const std::string* value = FindString(product, key)) card[key] = value->substr(0, 500);
  }
  double number;
  if (FindNumber(product, "price", &number)) card["price"] = number;
  if (FindNumber(product, "quantity", &number)) card["quantity"] = number;
  return card;
}

}  // namespace

const Json* LookupPath(const Json& document, const std::vector<std::string>& path) {
  const Json* current = &document;
  for (const std::string& part : path) {
    if (current->is_object()) {
      const auto it = current->find(part);
      if (it == current->end()) return nullptr;
      current = &*it;
    } else if (current->is_array()) {
      if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos) return nullptr;
      const size_t index = static_cast<size_t>(std::strtoul(part.c_str(), nullptr, 10));
      if (index >= current->size()) return nullptr;
      current = &(*current)[index];
    } else {
      return nullptr;
    }
  }
  return current;
}

std::string DescribeTrigger(const TriggerEvent& trigger) {
  std::string text = TriggerName(trigger.kind);
  if (trigger.kind == TriggerKind::kEvent) text += ":" + std::string(trigger.event_name);
  if (trigger.kind == TriggerKind::kScrollDepth) text += ":" + std::to_string(trigger.scroll_percent) + "%";
  if (trigger.kind == TriggerKind::kReturning) text += ":" + std::to_string(trigger.absent_days) + "d";
  return text;
}

void DecisionEngine::Load(Ruleset ruleset) {
  ruleset_ = std::move(ruleset);
  loaded_ = true;
  counts_layout_ = 0;  // Campaign indices changed.
}

const CampaignCounts* DecisionEngine::CountsOf(size_t index) {
  if (counts_layout_ != ledger_.layout()) {
    counts_.assign(ruleset_.campaigns.size(), nullptr);
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] = ledger_.Find(ruleset_.campaigns[i].id);
    counts_layout_ = ledger_.layout();
  }
  return counts_[index];
}

std::vector<size_t> DecisionEngine::Candidates(const TriggerEvent& trigger) const {
  if (!loaded_) return {};
  if (trigger.kind == TriggerKind::kEvent) {
    const auto it = ruleset_.by_event.find(trigger.event_name);
    return it == ruleset_.by_event.end() ? std::vector<size_t>{} : it->second;
  }
  std::vector<size_t> candidates;
  for (size_t index : ruleset_.OfKind(trigger.kind)) {
    const Campaign& campaign = ruleset_.campaigns[index];
    if (trigger.kind == TriggerKind::kScrollDepth && campaign.trigger.percent > trigger.scroll_percent) continue;
    if (trigger.kind == TriggerKind::kReturning && campaign.trigger.days > trigger.absent_days) continue;
    if ((trigger.kind == TriggerKind::kScrollDepth || trigger.kind == TriggerKind::kExitIntent) &&
        page_fired_.count(campaign.id)) {
      continue;
    }
    candidates.push_back(index);
  }
  return candidates;
}

Evaluation DecisionEngine::Evaluate(const std::vector<size_t>& candidates, const TriggerEvent& trigger,
                                    const Situation& situation, DocumentSource* document) {
  Evaluation evaluation;
  if (candidates.empty()) return evaluation;
  // Read once: stores in the loop would make the compiler reload them for every candidate.
  const bool explain = situation.explain;
  const bool filtered_trigger = trigger.kind == TriggerKind::kEvent || trigger.kind == TriggerKind::kPage;
  size_t counts[kOutcomeCount] = {};
  Json entries;  // explain mode: one per candidate
  std::map<std::string, std::string, std::less<>> won;  // placement -> campaign id, this evaluation
  // What conditions read, fetched once per evaluation rather than once per campaign: the
  // context document and the trigger filter's document, each with the paths resolved in it.
  const Json* context = nullptr;
  const Json* filtered = nullptr;
  // Governance limits are the same for every campaign until an offer is recorded.
  int governance = -1;  // unknown
  for (size_t index : candidates) {
    const Campaign& campaign = ruleset_.campaigns[index];
    Outcome outcome = kNotMatched;
    std::string reason;
    std::string* why = explain ? &reason : nullptr;
    // Most evaluations have no winner yet and no offer open: skip the lookups then.
    auto winner = won.empty() ? won.end() : won.find(campaign.placement);
    auto open = occupied_.empty() ? occupied_.end() : occupied_.find(campaign.placement);
    if (winner != won.end()) {
      outcome = kLostArbitration;
      if (explain) reason = "placement \"" + campaign.placement + "\" went to " + winner->second;
    } else if (open != occupied_.end()) {
      outcome = kPlacementBusy;
      if (explain) reason = "placement \"" + campaign.placement + "\" shows decision " + open->second;
    } else if (!situation.personalization) {
      outcome = kNoConsent;
      reason = "personalization consent is not granted";
    } else if (!campaign.schedule.always && !(reason = OutsideSchedule(campaign.schedule, situation)).empty()) {
      outcome = kOutsideSchedule;
    } else if (filtered_trigger) {
      if (!filtered) {
        const Json* root = trigger.kind == TriggerKind::kEvent ? trigger.properties : document->Section("page");
        filtered = root ? root : &EmptyObject();
        trigger_paths_.Reset(filtered, ruleset_.condition_counts);
      }
      if (!campaign.trigger.where.empty() && !campaign.trigger.where.Matches(*filtered, why, &trigger_paths_)) {
        outcome = kTriggerFilter;
      }
    }
    if (outcome == kNotMatched && reason.empty()) {
      if (campaign.governed && (governance < 0 || why)) {
        governance = ledger_.GovernanceBlocks(ruleset_.governance, situation.period, situation.now, situation.local.hour, why);
      }
      if ((campaign.governed && governance) ||
          (!ledger_.empty() && ledger_.CountsBlock(campaign, CountsOf(index), situation.period, situation.now, why))) {
        outcome = kBlocked;
      } else {
        if (!context) {  // Paths read sections from the document source; the root only names it.
          context = &EmptyObject();
          context_paths_.Reset(context, ruleset_.condition_counts, document);
        }
        if (campaign.conditions.Matches(*context, why, &context_paths_)) outcome = kShown;
      }
    }
    if (outcome == kShown) {
      const Assignment assignment = Assign(campaign.seed, situation.unit_id, campaign.weights, campaign.holdout);
      Decision decision;
      decision.id = id_prefix_ + "-" + std::to_string(next_id_++);
      decision.campaign_id = campaign.id;
      decision.campaign_name = campaign.name;
      decision.placement = campaign.placement;
      decision.priority = campaign.priority;
      decision.holdout = assignment.holdout || assignment.variant < 0;
      decision.at = situation.now;
      decision.triggered_at = trigger.held_since;
      if (decision.holdout) {
        outcome = kHeldOut;
        reason = "in the holdout group (" + std::to_string(static_cast<int>(campaign.holdout * 100 + 0.5)) + "%)";
      } else {
        const Variant& variant = campaign.variants[static_cast<size_t>(assignment.variant)];
        decision.variant_id = variant.id;
        decision.content = RenderContent(variant, document);
        reason = "variant " + variant.id;
      }
      Json& explanation = decision.explanation;  // Member by member: initializer lists inline much code.
      explanation["trigger"] = DescribeTrigger(trigger);
      if (trigger.held_since >= 0) {
        explanation["triggeredAt"] = trigger.held_since;
        explanation["heldMs"] = situation.now - trigger.held_since;
      }
      explanation["campaign"] = campaign.id;
      explanation["priority"] = campaign.priority;
      explanation["bucket"] = assignment.hash;
      explanation["reason"] = reason;
      won.emplace(campaign.placement, campaign.id);
      ledger_.RecordShown(campaign.id, situation.period, situation.now, decision.id, decision.variant_id,
                          campaign.governed);
      if (campaign.governed) governance = -1;
      if (trigger.kind == TriggerKind::kScrollDepth || trigger.kind == TriggerKind::kExitIntent) {
        page_fired_[campaign.id] = true;
      }
      if (!decision.holdout) occupied_[campaign.placement] = decision.id;
      evaluation.decisions.push_back(decision);
      Remember(std::move(decision));
    }
    ++counts[outcome];
    if (explain) {
      Json& entry = entries.emplace_back(Json::object());
      entry["campaign"] = campaign.id;
      entry["outcome"] = kOutcomes[outcome];
      entry["reason"] = std::move(reason);
    }
  }
  // The summary is read by debug mode and by the decisions made; most evaluations make none.
  if (!explain && evaluation.decisions.empty()) return evaluation;
  Json outcomes = Json::object();
  for (int i = 0; i < kOutcomeCount; ++i) {
    if (counts[i] > 0) outcomes[kOutcomes[i]] = counts[i];
  }
  Json& explanation = evaluation.explanation;
  explanation["trigger"] = DescribeTrigger(trigger);
  if (trigger.held_since >= 0) {
    explanation["triggeredAt"] = trigger.held_since;
    explanation["heldMs"] = situation.now - trigger.held_since;
  }
  explanation["revision"] = ruleset_.revision;
  explanation["considered"] = candidates.size();
  explanation["outcomes"] = std::move(outcomes);
  if (explain) evaluation.explanation["campaigns"] = entries.is_null() ? Json::array() : std::move(entries);
  for (Decision& decision : evaluation.decisions) decision.explanation["considered"] = evaluation.explanation;
  return evaluation;
}

Json DecisionEngine::RenderContent(const Variant& variant, DocumentSource* document) const {
  Json content = Json::object();
  content["kind"] = ContentKindName(variant.content.kind);
  for (const auto& [field, text] : variant.content.fields) {
    content[field] = text.HasPlaceholders() ? text.Render(document->Document()) : text.Render(Json::object());
  }
  if (!variant.content.products.path.empty()) {
    Json products = Json::array();
    const Json* source = LookupPath(document->Document(), variant.content.products.path);
    if (source && source->is_array()) {
      for (const Json& product : *source) {
        if (products.size() >= variant.content.products.limit) break;
        if (product.is_object()) products.push_back(ProductCard(product));
      }
    }
    content["products"] = std::move(products);
  }
  return content;
}

void DecisionEngine::Remember(Decision decision) {
  if (recent_.size() >= kMaxRememberedDecisions) recent_.erase(recent_.begin());
  recent_.push_back(std::move(decision));
}

Millis DecisionEngine::NextTimerAt(const TimerAnchors& anchors) const {
  Millis next = -1;
  for (TriggerKind kind : {TriggerKind::kCartIdle, TriggerKind::kTimeOnPage, TriggerKind::kInactivity}) {
    const Millis anchor = kind == TriggerKind::kCartIdle     ? anchors.cart_changed_at
                          : kind == TriggerKind::kTimeOnPage ? anchors.page_started_at
                                                             : anchors.last_activity_at;
    if (anchor < 0 || !loaded_) continue;
    for (size_t index : ruleset_.OfKind(kind)) {
      const Campaign& campaign = ruleset_.campaigns[index];
      const auto fired = timer_fired_.find(campaign.id);
      if (fired != timer_fired_.end() && fired->second == anchor) continue;
      const Millis due = anchor + campaign.trigger.after_ms;
      if (next < 0 || due < next) next = due;
    }
  }
  return next;
}

std::vector<size_t> DecisionEngine::TakeDueTimers(const TimerAnchors& anchors, Millis now) {
  std::vector<size_t> due;
  if (!loaded_) return due;
  for (TriggerKind kind : {TriggerKind::kCartIdle, TriggerKind::kTimeOnPage, TriggerKind::kInactivity}) {
    const Millis anchor = kind == TriggerKind::kCartIdle     ? anchors.cart_changed_at
                          : kind == TriggerKind::kTimeOnPage ? anchors.page_started_at
                                                             : anchors.last_activity_at;
    if (anchor < 0) continue;
    for (size_t index : ruleset_.OfKind(kind)) {
      const Campaign& campaign = ruleset_.campaigns[index];
      if (anchor + campaign.trigger.after_ms > now) continue;
      Millis& fired = timer_fired_[campaign.id];
      if (fired == anchor) continue;
      fired = anchor;
      due.push_back(index);
    }
  }
  std::sort(due.begin(), due.end());  // indices are in arbitration order
  return due;
}

void DecisionEngine::StartPageView() {
  page_fired_.clear();
  occupied_.clear();
}

void DecisionEngine::Release(const std::string& decision_id) {
  for (auto it = occupied_.begin(); it != occupied_.end(); ++it) {
    if (it->second == decision_id) {
      occupied_.erase(it);
      return;
    }
  }
}

const Decision* DecisionEngine::FindDecision(std::string_view decision_id) const {
  for (const Decision& decision : recent_) {
    if (decision.id == decision_id) return &decision;
  }
  return nullptr;
}

std::vector<Converted> DecisionEngine::TakeConversions(std::string_view event_name, Millis now) {
  std::vector<Converted> converted;
  const auto it = ruleset_.by_conversion_event.find(event_name);
  if (!loaded_ || it == ruleset_.by_conversion_event.end()) return converted;
  for (size_t index : it->second) {
    const Campaign& campaign = ruleset_.campaigns[index];
    const CampaignCounts* counts = ledger_.Find(campaign.id);
    if (!counts || counts->last_shown_at < 0 || counts->converted_at >= counts->last_shown_at ||
        now - counts->last_shown_at > campaign.conversion.within_ms) {
      continue;
    }
    Converted& entry = converted.emplace_back();
    entry.campaign = &campaign;
    entry.decision_id = counts->decision_id;
    entry.variant_id = counts->variant_id;
    entry.variant_known = !counts->decision_id.empty();
    entry.placement = campaign.placement;
    ledger_.RecordConverted(campaign.id, now);
  }
  return converted;
}

std::vector<Converted> DecisionEngine::ClickAttributions(Millis now) const {
  std::vector<Converted> converted;
  if (!loaded_) return converted;
  ledger_.ForEachClicked([&](const std::string& campaign_id, const CampaignCounts& counts) {
    if (counts.converted_at >= counts.clicked_at) return;
    const Campaign* campaign = nullptr;
    for (const Campaign& candidate : ruleset_.campaigns) {
      if (candidate.id == campaign_id) {
        campaign = &candidate;
        break;
      }
    }
    if (!campaign || now - counts.clicked_at > campaign->conversion.within_ms) return;
    Converted& entry = converted.emplace_back();
    entry.campaign = campaign;
    entry.decision_id = counts.click_decision_id;
    entry.variant_id = counts.click_variant_id;
    entry.placement = counts.click_placement;
    entry.clicked_at = counts.clicked_at;
  });
  std::stable_sort(converted.begin(), converted.end(),
                   [](const Converted& a, const Converted& b) { return a.clicked_at > b.clicked_at; });
  if (converted.size() > kMaxClickAttributions) converted.resize(kMaxClickAttributions);
  return converted;
}

void DecisionEngine::MarkConverted(const std::vector<Converted>& converted, Millis now) {
  for (const Converted& entry : converted) ledger_.RecordConverted(entry.campaign->id, now);
}

}  // namespace parcours::rules
