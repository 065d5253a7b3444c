// Counting, checking, merging and storing frequency caps (caps.h).
#include "parcours/rules/caps.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace parcours::rules {
namespace {

constexpr int kLedgerVersion = 1;

// Counts of an older session or day do not cap the current one.
int64_t InSession(const std::string& counted_in, int64_t count, const std::string& session_id) {
  return counted_in == session_id ? count : 0;
}
int64_t InDay(int64_t counted_in, int64_t count, int64_t day) { return counted_in == day ? count : 0; }

// Merges one period-scoped count: the later period wins, the same period takes the max.
template <typename Period>
void MergePeriod(Period* period, int64_t* count, const Period& other_period, int64_t other_count, bool other_is_later) {
  if (*period == other_period) {
    *count = std::max(*count, other_count);
  } else if (other_is_later) {
    *period = other_period;
    *count = other_count;
  }
}

// The text is built only when asked for: the checks run per candidate per event.
template <typename Describe>
bool Because(std::string* why, Describe describe) {
  if (why) *why = describe();
  return true;
}

}  // namespace

bool InHourWindow(int hour, int from, int to) {
  if (from < 0 || to < 0 || from == to) return false;
  return from < to ? hour >= from && hour < to : hour >= from || hour < to;
}

bool CapLedger::GovernanceBlocks(const Governance& governance, const CapPeriod& period, Millis now, int local_hour,
                                 std::string* why) const {
  auto blocked = [why](auto describe) { return Because(why, describe); };
  using std::to_string;
  if (InHourWindow(local_hour, governance.quiet_from_hour, governance.quiet_to_hour)) {
    return blocked([&] {
      return "quiet hours (" + to_string(governance.quiet_from_hour) + "h-" + to_string(governance.quiet_to_hour) + "h)";
    });
  }
  if (governance.max_offers_per_session >= 0 &&
      InSession(global_.session_id, global_.in_session, period.session_id) >= governance.max_offers_per_session) {
    return blocked(
        [&] { return "governance: maxOffersPerSession " + to_string(governance.max_offers_per_session) + " reached"; });
  }
  if (governance.min_gap_ms > 0 && global_.last_shown_at >= 0 && now - global_.last_shown_at < governance.min_gap_ms) {
    return blocked([&] {
      return "governance: minGapSeconds " + to_string(governance.min_gap_ms / 1000) + " not elapsed since the last offer";
    });
  }
  return false;
}

bool CapLedger::CampaignCapsBlock(const Campaign& campaign, const CapPeriod& period, Millis now,
                                  std::string* why) const {
  auto blocked = [why](auto describe) { return Because(why, describe); };
  using std::to_string;
  const CampaignCounts* counts = Find(campaign.id);
  if (!counts) return false;
  const Caps& caps = campaign.caps;
  if (caps.stop_after_conversion && counts->converted_at >= 0) {
    return blocked([] { return std::string("converted: stopAfterConversion"); });
  }
  if (caps.dismiss_cooldown_ms > 0 && counts->dismissed_at >= 0 && now - counts->dismissed_at < caps.dismiss_cooldown_ms) {
    return blocked([&] { return "dismissed: cooldown of " + to_string(caps.dismiss_cooldown_ms / (24 * 3600 * 1000)) + " days"; });
  }
  if (caps.lifetime >= 0 && counts->lifetime >= caps.lifetime) {
    return blocked([&] { return "lifetime cap " + to_string(caps.lifetime) + " reached"; });
  }
  if (caps.per_day >= 0 && InDay(counts->day, counts->in_day, period.day) >= caps.per_day) {
    return blocked([&] { return "perDay cap " + to_string(caps.per_day) + " reached"; });
  }
  if (caps.per_session >= 0 && InSession(counts->session_id, counts->in_session, period.session_id) >= caps.per_session) {
    return blocked([&] { return "perSession cap " + to_string(caps.per_session) + " reached"; });
  }
  return false;
}

CampaignCounts& CapLedger::Entry(const std::string& campaign_id) {
  auto it = campaigns_.find(campaign_id);
  if (it != campaigns_.end()) return it->second;
  if (campaigns_.size() >= kMaxLedgerCampaigns) {
    auto oldest = std::min_element(campaigns_.begin(), campaigns_.end(), [](const auto& a, const auto& b) {
      return std::max({a.second.last_shown_at, a.second.dismissed_at, a.second.converted_at}) <
             std::max({b.second.last_shown_at, b.second.dismissed_at, b.second.converted_at});
    });
    campaigns_.erase(oldest);
  }
  return campaigns_[campaign_id];
}

