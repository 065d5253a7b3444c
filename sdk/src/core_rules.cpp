// The ruleset inside the core: restoring the cached copy (or the page's bootstrap), loading
// what the collector or the page hands over, and deciding when to revalidate it. A refused
// ruleset never replaces the last good one, and each failure is reported once.
#include <algorithm>
#include <utility>

#include "parcours/core.h"

namespace parcours {
namespace {

constexpr char kRulesKey[] = "rules";
// A 304 confirms the stored ruleset without rewriting it (it may be large): the time of the
// last confirmation lives in its own small entry.
constexpr char kRulesCheckedKey[] = "rulesChecked";
// After a failed fetch, wait at least this long before trying again.
constexpr Millis kRulesRetryMs = 60 * 1000;

}  // namespace

void Core::RestoreRules(const InitInput& input, Output* out) {
  // The last copy the collector sent wins over the page's bootstrap ruleset: it is newer.
  if (!input.rules.empty() && config_.rules_url.empty()) {
    // The site stopped fetching rules: the page's own ruleset decides, not an old download.
    out->effects.emplace_back(RemoveEffect{kRulesKey});
    out->effects.emplace_back(RemoveEffect{kRulesCheckedKey});
  } else if (!input.rules.empty()) {
    const Json stored = Json::parse(input.rules, nullptr, false);
    const std::string* text = FindString(stored, "ruleset");
    int64_t fetched_at = -1;
    FindInteger(stored, "fetchedAt", 0, INT64_C(1) << 53, &fetched_at);
    if (text && LoadRules(rules::ParseRuleset(*text), "cache", out)) {
      if (const std::string* etag = FindString(stored, "etag")) rules_etag_ = *etag;
      const Json checked = Json::parse(input.rules_checked, nullptr, false);
      rules_fetched_at_ = checked.is_number_integer() ? std::max<int64_t>(fetched_at, checked.get<int64_t>()) : fetched_at;
    } else {
      out->effects.emplace_back(RemoveEffect{kRulesKey});
    }
  }
  if (!decisions_.loaded()) {
    if (const Json* inline_rules = Find(input.options, "rules")) LoadRules(rules::CompileRuleset(*inline_rules), "inline", out);
  }
  // No ruleset yet, one on its way: the triggers of the first moments wait for it.
  if (!decisions_.loaded() && !config_.rules_url.empty()) {
    holding_triggers_ = true;
    decisions_.set_awaiting(true);
  }
}

bool Core::LoadRules(Result<rules::Ruleset> parsed, const std::string& source, Output* out) {
  if (!parsed.ok()) {
    const std::string message = parsed.error().message +
                                (decisions_.loaded() ? "; the previous ruleset (" + rules_source_ + ") stays active"
                                                     : "; no campaign is active");
    if (message != rules_error_reported_) AddLog(out, "error", message);
    rules_error_reported_ = message;
    out->result = {{"loaded", false}, {"error", parsed.error().message}};
    return false;
  }
  for (const std::string& warning : parsed.value().warnings) {
    AddLog(out, "warn", "[parcours." + std::string(ErrorId(ErrorCode::kInvalidCondition)) + "] " + warning);
  }
  out->result = {{"loaded", true},
                 {"revision", parsed.value().revision},
                 {"campaigns", parsed.value().campaigns.size()},
                 {"timezone", parsed.value().timezone}};
  decisions_.Load(std::move(parsed.value()));
  rules_source_ = source;
  rules_error_reported_.clear();
  return true;
}

void Core::OnRules(RulesInput& input, Millis now, Output* out) {
  if (input.fetched) {
    rules_fetch_pending_ = false;
    rules_fetched_at_ = now;
  }
  if (input.status == 304) {
    if (decisions_.loaded()) Store(out, kRulesCheckedKey, std::to_string(now));
    DropHeldTriggers("the collector answered 304 and no ruleset is loaded", out);
    out->result = {{"loaded", decisions_.loaded()}, {"notModified", true}};
    return;
  }
  if (input.status != 200) {
    const std::string message = "[parcours." + std::string(ErrorId(ErrorCode::kRulesFetchFailed)) +
                                 "] the ruleset could not be fetched (" +
                                 (input.status == 0 ? (input.error.empty() ? "network error" : input.error)
                                                    : "HTTP " + std::to_string(input.status) +
                                                          (input.error.empty() ? "" : ": " + input.error)) +
                                 ")" +
                                 (decisions_.loaded() ? "; the last good ruleset keeps deciding" : "");
    if (message != rules_error_reported_) AddLog(out, "warn", message);
    rules_error_reported_ = message;
    // Retry sooner than a full refresh interval, but not in a tight loop.
    rules_fetched_at_ = now - config_.rules_refresh_ms + std::min(config_.rules_refresh_ms, kRulesRetryMs);
    DropHeldTriggers("the ruleset could not be fetched", out);
    out->result = {{"loaded", false}, {"error", message}};
    return;
  }
  if (input.fetched) {
    if (input.body.empty()) {
      LoadRules(MakeError(ErrorCode::kInvalidRuleset, "the collector answered an empty ruleset"), "network", out);
      DropHeldTriggers("the collector answered an empty ruleset", out);
      return;
    }
    if (!LoadRules(rules::ParseRuleset(input.body), "network", out)) {
      DropHeldTriggers("the fetched ruleset was refused", out);
      return;
    }
    rules_etag_ = input.etag;
    std::string stored = "{\"etag\":";
    AppendQuoted(&stored, input.etag);
    stored += ",\"fetchedAt\":" + std::to_string(now) + ",\"ruleset\":";
    AppendQuoted(&stored, input.body);
    stored += '}';
    Store(out, kRulesKey, std::move(stored));
    if (holding_triggers_) DecideHeldTriggers(now, out);
    return;
  }
  if (LoadRules(rules::CompileRuleset(input.ruleset), "page", out) && holding_triggers_) DecideHeldTriggers(now, out);
}

Json Core::RulesSummary() const {
  if (!decisions_.loaded()) return Json();
  return {{"revision", decisions_.ruleset().revision},
          {"campaigns", decisions_.ruleset().campaigns.size()},
          {"source", rules_source_},
          {"etag", rules_etag_.empty() ? Json() : Json(rules_etag_)},
          {"fetchedAt", rules_fetched_at_ < 0 ? Json() : Json(rules_fetched_at_)}};
}

Millis Core::SettleRulesFetch(Millis now, Output* out) {
  if (config_.rules_url.empty()) return -1;
  if (!rules_fetch_pending_ &&
      (rules_fetch_now_ || rules_fetched_at_ < 0 || now - rules_fetched_at_ >= config_.rules_refresh_ms)) {
    out->effects.emplace_back(FetchRulesEffect{config_.rules_url, rules_etag_});
    rules_fetch_pending_ = true;
  }
  rules_fetch_now_ = false;
  return rules_fetch_pending_ || rules_fetched_at_ < 0 ? -1 : rules_fetched_at_ + config_.rules_refresh_ms;
}

bool Core::RevalidateSoon(Millis now) const {
  return rules_fetched_at_ < 0 || now - rules_fetched_at_ >= kRulesRetryMs;
}

}  // namespace parcours
