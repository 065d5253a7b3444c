// Reads a ruleset document into compiled campaigns. Every refusal names the JSON path of
// what was wrong ("campaigns.3.trigger.seconds"), because the person reading it is a
// marketer looking at the ruleset, not at this code.
#include <algorithm>
#include <cmath>
#include <utility>

#include "parcours/rules/ruleset.h"
#include "ruleset_read.h"

namespace parcours::rules {
namespace read {

Error Invalid(const std::string& path, const std::string& what) {
  return MakeError(ErrorCode::kInvalidRuleset, path + ": " + what, path);
}

std::string At(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }

bool ReadInt(const Json& object, const char* key, int64_t min, int64_t max, const std::string& path, int64_t* out,
             Error* error) {
  if (!Find(object, key)) return true;
  if (FindInteger(object, key, min, max, out)) return true;
  *error = Invalid(At(path, key), "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return false;
}

bool ReadId(const Json& object, const char* key, const std::string& path, bool required, std::string* out,
            Error* error) {
  const Json* value = Find(object, key);
  if (!value && !required) return true;
  const std::string* text = FindString(object, key);
  if (!text || text->empty() || text->size() > kMaxIdBytes) {
    *error = Invalid(At(path, key), "must be a non-empty string of at most " + std::to_string(kMaxIdBytes) + " bytes");
    return false;
  }
  *out = *text;
  return true;
}

}  // namespace read

namespace {

using read::At;
using read::Invalid;
using read::ReadId;
using read::ReadInt;
using read::ReadVariants;

constexpr Millis kSecond = 1000;
constexpr Millis kDay = 24 * 3600 * kSecond;

// What every campaign of a ruleset adds to while it compiles.
struct Shared {
  std::vector<std::string>* warnings;
  PathTable paths;
};

bool ReadCondition(const Json& object, const char* key, const std::string& path, Condition* out, Shared* shared,
                   Error* error) {
  const Json* value = Find(object, key);
  if (!value) return true;
  auto compiled = Condition::Compile(*value, &shared->paths);
  if (!compiled.ok()) {
    *error = Invalid(At(path, key), compiled.error().message);
    return false;
  }
  *out = std::move(compiled.value());
  for (const std::string& warning : out->warnings()) shared->warnings->push_back(At(path, key) + ": " + warning);
  return true;
}

// Hours in a local day, for "hours" and "quietHours": {"from": 22, "to": 8}.
bool ReadHours(const Json& object, const char* key, const std::string& path, int* from, int* to, Error* error) {
  const Json* hours = Find(object, key);
  if (!hours) return true;
  int64_t f = -1, t = -1;
  if (!hours->is_object() || !Find(*hours, "from") || !Find(*hours, "to")) {
    *error = Invalid(At(path, key), "must be {\"from\": hour, \"to\": hour} with hours from 0 to 24");
    return false;
  }
  if (!ReadInt(*hours, "from", 0, 23, At(path, key), &f, error) || !ReadInt(*hours, "to", 0, 24, At(path, key), &t, error)) {
    return false;
  }
  *from = static_cast<int>(f);
  *to = static_cast<int>(t);
  return true;
}

bool ReadTrigger(const Json& campaign, const std::string& path, Trigger* trigger, Shared* shared, Error* error) {
  const std::string at = At(path, "trigger");
  const Json* json = Find(campaign, "trigger");
  const std::string* type = json ? FindString(*json, "type") : nullptr;
  if (!type) {
    *error = Invalid(at, "must be an object with a \"type\" (event, page, cartIdle, timeOnPage, inactivity, "
                         "exitIntent, scrollDepth, sessionStart or returning)");
    return false;
  }
  static const std::pair<const char*, TriggerKind> kKinds[] = {
      {"event", TriggerKind::kEvent},           {"page", TriggerKind::kPage},
      {"cartIdle", TriggerKind::kCartIdle},     {"timeOnPage", TriggerKind::kTimeOnPage},
      {"inactivity", TriggerKind::kInactivity}, {"exitIntent", TriggerKind::kExitIntent},
      {"scrollDepth", TriggerKind::kScrollDepth}, {"sessionStart", TriggerKind::kSessionStart},
      {"returning", TriggerKind::kReturning}};
  const auto* kind = std::find_if(std::begin(kKinds), std::end(kKinds), [&](const auto& k) { return *type == k.first; });
  if (kind == std::end(kKinds)) {
    *error = Invalid(At(at, "type"), "unknown trigger type \"" + *type + "\"");
    return false;
  }
  trigger->kind = kind->second;
  if (trigger->kind == TriggerKind::kEvent && !ReadId(*json, "event", at, true, &trigger->event, error)) return false;
  if ((trigger->kind == TriggerKind::kEvent || trigger->kind == TriggerKind::kPage) &&
      !ReadCondition(*json, "where", at, &trigger->where, shared, error)) {
    return false;
  }
  if (trigger->timer()) {
    int64_t seconds = -1;
    if (!Find(*json, "seconds")) {
      *error = Invalid(At(at, "seconds"), "is required for a " + *type + " trigger");
      return false;
    }
    if (!ReadInt(*json, "seconds", 1, 30 * 24 * 3600, at, &seconds, error)) return false;
    trigger->after_ms = seconds * kSecond;
  }
  int64_t value = trigger->kind == TriggerKind::kScrollDepth ? 50 : 1;
  if (trigger->kind == TriggerKind::kScrollDepth) {
    if (!ReadInt(*json, "percent", 1, 100, at, &value, error)) return false;
    trigger->percent = static_cast<int>(value);
  }
  if (trigger->kind == TriggerKind::kReturning) {
    if (!ReadInt(*json, "days", 1, 3650, at, &value, error)) return false;
    trigger->days = static_cast<int>(value);
  }
  return true;
}

bool ReadCaps(const Json& campaign, const std::string& path, Caps* caps, Error* error) {
  const Json* json = Find(campaign, "caps");
  if (!json) return true;
  const std::string at = At(path, "caps");
  if (!json->is_object()) {
    *error = Invalid(at, "must be an object");
    return false;
  }
  int64_t per_session = -1, per_day = -1, lifetime = -1, cooldown_days = 0;
  if (!ReadInt(*json, "perSession", 0, 1000, at, &per_session, error) ||
      !ReadInt(*json, "perDay", 0, 1000, at, &per_day, error) ||
      !ReadInt(*json, "lifetime", 0, 100000, at, &lifetime, error) ||
      !ReadInt(*json, "dismissCooldownDays", 0, 3650, at, &cooldown_days, error)) {
    return false;
  }
  caps->per_session = static_cast<int>(per_session);
  caps->per_day = static_cast<int>(per_day);
  caps->lifetime = static_cast<int>(lifetime);
  caps->dismiss_cooldown_ms = cooldown_days * kDay;
  if (const Json* stop = Find(*json, "stopAfterConversion")) {
    if (!stop->is_boolean()) {
      *error = Invalid(At(at, "stopAfterConversion"), "must be true or false");
      return false;
    }
    caps->stop_after_conversion = stop->get<bool>();
  }
  return true;
}

bool ReadTime(const Json& object, const char* key, const std::string& path, Millis* out, Error* error) {
  if (!Find(object, key)) return true;
  const std::string* text = FindString(object, key);
  const std::optional<Millis> ms = text ? ParseIso8601(*text) : std::nullopt;
  if (!ms) {
    *error = Invalid(At(path, key), "must be an ISO 8601 date or time such as 2026-12-01T00:00:00Z");
    return false;
  }
  *out = *ms;
  return true;
}

bool ReadSchedule(const Json& campaign, const std::string& path, Schedule* schedule, Error* error) {
  const Json* json = Find(campaign, "schedule");
  if (!json) return true;
  const std::string at = At(path, "schedule");
  if (!json->is_object()) {
    *error = Invalid(at, "must be an object");
    return false;
  }
  schedule->always = false;
  if (!ReadTime(*json, "start", at, &schedule->start, error) || !ReadTime(*json, "end", at, &schedule->end, error) ||
      !ReadHours(*json, "hours", at, &schedule->from_hour, &schedule->to_hour, error)) {
    return false;
  }
  if (const Json* days = Find(*json, "weekdays")) {
    schedule->weekdays = 0;
    bool ok = days->is_array() && !days->empty();
    for (size_t i = 0; ok && i < days->size(); ++i) {
      const Json& day = (*days)[i];
      ok = day.is_number_integer() && day.get<int64_t>() >= 1 && day.get<int64_t>() <= 7;
      if (ok) schedule->weekdays |= static_cast<uint8_t>(1u << (day.get<int64_t>() - 1));
    }
    if (!ok) {
      *error = Invalid(At(at, "weekdays"), "must be a non-empty array of ISO weekdays (1 = Monday ... 7 = Sunday)");
      return false;
    }
  }
  return true;
}

bool ReadCampaign(const Json& json, const std::string& path, Campaign* campaign, Shared* shared, Error* error) {
  if (!json.is_object()) {
    *error = Invalid(path, "must be an object");
    return false;
  }
  int64_t priority = 0;
  if (!ReadId(json, "id", path, true, &campaign->id, error) ||
      !ReadId(json, "placement", path, true, &campaign->placement, error) ||
      !ReadInt(json, "priority", -1000000, 1000000, path, &priority, error)) {
    return false;
  }
  campaign->priority = static_cast<int>(priority);
  if (const Json* name = Find(json, "name")) {
    if (!name->is_string() || name->get_ptr<const std::string*>()->size() > 200) {
      *error = Invalid(At(path, "name"), "must be a string of at most 200 bytes");
      return false;
    }
    campaign->name = name->get<std::string>();
  }
  campaign->seed = campaign->id;
  if (!ReadId(json, "seed", path, false, &campaign->seed, error)) return false;
  if (Find(json, "holdout") &&
      (!FindNumber(json, "holdout", &campaign->holdout) || !(campaign->holdout >= 0) || !(campaign->holdout < 1))) {
    *error = Invalid(At(path, "holdout"), "must be a share from 0 (nobody) to below 1, e.g. 0.1 for 10%");
    return false;
  }
  if (const Json* conversion = Find(json, "conversion")) {
    int64_t hours = 24;
    if (!conversion->is_object() || !ReadId(*conversion, "event", At(path, "conversion"), true, &campaign->conversion.event, error) ||
        !ReadInt(*conversion, "withinHours", 1, 24 * 90, At(path, "conversion"), &hours, error)) {
      if (!conversion->is_object()) *error = Invalid(At(path, "conversion"), "must be {\"event\": name, \"withinHours\": n}");
      return false;
    }
    campaign->conversion.within_ms = hours * 3600 * kSecond;
  }
  if (const Json* governed = Find(json, "governance")) {
    if (!governed->is_boolean()) {
      *error = Invalid(At(path, "governance"), "must be true or false (false: exempt from the ruleset's governance)");
      return false;
    }
    campaign->governed = governed->get<bool>();
  }
  return ReadTrigger(json, path, &campaign->trigger, shared, error) &&
         ReadCondition(json, "conditions", path, &campaign->conditions, shared, error) &&
         ReadCaps(json, path, &campaign->caps, error) && ReadSchedule(json, path, &campaign->schedule, error) &&
         ReadVariants(json, path, campaign, error);
}

bool ReadGovernance(const Json& document, Governance* governance, Error* error) {
  const Json* json = Find(document, "governance");
  if (!json) return true;
  if (!json->is_object()) {
    *error = Invalid("governance", "must be an object");
    return false;
  }
  int64_t max_offers = -1, gap_seconds = 0;
  if (!ReadInt(*json, "maxOffersPerSession", 0, 1000, "governance", &max_offers, error) ||
      !ReadInt(*json, "minGapSeconds", 0, 30 * 24 * 3600, "governance", &gap_seconds, error) ||
      !ReadHours(*json, "quietHours", "governance", &governance->quiet_from_hour, &governance->quiet_to_hour, error)) {
    return false;
  }
  governance->max_offers_per_session = static_cast<int>(max_offers);
  governance->min_gap_ms = gap_seconds * kSecond;
  return true;
}

}  // namespace

const char* TriggerName(TriggerKind kind) {
  static const char* const kNames[] = {"event",      "page",        "cartIdle",     "timeOnPage", "inactivity",
                                       "exitIntent", "scrollDepth", "sessionStart", "returning"};
  return kNames[static_cast<int>(kind)];
}

size_t RawNestingDepth(std::string_view text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Result<Ruleset> ParseRuleset(std::string_view text) {
  if (text.size() > kMaxRulesetBytes) {
    return MakeError(ErrorCode::kInvalidRuleset, "the ruleset is " + std::to_string(text.size()) +
                                                     " bytes, over the limit of " + std::to_string(kMaxRulesetBytes));
  }
  if (RawNestingDepth(text, kMaxRulesetDepth) > kMaxRulesetDepth) {
    return MakeError(ErrorCode::kInvalidRuleset,
                     "the ruleset is nested deeper than " + std::to_string(kMaxRulesetDepth) + " levels");
  }
  const Json document = Json::parse(text.begin(), text.end(), nullptr, false);
  if (document.is_discarded()) return MakeError(ErrorCode::kInvalidRuleset, "the ruleset is not valid JSON (truncated?)");
  return CompileRuleset(document);
}

Result<Ruleset> CompileRuleset(const Json& document) {
  if (!document.is_object()) return MakeError(ErrorCode::kInvalidRuleset, "the ruleset must be a JSON object");
  if (NestingDepth(document, kMaxRulesetDepth) > kMaxRulesetDepth) {
    return MakeError(ErrorCode::kInvalidRuleset,
                     "the ruleset is nested deeper than " + std::to_string(kMaxRulesetDepth) + " levels");
  }
  int64_t format = 0;
  if (!FindInteger(document, "format", 1, 1000, &format) || format != kRulesetFormat) {
    return Invalid("format", "must be " + std::to_string(kRulesetFormat) + " (this SDK reads ruleset format " +
                                 std::to_string(kRulesetFormat) + ")");
  }
  Ruleset ruleset;
  Error error{};
  if (const Json* revision = Find(document, "revision")) {
    if (!revision->is_string() || revision->get_ptr<const std::string*>()->size() > 200) {
      return Invalid("revision", "must be a string of at most 200 bytes");
    }
    ruleset.revision = revision->get<std::string>();
  }
  if (Find(document, "timezone") && !ReadId(document, "timezone", "", false, &ruleset.timezone, &error)) return error;
  if (!ReadGovernance(document, &ruleset.governance, &error)) return error;
  const Json* campaigns = Find(document, "campaigns");
  if (!campaigns || !campaigns->is_array()) return Invalid("campaigns", "must be an array");
  if (campaigns->size() > kMaxCampaigns) {
    return Invalid("campaigns", "has " + std::to_string(campaigns->size()) + " campaigns, over the limit of " +
                                    std::to_string(kMaxCampaigns));
  }
  std::vector<Campaign> read;
  read.reserve(campaigns->size());
  std::map<std::string, size_t, std::less<>> seen;
  Shared shared{&ruleset.warnings, {}};
  for (size_t i = 0; i < campaigns->size(); ++i) {
    Campaign campaign;
    campaign.order = i;
    if (!ReadCampaign((*campaigns)[i], "campaigns." + std::to_string(i), &campaign, &shared, &error)) {
      return error;
    }
    if (!seen.emplace(campaign.id, i).second) {
      return Invalid("campaigns." + std::to_string(i) + ".id", "\"" + campaign.id + "\" is used twice");
    }
    read.push_back(std::move(campaign));
  }
  ruleset.condition_counts = shared.paths.counts();
  for (Campaign& campaign : read) {
    campaign.conditions.CheckSharedFirst(shared.paths);
    campaign.trigger.where.CheckSharedFirst(shared.paths);
  }
  // Arbitration order: priority descending, then ruleset order. Sorted as exact keys with the
  // std::sort over doubles that $in lists use: a sort of Campaigns would instantiate another
  // sort and inline Campaign's moves into it (~3 KB of WASM).
  static_assert(kMaxCampaigns < 8192, "the ruleset position must fit under the priority in a key");
  std::vector<double> keys;
  keys.reserve(read.size());
  for (const Campaign& campaign : read) keys.push_back((1000000.0 - campaign.priority) * 8192 + campaign.order);
  std::sort(keys.begin(), keys.end());
  ruleset.campaigns.reserve(read.size());
  for (double key : keys) ruleset.campaigns.push_back(std::move(read[static_cast<size_t>(static_cast<int64_t>(key) % 8192)]));
  for (size_t i = 0; i < ruleset.campaigns.size(); ++i) {
    const Trigger& trigger = ruleset.campaigns[i].trigger;
    if (trigger.kind == TriggerKind::kEvent) ruleset.by_event[trigger.event].push_back(i);
    ruleset.by_kind[static_cast<int>(trigger.kind)].push_back(i);
    const std::string& conversion = ruleset.campaigns[i].conversion.event;
    if (!conversion.empty()) ruleset.by_conversion_event[conversion].push_back(i);
  }
  return ruleset;
}

}  // namespace parcours::rules
