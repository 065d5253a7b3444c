// The queue in storage: each input's new events go into one chunk, chunks that lost or
// changed events are rewritten (or removed) once at the input's end, and stored chunks
// from a reload or another tab are taken in. See queue_store.h for the format.
#include <map>
#include <unordered_set>
#include <utility>

#include "parcours/core.h"
#include "parcours/snapshot.h"

namespace parcours {

void Core::MarkDirty(const QueuedEvent& event) {
  if (event.chunk) dirty_chunks_.insert(*event.chunk);
}

void Core::StoreQueue(Output* out) {
  if (CanStore()) {
    std::vector<QueuedEvent*> fresh = outbox_->UnstoredTail();
    if (!fresh.empty()) {
      auto key = std::make_shared<const std::string>(ChunkKey(fresh.front()->message_id()));
      for (QueuedEvent* event : fresh) event->chunk = key;
      Store(out, *key, EncodeChunk(std::vector<const QueuedEvent*>(fresh.begin(), fresh.end())));
    }
  }
  if (dirty_chunks_.empty()) return;
  std::map<std::string, std::vector<const QueuedEvent*>> live;
  for (const std::string& key : dirty_chunks_) live[key];
  outbox_->ForEachHeld([&](const QueuedEvent& event) {
    if (!event.chunk) return;
    auto found = live.find(*event.chunk);
    if (found != live.end()) found->second.push_back(&event);
  });
  dirty_chunks_.clear();
  for (auto& [key, events] : live) {
    if (events.empty()) {
      out->effects.emplace_back(RemoveEffect{key});
    } else {
      Store(out, key, EncodeChunk(events));
    }
  }
}

void Core::AdoptStored(const std::map<std::string, std::string>& stored, Output* out) {
  RestoredQueue restored = RestoreQueue(stored);
  if (!restored.corrupt_keys.empty()) {
    out->effects.emplace_back(LogEffect{
        "warn", "[parcours." + std::string(ErrorId(ErrorCode::kCorruptSnapshot)) + "] " +
                    std::to_string(restored.corrupt_keys.size()) + " unreadable stored queue entries were discarded"});
    for (std::string& key : restored.corrupt_keys) out->effects.emplace_back(RemoveEffect{std::move(key)});
  }
  // A chunk rewritten elsewhere without some events: they were confirmed (or dropped) there.
  std::unordered_set<std::string_view> listed;
  for (const QueuedEvent& event : restored.events) listed.insert(event.message_id());
  outbox_->Forget([&](const QueuedEvent& event) {
    return event.chunk && stored.count(*event.chunk) > 0 && listed.count(event.message_id()) == 0;
  });
  // A follower leaves the stored queue to the leader: holding it too would send it twice
  // when the follower unloads.
  if (!outbox_->delivering()) return;
  // Events stored by an earlier page or another tab were due there: send them now rather
  // than after a full interval.
  if (outbox_->Adopt(std::move(restored.events)) > 0) outbox_->RequestFlush();
}

void Core::ForgetChunks(const std::vector<std::string>& keys) {
  const std::set<std::string> gone(keys.begin(), keys.end());
  outbox_->Forget([&](const QueuedEvent& event) { return event.chunk && gone.count(*event.chunk) > 0; });
}

}  // namespace parcours
