// The core's dispatch, lifecycle and delivery handling. Each input changes state, then
// Settle() turns the new state into effects, so the rules for sending, persisting and waking
// live in one place. The calls are in core_calls.cpp, consent in core_consent.cpp.
#include "parcours/core.h"

#include <algorithm>
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
                 [&](TrackInput& track) { Track(track, now, &out); },
                 [&](PageInput& page) { Page(page, now, &out); },
                 [&](IdentifyInput& identify) { Identify(identify, now, &out); },
                 [&](GroupInput& group) { Group(group, now, &out); },
                 [&](AliasInput& alias) { Alias(alias, now, &out); },
                 [&](ResetInput&) { Reset(&out); },
                 [&](IdentityInput& identity) { SetIdentity(identity, &out); },
                 [&](ConsentInput& consent) { OnConsent(consent, &out); },
                 [&](ContextInput& context) { SetContext(context.context); },
                 [&](FlushInput&) { outbox_->RequestFlush(); },
                 [&](UnloadInput&) { Unload(now, &out); },
                 [&](TickInput&) {
                   scheduled_at_ = -1;  // That timer is spent; Settle re-arms it.
                   RunTimers(now, &out);
                 },
                 [&](DeliveredInput& delivered) { OnDelivered(delivered.result, now, &out); },
                 [&](LeadInput& lead) {
                   outbox_->SetDelivering(lead.leader);
                   if (lead.leader) AdoptStored(lead.queue, &out);
                 },
                 [&](AdoptInput& adopt) { AdoptStored(adopt.queue, &out); },
                 [&](ForgetInput& forget) { ForgetChunks(forget.keys); },
                 [&](NetworkInput& network) { outbox_->SetOnline(network.online); },
                 [&](StatsInput&) { out.result = Stats(); },
                 [&](InspectInput&) { out.result = Inspect(); },
                 [&](RulesInput& rules) { OnRules(rules, now, &out); },
                 [&](SignalInput& signal) { OnSignal(signal, now, &out); },
                 [&](OfferInput& offer) { OnOffer(offer, now, &out); },
                 [&](ClockInput& clock) { utc_offset_minutes_ = clock.utc_offset_minutes; },
                 [&](StoredInput& stored) { OnStored(stored, &out); },
                 [&](CallsInput& calls) { Calls(calls, &out); },
                 [&](ScannedTrackInput& lone) {
                   lone.track.flat.Bind(lone.members);
                   TrackScanned(lone.track, now, &out);
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
  auto consent = ConsentPolicy::FromConfig(Find(input.options, "consent"));
  if (!consent.ok()) {
    out->error = consent.error();
    return;
  }
  config_ = std::move(config.value());
  consent_ = std::move(consent.value());
  outbox_ = std::make_unique<Outbox>(config_);
  outbox_->SetConsented(CanStore());
  random_ = Random(input.seed);
  SetContext(input.context);
  if (!input.state.empty()) {
    auto state = DecodeState(input.state);
    if (state.ok()) {
      identity_ = state.value().identity;
      outbox_->RestoreStats(state.value().stats);
    } else {
      AddLog(out, "warn", state.error().message + "; starting with a new identity and counters");
      state_dirty_ = true;
    }
  }
  RestoreVisit(input, out);
  outbox_->SetDelivering(input.leader);
  AdoptStored(input.queue, out);
  if (identity_.anonymous_id.empty()) {
    identity_.anonymous_id = random_.UuidV4();
    state_dirty_ = true;
  }
  RestoreDecisions(input, now, out);
  Json result = {{"anonymousId", identity_.anonymous_id}, {"consent", consent_.ToJson()}};
  if (decisions_.loaded()) result["rules"] = out->result;
  out->result = std::move(result);
}

void Core::OnDelivered(const DeliveryResult& result, Millis now, Output* out) {
  auto report = outbox_->OnResult(result, now, &random_);
  if (!report.ok()) {
    out->error = report.error();
    return;
  }
  const DeliveryReport& r = report.value();
  for (const QueuedEvent& event : r.removed) MarkDirty(event);
  // Retried events carry their attempt count across reloads, so a poison batch cannot
  // retry forever by way of page loads.
  for (const QueuedEvent* event : outbox_->PendingFront(r.requeued)) MarkDirty(*event);
  state_dirty_ = true;
  const std::string detail = result.error.empty() ? "" : ": " + result.error;
  if (r.outcome == DeliveryOutcome::kDropped) {
    AddLog(out, "error", "collector refused a batch with HTTP " + std::to_string(result.status) + detail + "; dropped " +
                          std::to_string(r.dropped) + " events");
  } else if (r.outcome == DeliveryOutcome::kRetrying) {
    AddLog(out, "warn", "delivery failed (" + (result.status == 0 ? std::string("network error") :
                                                                  "HTTP " + std::to_string(result.status)) +
                         detail + "); retrying in " + std::to_string(r.retry_at - now) + " ms");
    if (r.dropped > 0) {
      AddLog(out, "error", std::to_string(r.dropped) + " events dropped after " + std::to_string(config_.max_attempts) +
                            " attempts");
    }
  }
}

void Core::Unload(Millis now, Output* out) {
  profile_stored_at_ = -1;  // Settle stores pending counters now: there is no later.
  for (Batch& batch : outbox_->TakeAllPending(now, kKeepaliveMaxBytes)) {
    out->effects.emplace_back(SendEffect{batch.id, config_.BatchUrl(), std::move(batch.body), batch.event_count, true});
  }
}

Json Core::Stats() const {
  const DeliveryStats& s = outbox_->stats();
  return {{"delivered", s.delivered},
          {"retries", s.retries},
          {"dropped",
           {{"rejected", s.dropped_rejected},
            {"maxAttempts", s.dropped_max_attempts},
            {"queueFull", s.dropped_queue_full},
            {"expired", s.dropped_expired},
            {"consent", s.dropped_consent}}}};
}

void Core::Settle(Millis now, Output* out) {
  const std::vector<QueuedEvent> expired = outbox_->DropExpired(now);
  if (!expired.empty()) {
    AddLog(out, "warn", std::to_string(expired.size()) + " events older than maxEventAgeMs (" +
                         std::to_string(config_.max_event_age_ms) + " ms) were dropped undelivered");
    for (const QueuedEvent& event : expired) MarkDirty(event);
    state_dirty_ = true;
  }
  // Before a batch is cut: what is sent must already be stored.
  StoreQueue(out);
  if (auto batch = outbox_->TakeDueBatch(now)) {
    out->effects.emplace_back(SendEffect{batch->id, config_.BatchUrl(), std::move(batch->body), batch->event_count});
  }
  if (state_dirty_) {
    Store(out, kStateKey, EncodeState(identity_, outbox_->stats()));
    state_dirty_ = false;
  }
  if (cart_dirty_) {
    Store(out, kCartKey, cart_.Encode());
    cart_dirty_ = false;
  }
  Millis wake_at = outbox_->NextWakeAt();
  if (const Millis decisions_at = SettleDecisions(now, out); decisions_at >= 0) {
    wake_at = wake_at < 0 ? decisions_at : std::min(wake_at, decisions_at);
  }
  if (wake_at != scheduled_at_) {
    out->effects.emplace_back(ScheduleEffect{wake_at});
    scheduled_at_ = wake_at;
  }
  out->queue = QueueState{outbox_->pending_count(), outbox_->in_flight_count(), outbox_->waiting_to_retry(now),
                          outbox_->paused()};
}

}  // namespace parcours
