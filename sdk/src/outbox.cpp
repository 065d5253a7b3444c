// Batching and retry: cut batches under the count and byte limits, one in flight at a time
// (so events reach the collector in order), back off on retryable failures.
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

std::vector<std::string> Outbox::Enqueue(QueuedEvent event) {
  pending_bytes_ += event.json.size();
  pending_.push_back(std::move(event));
  std::vector<std::string> dropped;
  while (pending_.size() + in_flight_.size() > config_.max_queue_events && !pending_.empty()) {
    pending_bytes_ -= pending_.front().json.size();
    dropped.push_back(std::move(pending_.front().message_id));
    pending_.pop_front();
  }
  stats_.dropped_queue_full += dropped.size();
  return dropped;
}

void Outbox::Restore(std::vector<QueuedEvent> events) {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    pending_bytes_ += it->json.size();
    pending_.push_front(std::move(*it));
  }
}

bool Outbox::FullOrFlushing() const {
  return flush_requested_ || pending_.size() >= config_.max_batch_events ||
         pending_bytes_ + pending_.size() + kBatchEnvelopeBytes >= config_.max_batch_bytes;
}

bool Outbox::IsDue(Millis now) const {
  if (pending_.empty() || !in_flight_.empty() || now < retry_at_) return false;
  return FullOrFlushing() || now - pending_.front().enqueued_at >= config_.flush_interval_ms;
}

std::optional<Batch> Outbox::TakeDueBatch(Millis now) {
  if (!IsDue(now)) return std::nullopt;
  Batch batch;
  batch.id = "b" + std::to_string(next_batch_number_++);
  batch.body = "{\"batch\":[";
  size_t bytes = kBatchEnvelopeBytes;
  while (!pending_.empty() && in_flight_.size() < config_.max_batch_events) {
    const size_t size = pending_.front().json.size() + 1;  // +1 for the comma.
    if (!in_flight_.empty() && bytes + size > config_.max_batch_bytes) break;
    if (!in_flight_.empty()) batch.body += ',';
    batch.body += pending_.front().json;
    bytes += size;
    pending_bytes_ -= pending_.front().json.size();
    in_flight_.push_back(std::move(pending_.front()));
    pending_.pop_front();
  }
  batch.body += "],\"sentAt\":\"" + FormatIso8601(now) + "\",\"writeKey\":" + QuoteJson(config_.write_key) + "}";
  batch.event_count = in_flight_.size();
  in_flight_id_ = batch.id;
  if (pending_.empty()) flush_requested_ = false;
  return batch;
}

void Outbox::RequeueInFlight() {
  for (auto it = in_flight_.rbegin(); it != in_flight_.rend(); ++it) {
    pending_bytes_ += it->json.size();
    pending_.push_front(std::move(*it));
  }
  in_flight_.clear();
  in_flight_id_.clear();
}

Result<DeliveryReport> Outbox::OnResult(const DeliveryResult& result, Millis now, Random* random) {
  if (in_flight_.empty() || result.batch_id != in_flight_id_) {
    return MakeError(ErrorCode::kUnknownBatch, "no batch '" + result.batch_id + "' is in flight", "batchId");
  }
  DeliveryReport report{DeliveryOutcome::kDelivered, in_flight_.size()};
  if (!IsRetryableStatus(result.status)) {  // Delivered, or refused for good.
    for (const auto& event : in_flight_) report.removed_ids.push_back(event.message_id);
  }
  if (result.status >= 200 && result.status < 300) {
    stats_.delivered += in_flight_.size();
    in_flight_.clear();
    in_flight_id_.clear();
    consecutive_failures_ = 0;
    retry_at_ = -1;
    return report;
  }
  if (!IsRetryableStatus(result.status)) {
    report.outcome = DeliveryOutcome::kDropped;
    report.dropped = in_flight_.size();
    stats_.dropped_rejected += in_flight_.size();
    in_flight_.clear();
    in_flight_id_.clear();
    return report;
  }
  report.outcome = DeliveryOutcome::kRetrying;
  ++stats_.retries;
  std::vector<QueuedEvent> keep;
  for (auto& event : in_flight_) {
    if (++event.attempts >= config_.max_attempts) {
      report.removed_ids.push_back(event.message_id);
      ++report.dropped;
      ++stats_.dropped_max_attempts;
    } else {
      keep.push_back(std::move(event));
    }
  }
  in_flight_ = std::move(keep);
  report.requeued = in_flight_.size();
  RequeueInFlight();
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
  if (FullOrFlushing()) return std::max<Millis>(retry_at_, 0);
  return std::max(retry_at_, pending_.front().enqueued_at + config_.flush_interval_ms);
}

std::vector<const QueuedEvent*> Outbox::PendingFront(size_t count) const {
  std::vector<const QueuedEvent*> out;
  for (size_t i = 0; i < count && i < pending_.size(); ++i) out.push_back(&pending_[i]);
  return out;
}

}  // namespace parcours
