// Visits ("sessions") as analytics tools count them: a new one after 30 minutes without
// an event, or when the visitor arrives from another campaign.
#pragma once

#include <cstdint>
#include <string>

#include "parcours/error.h"
#include "parcours/iso_time.h"
#include "parcours/json_access.h"
#include "parcours/random.h"

namespace parcours {

inline constexpr Millis kDefaultSessionTimeoutMs = 30 * 60 * 1000;

class SessionTracker {
 public:
  // A timeout <= 0 would start a session per event; it falls back to the default.
  explicit SessionTracker(Millis timeout_ms = kDefaultSessionTimeoutMs);

  // Called for every event. Starts a new session (fresh UUID v4 id from `random`, which
  // must not be null) when there is none, when `now - last_activity_at >= timeout`, or when
  // `campaign_key` is non-empty and differs from the session's own (a new campaign is a new
  // visit, as Google Analytics counts them). An empty key never starts a session. A clock
  // that went backwards counts as no inactivity. True when a new session started.
  bool Touch(Millis now, const std::string& campaign_key, Random* random);

  // {"id": string, "count": n, "startedAt": ms, "isNew": bool}, or null before the first
  // Touch. isNew is true only for the event that started the session.
  Json ToJson() const;

  // Persistence. The timeout is configuration, not state: Decode takes it again. Decode
  // answers kCorruptSnapshot for anything Encode did not write.
  std::string Encode() const;
  static Result<SessionTracker> Decode(const std::string& text, Millis timeout_ms = kDefaultSessionTimeoutMs);

  // When the session ends if nothing happens: last activity + timeout; -1 without a session.
  Millis ExpiresAt() const;

  bool active() const { return !id_.empty(); }
  const std::string& id() const { return id_; }
  int64_t count() const { return count_; }
  Millis started_at() const { return started_at_; }
  Millis last_activity_at() const { return last_activity_at_; }
  bool is_new() const { return is_new_; }
  Millis timeout_ms() const { return timeout_ms_; }

 private:
  Millis timeout_ms_;
  std::string id_;  // "" until the first Touch.
  int64_t count_ = 0;  // Sessions started on this device, this one included.
  Millis started_at_ = 0;
  Millis last_activity_at_ = 0;
  // Internal: only compared, never reported (it may hold campaign parameters verbatim).
  std::string campaign_key_;
  bool is_new_ = false;
};

}  // namespace parcours
