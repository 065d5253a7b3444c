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

bool CapLedger::CountsBlock(const Campaign& campaign, const CampaignCounts* counts, const CapPeriod& period,
                            Millis now, std::string* why) const {
  auto blocked = [why](auto describe) { return Because(why, describe); };
  using std::to_string;
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
  layout_ = NextLayout();
  if (campaigns_.size() >= kMaxLedgerCampaigns) {
    auto oldest = std::min_element(campaigns_.begin(), campaigns_.end(), [](const auto& a, const auto& b) {
      return std::max({a.second.last_shown_at, a.second.dismissed_at, a.second.converted_at, a.second.clicked_at}) <
             std::max({b.second.last_shown_at, b.second.dismissed_at, b.second.converted_at, b.second.clicked_at});
    });
    campaigns_.erase(oldest);
  }
  return campaigns_[campaign_id];
}

void CapLedger::RecordShown(const std::string& campaign_id, const CapPeriod& period, Millis now,
                            const std::string& decision_id, const std::string& variant_id, bool governed) {
  CampaignCounts& counts = Entry(campaign_id);
  counts.decision_id = decision_id;
  counts.variant_id = variant_id;
  counts.lifetime += 1;
  counts.in_day = InDay(counts.day, counts.in_day, period.day) + 1;
  counts.day = period.day;
  counts.in_session = InSession(counts.session_id, counts.in_session, period.session_id) + 1;
  counts.session_id = period.session_id;
  counts.last_shown_at = now;
  if (!governed) return;
  global_.in_session = InSession(global_.session_id, global_.in_session, period.session_id) + 1;
  global_.session_id = period.session_id;
  global_.last_shown_at = now;
}

void CapLedger::RecordDismissed(const std::string& campaign_id, Millis now) { Entry(campaign_id).dismissed_at = now; }

void CapLedger::RecordConverted(const std::string& campaign_id, Millis now) { Entry(campaign_id).converted_at = now; }

void CapLedger::RecordClicked(const std::string& campaign_id, Millis now, const std::string& decision_id,
                              const std::string& variant_id, const std::string& placement) {
  CampaignCounts& counts = Entry(campaign_id);
  counts.clicked_at = now;
  counts.click_decision_id = decision_id;
  counts.click_variant_id = variant_id;
  counts.click_placement = placement;
}

void CapLedger::Merge(const CapLedger& other) {
  for (const auto& [id, theirs] : other.campaigns_) {
    CampaignCounts& mine = Entry(id);
    const bool later = theirs.last_shown_at > mine.last_shown_at;
    mine.lifetime = std::max(mine.lifetime, theirs.lifetime);
    MergePeriod(&mine.day, &mine.in_day, theirs.day, theirs.in_day, theirs.day > mine.day);
    MergePeriod(&mine.session_id, &mine.in_session, theirs.session_id, theirs.in_session, later);
    // The last decision and the last click are those of the later time.
    if (!theirs.decision_id.empty() && (later || mine.decision_id.empty())) {
      mine.decision_id = theirs.decision_id;
      mine.variant_id = theirs.variant_id;
    }
    if (theirs.clicked_at > mine.clicked_at) {
      mine.clicked_at = theirs.clicked_at;
      mine.click_decision_id = theirs.click_decision_id;
      mine.click_variant_id = theirs.click_variant_id;
      mine.click_placement = theirs.click_placement;
    }
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

// The counts keep the 8-member arrays of version 1, and the last decision and click are
// members of their own ("decided", "clicked"), which a version that does not know them
// ignores: tabs running two versions of the SDK during a deploy still read each other.
std::string CapLedger::Encode() const {
  Json campaigns = Json::object();
  Json decided = Json::object();
  Json clicked = Json::object();
  for (const auto& [id, c] : campaigns_) {
    campaigns[id] = Json::array({c.lifetime, c.day, c.in_day, c.session_id, c.in_session, c.last_shown_at,
                                 c.dismissed_at, c.converted_at});
    if (!c.decision_id.empty()) {
      decided[id] = Json::array({c.decision_id, c.variant_id.empty() ? Json() : Json(c.variant_id)});
    }
    if (c.clicked_at >= 0) {
      clicked[id] = Json::array({c.clicked_at, c.click_decision_id, c.click_variant_id, c.click_placement});
    }
  }
  Json ledger = {{"v", kLedgerVersion},
                 {"global", Json::array({global_.session_id, global_.in_session, global_.last_shown_at})},
                 {"campaigns", std::move(campaigns)}};
  if (!decided.empty()) ledger["decided"] = std::move(decided);
  if (!clicked.empty()) ledger["clicked"] = std::move(clicked);
  return DumpJson(ledger);
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
  // Optional (older versions did not write them); an unreadable entry loses only itself.
  if (const Json* decided = parcours::Find(json, "decided"); decided && decided->is_object()) {
    for (const auto& item : decided->items()) {
      const auto it = ledger.campaigns_.find(item.key());
      const Json& value = item.value();
      if (it == ledger.campaigns_.end() || !value.is_array() || value.size() != 2 || !value[0].is_string() ||
          value[0].get_ref<const std::string&>().empty() || !(value[1].is_string() || value[1].is_null())) {
        continue;
      }
      it->second.decision_id = value[0].get<std::string>();
      it->second.variant_id = value[1].is_string() ? value[1].get<std::string>() : std::string();
    }
  }
  if (const Json* clicked = parcours::Find(json, "clicked"); clicked && clicked->is_object()) {
    for (const auto& item : clicked->items()) {
      const auto it = ledger.campaigns_.find(item.key());
      const Json& value = item.value();
      CampaignCounts parsed;
      if (it == ledger.campaigns_.end() || !value.is_array() || value.size() != 4 ||
          !integer(value[0], &parsed.clicked_at) || parsed.clicked_at < 0 ||
          !string(value[1], &parsed.click_decision_id) || !string(value[2], &parsed.click_variant_id) ||
          !string(value[3], &parsed.click_placement)) {
        continue;
      }
      it->second.clicked_at = parsed.clicked_at;
      it->second.click_decision_id = std::move(parsed.click_decision_id);
      it->second.click_variant_id = std::move(parsed.click_variant_id);
      it->second.click_placement = std::move(parsed.click_placement);
    }
  }
  return ledger;
}

}  // namespace parcours::rules
