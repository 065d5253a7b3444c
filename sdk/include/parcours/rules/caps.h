// Frequency caps: how often each campaign (and any offer at all) has been shown, dismissed
// or converted, per session, per local day and over the visitor's lifetime. Persisted as
// the "caps" entry so caps hold across pages, reloads and tabs; two tabs' ledgers merge
// by taking the larger count and the later time, so a merge never lowers a cap.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "parcours/error.h"
#include "parcours/iso_time.h"
#include "parcours/rules/ruleset.h"

namespace parcours::rules {

inline constexpr char kCapsKey[] = "caps";
// Campaigns remembered; the least recently shown are forgotten past it. A ruleset has far
// fewer live campaigns, and forgetting a long-gone campaign's counts loses nothing.
inline constexpr size_t kMaxLedgerCampaigns = 500;

// Where a count applies: the session and the local day it was counted in.
struct CapPeriod {
  std::string session_id;
  int64_t day = 0;
};

struct CampaignCounts {
  int64_t lifetime = 0;
  int64_t day = -1;  // the day `in_day` counts
  int64_t in_day = 0;
  std::string session_id;  // the session `in_session` counts
  int64_t in_session = 0;
  Millis last_shown_at = -1;
  Millis dismissed_at = -1;
  Millis converted_at = -1;
  // The last decision: its id ("" when not known: counted by an older version) and variant
  // ("" when held out), so a conversion by event names what was actually decided, even
  // after a login moved the visitor to another bucket.
  std::string decision_id;
  std::string variant_id;
  // The last click on one of its offers (-1: none), for click attribution of orders.
  Millis clicked_at = -1;
  std::string click_decision_id;
  std::string click_variant_id;
  std::string click_placement;
};

struct GlobalCounts {
  std::string session_id;
  int64_t in_session = 0;
  Millis last_shown_at = -1;
};

class CapLedger {
 public:
  CapLedger() = default;
  // A copy is another ledger: it gets its own layout().
  CapLedger(const CapLedger& other) : campaigns_(other.campaigns_), global_(other.global_) {}
  CapLedger(CapLedger&& other) noexcept : campaigns_(std::move(other.campaigns_)), global_(std::move(other.global_)) {
    other.layout_ = NextLayout();
  }
  CapLedger& operator=(const CapLedger& other) {
    campaigns_ = other.campaigns_;
    global_ = other.global_;
    layout_ = NextLayout();
    return *this;
  }
  CapLedger& operator=(CapLedger&& other) noexcept {
    campaigns_ = std::move(other.campaigns_);
    global_ = std::move(other.global_);
    layout_ = NextLayout();
    other.layout_ = NextLayout();
    return *this;
  }

  // Whether a cap keeps `campaign` from being shown now; if so and `why` is given, why
  // ("perSession cap 1 reached"). Governance (offers per session, gap between offers, quiet
  // hours) comes first, unless the campaign is exempt from it. Runs for every candidate of
  // every event: no text unless asked.
  bool Blocked(const Campaign& campaign, const Governance& governance, const CapPeriod& period, Millis now,
               int local_hour, std::string* why) const {
    return (campaign.governed && GovernanceBlocks(governance, period, now, local_hour, why)) ||
           CapsBlock(campaign, period, now, why);
  }
  // Blocked's two halves: the ruleset-wide limits, the same for every campaign until the next
  // RecordShown (an evaluation checks them once), and the campaign's own caps.
  bool GovernanceBlocks(const Governance& governance, const CapPeriod& period, Millis now, int local_hour,
                        std::string* why) const;
  bool CapsBlock(const Campaign& campaign, const CapPeriod& period, Millis now, std::string* why) const {
    return !campaigns_.empty() && CountsBlock(campaign, Find(campaign.id), period, now, why);
  }
  // The same with the campaign's counts already found (Find(campaign.id), null: none).
  bool CountsBlock(const Campaign& campaign, const CampaignCounts* counts, const CapPeriod& period, Millis now,
                   std::string* why) const;

  bool empty() const { return campaigns_.empty(); }
  // Changes whenever a campaign's entry is added or removed, and differs between ledger
  // objects: while it is unchanged, what Find returned stays valid (and live), so the
  // decision engine can keep its candidates' counts by campaign index instead of looking
  // each one up by id for every candidate of every event.
  uint64_t layout() const { return layout_; }

  // Decision `decision_id` was made for `campaign_id` (shown, or held out when `variant_id`
  // is "": the control group must see the same exposure rules as the treated group, or lift
  // is biased). `governed`: false for a campaign exempt from governance, whose decisions
  // count for its own caps only.
  void RecordShown(const std::string& campaign_id, const CapPeriod& period, Millis now,
                   const std::string& decision_id = "", const std::string& variant_id = "", bool governed = true);
  void RecordDismissed(const std::string& campaign_id, Millis now);
  void RecordConverted(const std::string& campaign_id, Millis now);
  // The visitor clicked the offer of `decision_id`.
  void RecordClicked(const std::string& campaign_id, Millis now, const std::string& decision_id,
                     const std::string& variant_id, const std::string& placement);
  // Calls `visit(campaign_id, counts)` for each campaign with a click, in no set order.
  template <typename Visit>
  void ForEachClicked(Visit visit) const {
    for (const auto& entry : campaigns_) {
      if (entry.second.clicked_at >= 0) visit(entry.first, entry.second);
    }
  }

  // What another tab stored: the result never has a lower count or an earlier time.
  void Merge(const CapLedger& other);

  std::string Encode() const;
  static Result<CapLedger> Decode(const std::string& text);

  const CampaignCounts* Find(const std::string& campaign_id) const;
  const GlobalCounts& global() const { return global_; }

 private:
  CampaignCounts& Entry(const std::string& campaign_id);
  // Unique in the process (as Cart::revision), so no two ledger states share one.
  static uint64_t NextLayout() {
    static uint64_t last = 0;
    return ++last;
  }

  std::map<std::string, CampaignCounts, std::less<>> campaigns_;
  GlobalCounts global_;
  uint64_t layout_ = NextLayout();
};

// Whether `hour` falls in [from, to), wrapping past midnight when from > to; false when
// the window is unset (-1).
bool InHourWindow(int hour, int from, int to);

}  // namespace parcours::rules
