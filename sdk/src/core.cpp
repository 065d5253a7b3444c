// The core's input handlers. Each one changes state, then Settle() turns the new state into
// effects, so the rules for sending, persisting and waking live in one place.
#include "parcours/core.h"

#include <utility>

#include "parcours/snapshot.h"

namespace parcours {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

void Log(Output* out, const char* level, std::string message) {
  out->effects.emplace_back(LogEffect{level, std::move(message)});
}

}  // namespace

Core::Core(std::string library_version)
    : library_version_(std::move(library_version)), builder_(library_version_) {}

Output Core::Handle(Input input) {
  Output out;
  const Millis now = input.now;
  if (!initialized() && !std::holds_alternative<InitInput>(input.command)) {
    out.error = MakeError(ErrorCode::kNotInitialized, "send an init input first");
    return out;
  }
  std::visit(Overloaded{
                 [&](InitInput& init) { Init(init, now, &out); },
                 [&](TrackInput& track) {
                   auto name = ValidateEventName(&track.event);
                   if (!name.ok()) return void(out.error = name.error());
                   CallFields call{"track", track.event.get<std::string>(), "", &track.properties};
                   Enqueue(call, now, &out);
                 },
                 [&](PageInput& page) {
                   if (!page.name.is_null() && !page.name.is_string()) {
                     return void(out.error = MakeError(ErrorCode::kInvalidInput, "page name must be a string", "name"));
                   }
                   CallFields call{"page", "", page.name.is_string() ? page.name.get<std::string>() : "",
                                   &page.properties};
                   Enqueue(call, now, &out);
                 },
                 [&](ContextInput& context) { builder_.SetContext(context.context); },
                 [&](FlushInput&) { outbox_->RequestFlush(); },
                 [&](TickInput&) { scheduled_at_ = -1; },  // That timer is spent; re-arm it.
                 [&](DeliveredInput& delivered) { OnDelivered(delivered.result, now, &out); },
                 [&](StatsInput&) {
                   const DeliveryStats& s = outbox_->stats();
                   out.result = {{"delivered", s.delivered},
                                 {"retries", s.retries},
                                 {"dropped",
                                  {{"rejected", s.dropped_rejected},
                                   {"maxAttempts", s.dropped_max_attempts},
                                   {"queueFull", s.dropped_queue_full}}}};
                 },
             },
             input.command);
  if (initialized()) Settle(now, &out);
  return out;
}

void Core::Init(InitInput& input, Millis now, Output* out) {
  if (initialized()) {
    out->error = MakeError(ErrorCode::kInvalidInput, "the core is already initialized");
    return;
  }
  auto config = ParseConfig(input.options);
  if (!config.ok()) {
    out->error = config.error();
    return;
  }
  config_ = std::move(config.value());
  outbox_ = std::make_unique<Outbox>(config_);
  random_ = Random(input.seed);
  builder_.SetContext(input.context);
  if (!input.snapshot.empty()) {
    auto snapshot = DecodeSnapshot(input.snapshot);
    if (snapshot.ok()) {
      identity_ = snapshot.value().identity;
      if (snapshot.value().skipped_events > 0) {
        Log(out, "warn", std::to_string(snapshot.value().skipped_events) + " unreadable stored events were skipped");
      }
      outbox_->Restore(std::move(snapshot.value().events), snapshot.value().stats);
    } else {
      Log(out, "warn", snapshot.error().message + "; starting with an empty queue");
    }
    // Events restored from an earlier page go out now rather than after a full interval.
    if (outbox_->pending_count() > 0) outbox_->RequestFlush();
  }
  if (identity_.anonymous_id.empty()) {
    identity_.anonymous_id = random_.UuidV4();
    dirty_ = true;
  }
  out->result = {{"anonymousId", identity_.anonymous_id}};
  (void)now;
}

void Core::Enqueue(const CallFields& call, Millis now, Output* out) {
  auto properties = ValidateProperties(call.properties, kMaxPropertiesDepth);
  if (!properties.ok()) {
    out->error = properties.error();
    return;
  }
  std::string message_id = random_.UuidV4();
  std::string json = builder_.Build(call, message_id, identity_, now);
  if (json.size() > config_.max_event_bytes) {
    out->error = MakeError(ErrorCode::kEventTooLarge,
                           "the event is " + std::to_string(json.size()) + " bytes, over maxEventBytes (" +
                               std::to_string(config_.max_event_bytes) + ")",
                           "properties");
    return;
  }
  out->result = {{"messageId", message_id}};
  const size_t dropped = outbox_->Enqueue(QueuedEvent{std::move(message_id), std::move(json), now, 0});
  if (dropped > 0) {
    Log(out, "warn", "queue full (maxQueueEvents " + std::to_string(config_.max_queue_events) + "): dropped the " +
                         std::to_string(dropped) + " oldest events");
  }
  dirty_ = true;
}

void Core::OnDelivered(const DeliveryResult& result, Millis now, Output* out) {
  auto report = outbox_->OnResult(result, now, &random_);
  if (!report.ok()) {
    out->error = report.error();
    return;
  }
  dirty_ = true;
  const DeliveryReport& r = report.value();
  const std::string detail = result.error.empty() ? "" : ": " + result.error;
  if (r.outcome == DeliveryOutcome::kDropped) {
    Log(out, "error", "collector refused a batch with HTTP " + std::to_string(result.status) + detail + "; dropped " +
                          std::to_string(r.dropped) + " events");
  } else if (r.outcome == DeliveryOutcome::kRetrying) {
    Log(out, "warn", "delivery failed (" + (result.status == 0 ? std::string("network error") :
                                                                  "HTTP " + std::to_string(result.status)) +
                         detail + "); retrying in " + std::to_string(r.retry_at - now) + " ms");
    if (r.dropped > 0) {
      Log(out, "error", std::to_string(r.dropped) + " events dropped after " + std::to_string(config_.max_attempts) +
                            " attempts");
    }
  }
}

void Core::Settle(Millis now, Output* out) {
  if (auto batch = outbox_->TakeDueBatch(now)) {
    out->effects.emplace_back(SendEffect{batch->id, config_.BatchUrl(), std::move(batch->body), batch->event_count});
  }
  if (dirty_) {
    out->effects.emplace_back(PersistEffect{kStateKey, EncodeSnapshot(identity_, *outbox_)});
    dirty_ = false;
  }
  const Millis wake_at = outbox_->NextWakeAt();
  if (wake_at != scheduled_at_) {
    out->effects.emplace_back(ScheduleEffect{wake_at});
    scheduled_at_ = wake_at;
  }
  out->queue = QueueState{outbox_->pending_count(), outbox_->in_flight_count(), outbox_->waiting_to_retry(now)};
}

}  // namespace parcours
