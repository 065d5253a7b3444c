// Batching and retry: cut batches under the count and byte limits, one in flight at a time
// (so events reach the collector in order) except when the page unloads, back off on
// retryable failures, and drop (counting why) what can never be delivered.
#include "parcours/outbox.h"

#include <algorithm>
#include <utility>

#include "parcours/json_access.h"

namespace parcours {

bool IsRetryableStatus(int status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

Millis BackoffDelay(const Config& config, int consecutive_failures, Millis retry_after_ms, Random* random) {
  Millis delay = config.retry_base_ms;
  for (int i = 1; i < consecutive_failures && delay < config.retry_max_ms; ++i) delay *= 2;
  delay = std::min(delay, config.retry_max_ms);
  const Millis jittered = delay / 2 + static_cast<Millis>(random->NextUnit() * static_cast<double>(delay - delay / 2));
  return std::max(jittered, retry_after_ms);
}

namespace {

constexpr std::string_view kTimestampMember = ",\"timestamp\":\"";
constexpr size_t kTimestampBytes = 24;  // 2025-11-22T08:26:40.000Z

}  // namespace

size_t QueuedEvent::WireSize() const {
  if (!envelope) return members.size() + 2;
  return members.size() + kTimestampMember.size() + kTimestampBytes + 2 + envelope->size() + 2;
}

void QueuedEvent::AppendWire(std::string* out) const {
  out->push_back('{');
  *out += members;
  if (envelope) {
    *out += kTimestampMember;
    *out += FormatIso8601(enqueued_at);
    *out += "\",";
    *out += *envelope;
  }
  out->push_back('}');
}

std::vector<QueuedEvent> Outbox::Enqueue(QueuedEvent event) {
  pending_bytes_ += event.WireSize();
  pending_.push_back(std::move(event));
  std::vector<QueuedEvent> dropped;
  while (pending_.size() + in_flight_events_ > config_.max_queue_events && !pending_.empty()) {
    dropped.push_back(PopPending());
  }
  stats_.dropped_queue_full += dropped.size();
  return dropped;
}


QueuedEvent Outbox::PopPending() {
  QueuedEvent event = std::move(pending_.front());
  pending_.pop_front();
  pending_bytes_ -= event.WireSize();
  return event;
}

void Outbox::Requeue(std::vector<QueuedEvent> events) {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    pending_bytes_ += it->WireSize();
    pending_.push_front(std::move(*it));
  }
}

std::vector<QueuedEvent> Outbox::DropExpired(Millis now) {
  std::vector<QueuedEvent> expired;
  // Pending is oldest first (restored events lead), so only the front needs looking at.
  while (!pending_.empty() && now - pending_.front().enqueued_at > config_.max_event_age_ms) {
    expired.push_back(PopPending());
  }
  stats_.dropped_expired += expired.size();
  return expired;
}

bool Outbox::FullOrFlushing() const {
  return flush_requested_ || pending_.size() >= config_.max_batch_events ||
         pending_bytes_ + pending_.size() + kBatchEnvelopeBytes >= config_.max_batch_bytes;
}

size_t Outbox::Adopt(std::vector<QueuedEvent> events) {
  // Views stay valid: members are heap strings, and moving one keeps its buffer.
  std::unordered_set<std::string_view> held;
  for (const auto& event : pending_) held.insert(event.message_id());
  for (const auto& [id, batch] : in_flight_) {
    for (const auto& event : batch) held.insert(event.message_id());
  }
  size_t added = 0;
  bool in_order = true;
  for (auto& event : events) {
    if (!held.insert(event.message_id()).second) continue;
    if (!pending_.empty() && event.enqueued_at < pending_.back().enqueued_at) in_order = false;
    pending_bytes_ += event.WireSize();
    pending_.push_back(std::move(event));
    ++added;
  }
  // Usually another tab's newest event, appended in order; a new leader merging a whole
  // stored queue needs the sort.
  if (!in_order) {
    std::stable_sort(pending_.begin(), pending_.end(), [](const QueuedEvent& a, const QueuedEvent& b) {
      return a.enqueued_at < b.enqueued_at;
    });
  }
  return added;
}

size_t Outbox::Forget(const std::function<bool(const QueuedEvent&)>& gone) {
  size_t forgotten = 0;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (gone(*it)) {
      pending_bytes_ -= it->WireSize();
      it = pending_.erase(it);
      ++forgotten;
    } else {
      ++it;
    }
  }
  return forgotten;
}

void Outbox::ForEachHeld(const std::function<void(const QueuedEvent&)>& visit) const {
  for (const auto& [batch_id, events] : in_flight_) {
    for (const QueuedEvent& event : events) visit(event);
  }
  for (const QueuedEvent& event : pending_) visit(event);
}

std::vector<QueuedEvent*> Outbox::UnstoredTail() {
  size_t first = pending_.size();
  while (first > 0 && !pending_[first - 1].chunk) --first;
  std::vector<QueuedEvent*> events;
  for (size_t i = first; i < pending_.size(); ++i) events.push_back(&pending_[i]);
  return events;
}

void Outbox::SetOnline(bool online) {
  // Back online, what waited goes at once: the backoff was about a collector that was
  // simply out of reach.
  if (online && !online_) {
    retry_at_ = -1;
    consecutive_failures_ = 0;
    RequestFlush();
  }
  online_ = online;
}

