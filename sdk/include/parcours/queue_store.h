// How the queue is stored: in chunks, one storage entry per input that accepted events
// (a burst of calls is one write, not one per event), each holding its events compactly
// with the context they share written once. A chunk is rewritten without its delivered
// events, and removed with its last one. localStorage writes cost per character on the burst
// path, so what the events of a burst imply (one time, consecutive sequence numbers, no
// failed attempt, one envelope) is not written per event. Entries of the v1 format (one event
// per "q:<messageId>" entry, full context each) and v2 chunks (every time and counter per
// event) are still read, so an upgrade loses nothing.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/error.h"
#include "parcours/outbox.h"

namespace parcours {

inline constexpr char kQueueKeyPrefix[] = "q:";
inline constexpr int kChunkVersion = 3;

// "q:<messageId of the chunk's first event>": unique across tabs, as message ids are.
std::string ChunkKey(std::string_view first_message_id);

// {"v":3,"at":ms,"seq":n,"events":[entry,...],"envelopes":[{...}]} where "at" and "seq" are
// the first event's, and an entry is the event's own members as an object, {...}, when it
// has the previous entry's time, attempts and envelope (the first: "at", 0 and envelope 0)
// and the next sequence number; otherwise [{...},dt] or [{...},dt,{"seq","attempts","env"}]
// with dt in ms from the previous entry's time and only the counters that differ ("env":-1:
// none, for events restored from v1 entries).
std::string EncodeChunk(const std::vector<const QueuedEvent*>& events);
// Reads one stored entry (a chunk, or a v1 single event); its events get `chunk` = key.
Result<std::vector<QueuedEvent>> DecodeChunk(const std::string& key, const std::string& text);

struct RestoredQueue {
  std::vector<QueuedEvent> events;        // In send order: oldest first.
  std::vector<std::string> corrupt_keys;  // Unreadable entries, to be removed from storage.
};

// Reads every "q:" entry the shell found; one unreadable entry never costs the others.
RestoredQueue RestoreQueue(const std::map<std::string, std::string>& stored);

}  // namespace parcours