void CapLedger::RecordShown(const std::string& campaign_id, const CapPeriod& period, Millis now) {
  CampaignCounts& counts = Entry(campaign_id);
  counts.lifetime += 1;
  counts.in_day = InDay(counts.day, counts.in_day, period.day) + 1;
  counts.day = period.day;
  counts.in_session = InSession(counts.session_id, counts.in_session, period.session_id) + 1;
  counts.session_id = period.session_id;
  counts.last_shown_at = now;
  global_.in_session = InSession(global_.session_id, global_.in_session, period.session_id) + 1;
  global_.session_id = period.session_id;
  global_.last_shown_at = now;
}

void CapLedger::RecordDismissed(const std::string& campaign_id, Millis now) { Entry(campaign_id).dismissed_at = now; }

void CapLedger::RecordConverted(const std::string& campaign_id, Millis now) { Entry(campaign_id).converted_at = now; }

void CapLedger::Merge(const CapLedger& other) {
  for (const auto& [id, theirs] : other.campaigns_) {
    CampaignCounts& mine = Entry(id);
    const bool later = theirs.last_shown_at > mine.last_shown_at;
    mine.lifetime = std::max(mine.lifetime, theirs.lifetime);
    MergePeriod(&mine.day, &mine.in_day, theirs.day, theirs.in_day, theirs.day > mine.day);
    MergePeriod(&mine.session_id, &mine.in_session, theirs.session_id, theirs.in_session, later);
    mine.last_shown_at = std::max(mine.last_shown_at, theirs.last_shown_at);
    mine.dismissed_at = std::max(mine.dismissed_at, theirs.dismissed_at);
    mine.converted_at = std::max(mine.converted_at, theirs.converted_at);
  }
  MergePeriod(&global_.session_id, &global_.in_session, other.global_.session_id, other.global_.in_session,
              other.global_.last_shown_at > global_.last_shown_at);
  global_.last_shown_at = std::max(global_.last_shown_at, other.global_.last_shown_at);
}

const CampaignCounts* CapLedger::Find(const std::string& campaign_id) const {
  auto it = campaigns_.find(campaign_id);
  return it == campaigns_.end() ? nullptr : &it->second;
}

std::string CapLedger::Encode() const {
  Json campaigns = Json::object();
  for (const auto& [id, c] : campaigns_) {
    campaigns[id] = Json::array({c.lifetime, c.day, c.in_day, c.session_id, c.in_session, c.last_shown_at,
                                 c.dismissed_at, c.converted_at});
  }
  return DumpJson({{"v", kLedgerVersion},
                   {"global", Json::array({global_.session_id, global_.in_session, global_.last_shown_at})},
                   {"campaigns", std::move(campaigns)}});
}

Result<CapLedger> CapLedger::Decode(const std::string& text) {
  const Json json = Json::parse(text, nullptr, false);
  const Error corrupt = MakeError(ErrorCode::kCorruptSnapshot, "the stored frequency caps are unreadable");
  int64_t version = 0;
  const Json* global = parcours::Find(json, "global");
  const Json* campaigns = parcours::Find(json, "campaigns");
  if (!FindInteger(json, "v", 1, 1000, &version) || version != kLedgerVersion || !global || !global->is_array() ||
      global->size() != 3 || !campaigns || !campaigns->is_object()) {
    return corrupt;
  }
  auto integer = [](const Json& value, int64_t* out) {
    if (!value.is_number_integer()) return false;
    *out = value.get<int64_t>();
    return true;
  };
  auto string = [](const Json& value, std::string* out) {
    if (!value.is_string()) return false;
    *out = value.get<std::string>();
    return true;
  };
  CapLedger ledger;
  if (!string((*global)[0], &ledger.global_.session_id) || !integer((*global)[1], &ledger.global_.in_session) ||
      !integer((*global)[2], &ledger.global_.last_shown_at)) {
    return corrupt;
  }
  for (const auto& [id, value] : campaigns->items()) {
    CampaignCounts c;
    if (!value.is_array() || value.size() != 8 || !integer(value[0], &c.lifetime) || !integer(value[1], &c.day) ||
        !integer(value[2], &c.in_day) || !string(value[3], &c.session_id) || !integer(value[4], &c.in_session) ||
        !integer(value[5], &c.last_shown_at) || !integer(value[6], &c.dismissed_at) ||
        !integer(value[7], &c.converted_at)) {
      return corrupt;
    }
    if (ledger.campaigns_.size() < kMaxLedgerCampaigns) ledger.campaigns_.emplace(id, std::move(c));
  }
  return ledger;
}

}  // namespace parcours::rules
