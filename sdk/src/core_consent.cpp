// Consent: what the site's decision allows the core to store and send, and what withdrawing
// analytics consent erases (the unsent queue and the stored identity).
#include <set>
#include <utility>

#include "parcours/core.h"
#include "parcours/snapshot.h"

namespace parcours {

void Core::Store(Output* out, std::string key, std::string value) {
  // Until analytics consent, everything stays in memory: no storage, no cookies.
  if (CanStore()) out->effects.emplace_back(PersistEffect{std::move(key), std::move(value)});
}

void Core::OnConsent(ConsentInput& input, Output* out) {
  const ConsentState before = consent_.Get("analytics");
  auto updated = consent_.Update(input.categories);
  if (!updated.ok()) return void(out->error = updated.error());
  const ConsentState after = consent_.Get("analytics");
  if (after != before) ApplyAnalyticsConsent(after, out);
  // The anonymous id too: withdrawing consent replaces it.
  out->result = {{"categoryPreferences", consent_.ToJson()}, {"anonymousId", identity_.anonymous_id}};
}

void Core::ApplyAnalyticsConsent(ConsentState after, Output* out) {
  if (after == ConsentState::kDenied) {
    PurgeAnalytics(out);
  } else if (after == ConsentState::kGranted) {
    // What was held in memory while waiting may now be stored (StoreQueue, at the end of
    // this input: none of it is stored yet) and sent.
    state_dirty_ = true;
  }
  outbox_->SetConsented(after == ConsentState::kGranted);
}

void Core::PurgeAnalytics(Output* out) {
  const std::vector<QueuedEvent> purged = outbox_->PurgeAll();
  std::set<std::string> chunks;
  for (const QueuedEvent& event : purged) {
    if (event.chunk && chunks.insert(*event.chunk).second) out->effects.emplace_back(RemoveEffect{*event.chunk});
  }
  dirty_chunks_.clear();
  out->effects.emplace_back(RemoveEffect{kStateKey});
  ForgetVisit(out);
  // A fresh identity in memory: nothing ties later (consented) browsing to the withdrawn one.
  identity_ = Identity{random_.UuidV4(), "", Json::object()};
  state_dirty_ = false;
  out->effects.emplace_back(LogEffect{"info", "analytics consent withdrawn: " + std::to_string(purged.size()) +
                                                  " unsent events and the stored identity were erased"});
}

}  // namespace parcours
