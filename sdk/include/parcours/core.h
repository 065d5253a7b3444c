// The parcours core: a deterministic state machine. Inputs (calls, timer ticks, delivery
// results, each with the current time) go in; effects (send, persist, schedule, log) come
// out. No clock, randomness, storage or network is touched here.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "parcours/cart.h"
#include "parcours/config.h"
#include "parcours/consent.h"
#include "parcours/effect.h"
#include "parcours/event_builder.h"
#include "parcours/input.h"
#include "parcours/outbox.h"
#include "parcours/random.h"
#include "parcours/session.h"

namespace parcours {

inline constexpr size_t kMaxPropertiesDepth = 32;

class Core {
 public:
  explicit Core(std::string library_version);
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  Output Handle(Input input);

  bool initialized() const { return outbox_ != nullptr; }
  const Identity& identity() const { return identity_; }

 private:
  // core.cpp: lifecycle, delivery, and the tail every input shares.
  void Init(InitInput& input, Millis now, Output* out);
  void OnDelivered(const DeliveryResult& result, Millis now, Output* out);
  void Unload(Millis now, Output* out);
  Json Stats() const;
  // Common tail of every input: send what is due, persist if changed, re-arm the timer.
  void Settle(Millis now, Output* out);

  // core_calls.cpp: the Segment calls.
  void Track(TrackInput& input, Millis now, Output* out);
  void Page(PageInput& input, Millis now, Output* out);
  void Identify(IdentifyInput& input, Millis now, Output* out);
  void Group(GroupInput& input, Millis now, Output* out);
  void Alias(AliasInput& input, Millis now, Output* out);
  void Reset(Output* out);
  void SetIdentity(IdentityInput& input, Output* out);
  // Validates, builds and queues one event; the result carries its messageId.
  void Enqueue(const CallFields& call, Millis now, Output* out);
  // Queues an event from its own members (see QueuedEvent); `call_type` names it in errors.
  void Accept(std::string members, const std::string& call_type, Millis now, Output* out);
  // The envelope for an event at `now`: the cached one while identity, page, consent and
  // session are unchanged. Touches the session.
  std::shared_ptr<const std::string> CurrentEnvelope(Millis now, Output* out);

  // core_batch.cpp: a batch of calls in one crossing, and the scanned track path.
  void Calls(CallsInput& input, Output* out);
  void TrackScanned(ScannedTrack& track, Millis now, Output* out);

  // core_queue.cpp: the queue in storage, in chunks (queue_store.h).
  // Takes in stored chunks (load, lead, another tab's write): storage is the truth for each
  // chunk named, so pending events of a chunk that no longer lists them are forgotten.
  void AdoptStored(const std::map<std::string, std::string>& stored, Output* out);
  void ForgetChunks(const std::vector<std::string>& keys);
  // The chunk holding `event` must be rewritten (or removed) when this input ends.
  void MarkDirty(const QueuedEvent& event);
  // Stores this input's new events as one chunk, rewrites the chunks marked dirty.
  void StoreQueue(Output* out);

  // core_visit.cpp: the visit around events — session and cart.
  void RestoreVisit(const InitInput& input, Output* out);
  // Touches the session for an event at `now`; returns the per-event context members.
  std::string VisitContext(Millis now, Output* out);
  void UpdateCart(const std::string& event, const Json& properties, Millis now, Output* out);
  void ForgetVisit(Output* out);
  void SetContext(const Json& context);
  Json Inspect() const;

  // core_consent.cpp: what consent allows, and what withdrawing it erases.
  void OnConsent(ConsentInput& input, Output* out);
  void ApplyAnalyticsConsent(ConsentState after, Output* out);
  bool CanStore() const { return consent_.Granted("analytics"); }
  void Store(Output* out, std::string key, std::string value);
  void PurgeAnalytics(Output* out);

  std::string library_version_;
  Config config_;
  std::unique_ptr<Outbox> outbox_;  // Null until init.
  EventBuilder builder_;
  Random random_;
  Identity identity_;
  ConsentPolicy consent_;
  SessionTracker session_;
  // The campaign of the page context, serialized once per context: it is the session key.
  std::string context_campaign_;
  // The campaign that started this session (landing page) as JSON, "" when none.
  std::string session_campaign_;
  Millis session_stored_at_ = -1;
  Cart cart_;
  bool state_dirty_ = false;  // Identity or counters changed: rewrite the "state" entry.
  bool cart_dirty_ = false;   // Written once per input, however many calls changed it.
  std::set<std::string> dirty_chunks_;
  // The last envelope built, and what it was built from.
  std::shared_ptr<const std::string> envelope_;
  std::string envelope_extra_;
  std::string envelope_anonymous_id_;
  std::string envelope_user_id_;
  uint64_t envelope_generation_ = 0;
  uint64_t next_sequence_ = 0;
  Millis scheduled_at_ = -1;
};

}  // namespace parcours
