// Counting and storing the visitor's profile (profile.h).
#include "parcours/rules/profile.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace parcours::rules {
namespace {

constexpr int kProfileVersion = 1;
constexpr Millis kDayMs = 24LL * 3600 * 1000;

Json TimeOrNull(Millis at) { return at < 0 ? Json() : Json(at); }
Json DaysSince(Millis at, Millis now) { return at < 0 ? Json() : Json((now - at) / kDayMs); }

}  // namespace

void Profile::OnEvent(std::string_view name, const Json* properties, Millis now, int64_t day) {
  if (first_seen_at_ < 0) first_seen_at_ = now;
  last_seen_at_ = now;
  auto it = events_.find(name);
  if (it == events_.end()) {
    if (events_.size() >= kMaxCountedEvents) {
      events_.erase(std::min_element(events_.begin(), events_.end(), [](const auto& a, const auto& b) {
        return a.second.last_at < b.second.last_at;
      }));
    }
    it = events_.emplace(std::string(name), EventCounts{}).first;
  }
  EventCounts& counts = it->second;
  counts.total += 1;
  counts.last_at = now;
  if (!counts.days.empty() && counts.days.back().first == day) {
    counts.days.back().second += 1;
  } else {
    counts.days.emplace_back(day, 1);
  }
  counts.days.erase(std::remove_if(counts.days.begin(), counts.days.end(),
                                   [&](const auto& entry) { return entry.first <= day - kCountedDays; }),
                    counts.days.end());
  if (name == "Order Completed") {
    orders_ += 1;
    last_order_at_ = now;
    double total = 0;
    if (properties && (FindNumber(*properties, "total", &total) || FindNumber(*properties, "revenue", &total)) &&
        std::isfinite(total) && total > 0 && total < 1e12) {
      revenue_ = std::round((revenue_ + total) * 100) / 100;
    }
  }
}

int Profile::OnSessionStart(Millis now) {
  previous_visit_at_ = last_seen_at_;
  if (last_seen_at_ < 0 || now <= last_seen_at_) return 0;
  return static_cast<int>(std::min<Millis>((now - last_seen_at_) / kDayMs, 100000));
}

Json Profile::ToJson(Millis now, int64_t day) const {
  Json events = Json::object();
  for (const auto& [name, counts] : events_) {
    int64_t last1 = 0, last7 = 0, last30 = 0;
    for (const auto& [counted_day, count] : counts.days) {
      if (counted_day > day - 1) last1 += count;
      if (counted_day > day - 7) last7 += count;
      if (counted_day > day - kCountedDays) last30 += count;
    }
    events[name] = {{"total", counts.total}, {"last1d", last1}, {"last7d", last7}, {"last30d", last30}};
  }
  return {{"orders", orders_},
          {"revenue", revenue_},
          {"lastOrderAt", TimeOrNull(last_order_at_)},
          {"daysSinceLastOrder", DaysSince(last_order_at_, now)},
          {"firstSeenAt", TimeOrNull(first_seen_at_)},
          {"daysSinceFirstSeen", DaysSince(first_seen_at_, now)},
          {"previousVisitAt", TimeOrNull(previous_visit_at_)},
          {"events", std::move(events)}};
}

std::string Profile::Encode() const {
  Json events = Json::object();
  for (const auto& [name, counts] : events_) {
    Json days = Json::array();
    for (const auto& [day, count] : counts.days) days.push_back(Json::array({day, count}));
    events[name] = Json::array({counts.total, counts.last_at, std::move(days)});
  }
  return DumpJson({{"v", kProfileVersion},
                   {"orders", orders_},
                   {"revenue", revenue_},
                   {"times", Json::array({last_order_at_, first_seen_at_, last_seen_at_, previous_visit_at_})},
                   {"events", std::move(events)}});
}

Result<Profile> Profile::Decode(const std::string& text) {
  const Json json = Json::parse(text, nullptr, false);
  const Error corrupt = MakeError(ErrorCode::kCorruptSnapshot, "the stored visitor profile is unreadable");
  int64_t version = 0;
  Profile profile;
  const Json* times = Find(json, "times");
  const Json* events = Find(json, "events");
  if (!FindInteger(json, "v", 1, 1000, &version) || version != kProfileVersion ||
      !FindInteger(json, "orders", 0, INT64_MAX / 2, &profile.orders_) || !FindNumber(json, "revenue", &profile.revenue_) ||
      !times || !times->is_array() || times->size() != 4 || !events || !events->is_object()) {
    return corrupt;
  }
  Millis* slots[] = {&profile.last_order_at_, &profile.first_seen_at_, &profile.last_seen_at_,
                     &profile.previous_visit_at_};
  for (size_t i = 0; i < 4; ++i) {
    if (!(*times)[i].is_number_integer()) return corrupt;
    *slots[i] = (*times)[i].get<int64_t>();
  }
  for (const auto& [name, value] : events->items()) {
    if (!value.is_array() || value.size() != 3 || !value[0].is_number_integer() || !value[1].is_number_integer() ||
        !value[2].is_array() || value[2].size() > kCountedDays) {
      return corrupt;
    }
    EventCounts counts{value[0].get<int64_t>(), value[1].get<int64_t>(), {}};
    for (const Json& entry : value[2]) {
      if (!entry.is_array() || entry.size() != 2 || !entry[0].is_number_integer() || !entry[1].is_number_integer()) {
        return corrupt;
      }
      counts.days.emplace_back(entry[0].get<int64_t>(), entry[1].get<int64_t>());
    }
    if (profile.events_.size() < kMaxCountedEvents) profile.events_.emplace(name, std::move(counts));
  }
  return profile;
}

}  // namespace parcours::rules