void Outbox::SetConsented(bool consented) {
  if (consented && !consented_ && !pending_.empty()) RequestFlush();
  consented_ = consented;
}

std::vector<QueuedEvent> Outbox::PurgeAll() {
  std::vector<QueuedEvent> ids;
  for (auto& [batch_id, events] : in_flight_) {
    for (auto& event : events) ids.push_back(std::move(event));
  }
  for (auto& event : pending_) ids.push_back(std::move(event));
  in_flight_.clear();
  in_flight_events_ = 0;
  pending_.clear();
  pending_bytes_ = 0;
  flush_requested_ = false;
  stats_.dropped_consent += ids.size();
  return ids;
}

bool Outbox::IsDue(Millis now) const {
  if (!delivering_ || !online_ || !consented_ || pending_.empty() || !in_flight_.empty() || now < retry_at_) return false;
  return FullOrFlushing() || now - pending_.front().enqueued_at >= config_.flush_interval_ms;
}

Batch Outbox::CutBatch(Millis now, size_t max_events, size_t max_bytes) {
  Batch batch;
  batch.id = "b" + std::to_string(next_batch_number_++);
  batch.body = "{\"batch\":[";
  std::vector<QueuedEvent> events;
  size_t bytes = kBatchEnvelopeBytes;
  while (!pending_.empty() && events.size() < max_events) {
    const size_t size = pending_.front().WireSize() + 1;  // +1 for the comma.
    if (!events.empty() && bytes + size > max_bytes) break;
    if (!events.empty()) batch.body += ',';
    pending_.front().AppendWire(&batch.body);
    bytes += size;
    events.push_back(PopPending());
  }
  batch.body += "],\"sentAt\":\"" + FormatIso8601(now) + "\",\"writeKey\":" + QuoteJson(config_.write_key) + "}";
  batch.event_count = events.size();
  in_flight_events_ += events.size();
  in_flight_.emplace(batch.id, std::move(events));
  if (pending_.empty()) flush_requested_ = false;
  return batch;
}

std::optional<Batch> Outbox::TakeDueBatch(Millis now) {
  if (!IsDue(now)) return std::nullopt;
  return CutBatch(now, config_.max_batch_events, config_.max_batch_bytes);
}

std::vector<Batch> Outbox::TakeAllPending(Millis now, size_t max_bytes) {
  std::vector<Batch> batches;
  if (!consented_) return batches;
  const size_t limit = std::min(max_bytes, config_.max_batch_bytes);
  while (!pending_.empty()) batches.push_back(CutBatch(now, config_.max_batch_events, limit));
  return batches;
}

Result<DeliveryReport> Outbox::OnResult(const DeliveryResult& result, Millis now, Random* random) {
  auto found = in_flight_.find(result.batch_id);
  if (found == in_flight_.end()) {
    return MakeError(ErrorCode::kUnknownBatch, "no batch '" + result.batch_id + "' is in flight", "batchId");
  }
  std::vector<QueuedEvent> events = std::move(found->second);
  in_flight_.erase(found);
  in_flight_events_ -= events.size();
  DeliveryReport report;
  report.outcome = DeliveryOutcome::kDelivered;
  report.events = events.size();
  if (!IsRetryableStatus(result.status)) {  // Delivered, or refused for good.
    if (result.status >= 200 && result.status < 300) {
      stats_.delivered += events.size();
      consecutive_failures_ = 0;
      retry_at_ = -1;
    } else {
      report.outcome = DeliveryOutcome::kDropped;
      report.dropped = events.size();
      stats_.dropped_rejected += events.size();
    }
    report.removed = std::move(events);
    return report;
  }
  report.outcome = DeliveryOutcome::kRetrying;
  ++stats_.retries;
  std::vector<QueuedEvent> keep;
  for (auto& event : events) {
    if (++event.attempts >= config_.max_attempts) {
      report.removed.push_back(std::move(event));
      ++report.dropped;
      ++stats_.dropped_max_attempts;
    } else {
      keep.push_back(std::move(event));
    }
  }
  report.requeued = keep.size();
  Requeue(std::move(keep));
  // These events were already due once: they go again when the backoff ends, not after a
  // fresh flush interval.
  flush_requested_ = !pending_.empty();
  ++consecutive_failures_;
  retry_at_ = now + BackoffDelay(config_, consecutive_failures_, result.retry_after_ms, random);
  report.retry_at = retry_at_;
  return report;
}

Millis Outbox::NextWakeAt() const {
  if (pending_.empty() || !in_flight_.empty()) return -1;
  const Millis oldest = pending_.front().enqueued_at;
  if (!delivering_ || !online_ || !consented_) return oldest + config_.max_event_age_ms + 1;
  const Millis due_at = FullOrFlushing() ? std::max<Millis>(retry_at_, 0)
                                         : std::max(retry_at_, oldest + config_.flush_interval_ms);
  // A long backoff must not keep an expired event stored (and counted as pending) for hours.
  return std::min(due_at, oldest + config_.max_event_age_ms + 1);
}

std::vector<const QueuedEvent*> Outbox::PendingFront(size_t count) const {
  std::vector<const QueuedEvent*> out;
  for (size_t i = 0; i < count && i < pending_.size(); ++i) out.push_back(&pending_[i]);
  return out;
}

}  // namespace parcours
