// Session start rules (inactivity, campaign change) and their JSON persistence.
#include "parcours/session.h"

#include <limits>
#include <utility>

namespace parcours {
namespace {

constexpr int kSessionVersion = 1;
constexpr int64_t kMaxStoredInteger = INT64_C(1) << 53;
// A campaign key is compared, never sent; a longer one is cut so that storage stays small
// whatever the landing URL holds. Two keys equal on their first 1 KB are one campaign.
constexpr size_t kMaxCampaignKeyBytes = 1024;

Error Corrupt(const std::string& what, const char* path = "") {
  return MakeError(ErrorCode::kCorruptSnapshot, what, path);
}

std::string BoundedKey(const std::string& campaign_key) { return campaign_key.substr(0, kMaxCampaignKeyBytes); }

}  // namespace

SessionTracker::SessionTracker(Millis timeout_ms)
    : timeout_ms_(timeout_ms > 0 ? timeout_ms : kDefaultSessionTimeoutMs) {}

bool SessionTracker::Touch(Millis now, const std::string& campaign_key, Random* random) {
  // Compared in unsigned arithmetic so that times from a hostile shell cannot overflow; a
  // clock that went backwards (now < last activity) is no inactivity at all.
  const bool timed_out =
      now >= last_activity_at_ &&
      static_cast<uint64_t>(now) - static_cast<uint64_t>(last_activity_at_) >= static_cast<uint64_t>(timeout_ms_);
  const std::string key = BoundedKey(campaign_key);
  const bool new_campaign = !key.empty() && key != campaign_key_;
  const bool starts = !active() || timed_out || new_campaign;
  if (starts) {
    id_ = random->UuidV4();
    ++count_;
    started_at_ = now;
    campaign_key_ = key;
  }
  last_activity_at_ = now;
  is_new_ = starts;
  return starts;
}

Json SessionTracker::ToJson() const {
  if (!active()) return nullptr;
  return {{"id", id_}, {"count", count_}, {"startedAt", started_at_}, {"isNew", is_new_}};
}

std::string SessionTracker::Encode() const {
  Json stored = {{"v", kSessionVersion}, {"count", count_}};
  if (active()) {
    stored["id"] = id_;
    stored["startedAt"] = started_at_;
    stored["lastActivityAt"] = last_activity_at_;
    stored["campaign"] = campaign_key_;
    stored["isNew"] = is_new_;
  }
  return DumpJson(stored);
}

Result<SessionTracker> SessionTracker::Decode(const std::string& text, Millis timeout_ms) {
  const Json root = Json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return Corrupt("stored session is not a JSON object");
  int64_t version = 0;
  if (!FindInteger(root, "v", 1, 1000, &version) || version != kSessionVersion) {
    return Corrupt("stored session has an unknown version", "v");
  }
  SessionTracker session(timeout_ms);
  if (!FindInteger(root, "count", 0, kMaxStoredInteger, &session.count_)) {
    return Corrupt("stored session count is not a count", "count");
  }
  const Json* id = Find(root, "id");
  if (!id) return session;  // Encoded before the first event.
  const std::string* id_text = FindString(root, "id");
  if (!id_text || id_text->empty() || id_text->size() > 64) return Corrupt("stored session id is not an id", "id");
  if (session.count_ < 1) return Corrupt("stored session has an id but no count", "count");
  if (!FindInteger(root, "startedAt", -kMaxStoredInteger, kMaxStoredInteger, &session.started_at_) ||
      !FindInteger(root, "lastActivityAt", -kMaxStoredInteger, kMaxStoredInteger, &session.last_activity_at_)) {
    return Corrupt("stored session times are not times", "startedAt");
  }
  const std::string* campaign = FindString(root, "campaign");
  const Json* is_new = Find(root, "isNew");
  if (!campaign || !is_new || !is_new->is_boolean()) {
    return Corrupt("stored session lacks its campaign or isNew", "campaign");
  }
  session.id_ = *id_text;
  session.campaign_key_ = BoundedKey(*campaign);
  session.is_new_ = is_new->get<bool>();
  return session;
}

Millis SessionTracker::ExpiresAt() const {
  if (!active()) return -1;
  // Saturates rather than overflows: a session that far out simply never expires.
  if (last_activity_at_ > std::numeric_limits<Millis>::max() - timeout_ms_) return std::numeric_limits<Millis>::max();
  return last_activity_at_ + timeout_ms_;
}

}  // namespace parcours
