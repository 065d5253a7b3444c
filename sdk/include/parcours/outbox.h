// The delivery state machine: pending events, the batch in flight, and when to try again.
// It decides *when* a batch goes and *what* is in it; the shell only carries it out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <functional>
#include <string_view>
#include <optional>
#include <unordered_set>
#include <string>
#include <vector>

#include "parcours/config.h"
#include "parcours/iso_time.h"
#include "parcours/random.h"

namespace parcours {

// One accepted event, compact: what is shared by the events of one identity, page and
// session (ids, context) is held once and referenced, and the timestamp is written from
// `enqueued_at` when the event goes on the wire.
struct QueuedEvent {
  // The event's own JSON members (type, event, properties or traits...), without braces,
  // ending with "messageId":"<id>". For an event restored from a v1 storage entry, every
  // member of the event.
  std::string members;
  // "anonymousId":...,"context":{...}: shared by the events of one identity, page and
  // session. Null: `members` already holds the whole event.
  std::shared_ptr<const std::string> envelope;
  // The storage entry that holds it; null while it is not stored (no consent yet).
  std::shared_ptr<const std::string> chunk;
  Millis enqueued_at = 0;
  uint64_t sequence = 0;  // Orders events enqueued in the same millisecond.
  int attempts = 0;       // Delivery attempts that failed with a retryable outcome.
  uint32_t id_length = 0;  // Of the messageId at the end of `members`, as JSON string text.

  std::string_view message_id() const {
    return std::string_view(members).substr(members.size() - 1 - id_length, id_length);
  }
  // Bytes of the event as sent (AppendWire).
  size_t WireSize() const;
  // The Segment event, as sent: {members,"timestamp":...,envelope}.
  void AppendWire(std::string* out) const;
};

struct Batch {
  std::string id;
  std::string body;  // {"batch":[...],"sentAt":...,"writeKey":...}
  size_t event_count = 0;
};

// Counters of what happened to accepted events, persisted with the queue.
struct DeliveryStats {
  uint64_t delivered = 0;
  uint64_t retries = 0;
  uint64_t dropped_rejected = 0;     // The collector answered a non-retryable 4xx.
  uint64_t dropped_max_attempts = 0;
  uint64_t dropped_queue_full = 0;
  uint64_t dropped_expired = 0;  // Older than maxEventAgeMs before it could be delivered.
  uint64_t dropped_consent = 0;  // Purged when analytics consent was withdrawn or refused.
};

// How a delivery attempt ended, as the shell saw it. status 0 means a network error.
struct DeliveryResult {
  std::string batch_id;
  int status = 0;
  Millis retry_after_ms = -1;  // From Retry-After, -1 when absent.
  std::string error;           // The collector's error message, for the log.
};

enum class DeliveryOutcome { kDelivered, kRetrying, kDropped };

struct DeliveryReport {
  DeliveryOutcome outcome;
  size_t events = 0;
  size_t dropped = 0;  // Of those, dropped for good (rejected, or past maxAttempts).
  Millis retry_at = -1;
  std::vector<QueuedEvent> removed;  // Delivered or dropped: no longer held.
  size_t requeued = 0;                   // Back at the front of the queue, attempts counted.
};

class Outbox {
 public:
  explicit Outbox(const Config& config) : config_(config) {}

  // Adds an event; returns the oldest events, dropped to respect maxQueueEvents.
  std::vector<QueuedEvent> Enqueue(QueuedEvent event);
  void RestoreStats(const DeliveryStats& stats) { stats_ = stats; }

  // Tabs of one site share the stored queue and only the leader sends; a follower keeps
  // its events stored (and sends them itself only when its page unloads).
  void SetDelivering(bool delivering) { delivering_ = delivering; }
  // The browser says it is offline: sending would only burn attempts, so wait for "online".
  void SetOnline(bool online);
  // Without analytics consent nothing is sent, not even on unload.
  void SetConsented(bool consented);
  // Consent withdrawn: every event held (pending or in flight) is dropped and counted.
  std::vector<QueuedEvent> PurgeAll();
  bool delivering() const { return delivering_; }
  // Takes in events another tab stored, skipping those already held; keeps time order.
  // Returns how many were new.
  size_t Adopt(std::vector<QueuedEvent> events);
  // Another tab confirmed or dropped these: stop holding the pending events for which
  // `gone` is true (those in flight here wait for their own result).
  size_t Forget(const std::function<bool(const QueuedEvent&)>& gone);
  // Every event held, pending and in flight.
  void ForEachHeld(const std::function<void(const QueuedEvent&)>& visit) const;
  // The newest pending events that are not stored yet (all of them since the last call,
  // when the core stores each input's new events at its end), oldest first.
  std::vector<QueuedEvent*> UnstoredTail();

  // Asks that everything pending go out now, rather than at the next size or time trigger.
  void RequestFlush() { flush_requested_ = !pending_.empty(); }

  // Drops pending events older than maxEventAgeMs (counted) and returns them.
  std::vector<QueuedEvent> DropExpired(Millis now);
  // The next batch to POST, if one is due at `now` and none is in flight: in normal
  // operation one batch at a time keeps events in order at the collector.
  std::optional<Batch> TakeDueBatch(Millis now);
  // The page is going away: every pending event goes now, in batches of at most
  // `max_bytes` (what keepalive requests may carry), whatever is in flight or backing off.
  std::vector<Batch> TakeAllPending(Millis now, size_t max_bytes);
  Result<DeliveryReport> OnResult(const DeliveryResult& result, Millis now, Random* random);

  // When the core must be woken next (-1: no need). A due batch blocked by one in flight
  // needs no timer: the delivery result wakes the core.
  Millis NextWakeAt() const;

  size_t pending_count() const { return pending_.size(); }
  size_t in_flight_count() const { return in_flight_events_; }
  bool waiting_to_retry(Millis now) const { return retry_at_ > now && !pending_.empty(); }
  bool paused() const { return !delivering_ || !online_ || !consented_; }
  const DeliveryStats& stats() const { return stats_; }
  // The first `count` pending events (those a failed batch put back).
  std::vector<const QueuedEvent*> PendingFront(size_t count) const;

 private:
  bool FullOrFlushing() const;
  bool IsDue(Millis now) const;
  Batch CutBatch(Millis now, size_t max_events, size_t max_bytes);
  void Requeue(std::vector<QueuedEvent> events);
  QueuedEvent PopPending();

  const Config& config_;
  std::deque<QueuedEvent> pending_;
  size_t pending_bytes_ = 0;
  std::map<std::string, std::vector<QueuedEvent>> in_flight_;  // By batch id.
  size_t in_flight_events_ = 0;
  uint64_t next_batch_number_ = 1;
  int consecutive_failures_ = 0;
  Millis retry_at_ = -1;
  bool flush_requested_ = false;
  bool delivering_ = true;
  bool online_ = true;
  bool consented_ = true;
  DeliveryStats stats_;
};

// Exponential backoff with "equal jitter": half the delay fixed, half random, so clients
// that failed together do not retry together. Retry-After, when given, is a floor.
Millis BackoffDelay(const Config& config, int consecutive_failures, Millis retry_after_ms, Random* random);

bool IsRetryableStatus(int status);

}  // namespace parcours
