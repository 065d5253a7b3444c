// The parcours core: a deterministic state machine. Inputs (calls, timer ticks, delivery
// results, each with the current time) go in; effects (send, persist, schedule, log) come
// out. No clock, randomness, storage or network is touched here.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "parcours/config.h"
#include "parcours/effect.h"
#include "parcours/event_builder.h"
#include "parcours/input.h"
#include "parcours/outbox.h"
#include "parcours/random.h"

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
  void Init(InitInput& input, Millis now, Output* out);
  void Enqueue(const CallFields& call, Millis now, Output* out);
  // Takes stored queue entries (from an earlier page or another tab) into the outbox.
  void AdoptStored(const std::map<std::string, std::string>& stored, Output* out);
  void OnDelivered(const DeliveryResult& result, Millis now, Output* out);
  // Common tail of every input: send what is due, persist if changed, re-arm the timer.
  void Settle(Millis now, Output* out);

  std::string library_version_;
  Config config_;
  std::unique_ptr<Outbox> outbox_;  // Null until init.
  EventBuilder builder_;
  Random random_;
  Identity identity_;
  bool state_dirty_ = false;  // Identity or counters changed: rewrite the "state" entry.
  uint64_t next_sequence_ = 0;
  Millis scheduled_at_ = -1;
};

}  // namespace parcours
