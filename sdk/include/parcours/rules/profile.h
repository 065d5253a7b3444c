// What the device knows about the visitor over time, for conditions under `user`: orders,
// lifetime revenue, days since the last order, first and previous visit, and how often each
// event was tracked in the last 1, 7 and 30 local days. Persisted as the "profile" entry.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/error.h"
#include "parcours/iso_time.h"
#include "parcours/json_access.h"

namespace parcours::rules {

inline constexpr char kProfileKey[] = "profile";
// Event names counted; the least recently seen are forgotten past it, so a page tracking
// fresh names in a loop cannot grow storage.
inline constexpr size_t kMaxCountedEvents = 100;
inline constexpr int kCountedDays = 30;

class Profile {
 public:
  // Counts one tracked event on local day `day`; an "Order Completed" also counts the
  // order and its `total` (else `revenue`).
  void OnEvent(std::string_view name, const Json* properties, Millis now, int64_t day);
  // The first event of a new session: the previous visit ends here. Answers the days the
  // visitor was away (0 for a first visit).
  int OnSessionStart(Millis now);

  // {"orders", "revenue", "lastOrderAt", "daysSinceLastOrder", "firstSeenAt",
  //  "daysSinceFirstSeen", "previousVisitAt", "events": {name: {"total", "last1d", "last7d", "last30d"}}}
  // Times are ms or null; days are whole days, null when unknown.
  Json ToJson(Millis now, int64_t day) const;

  std::string Encode() const;
  static Result<Profile> Decode(const std::string& text);

 private:
  struct EventCounts {
    int64_t total = 0;
    Millis last_at = 0;
    std::vector<std::pair<int64_t, int64_t>> days;  // (day, count), newest last, last 30 days
  };

  int64_t orders_ = 0;
  double revenue_ = 0;
  Millis last_order_at_ = -1;
  Millis first_seen_at_ = -1;
  Millis last_seen_at_ = -1;
  Millis previous_visit_at_ = -1;  // last activity of the session before this one
  std::map<std::string, EventCounts, std::less<>> events_;
};

}  // namespace parcours::rules
