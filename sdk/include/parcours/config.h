// Options the site passes to createParcours that the core acts on, with their defaults and limits.
#pragma once

#include <cstddef>
#include <string>

#include "parcours/error.h"
#include "parcours/iso_time.h"
#include "parcours/json_access.h"

namespace parcours {

// The demo collector, like Segment's API, refuses bodies over 500 KB.
constexpr size_t kCollectorMaxBodyBytes = 500 * 1024;
constexpr size_t kMaxWriteKeyBytes = 200;
// Browsers refuse keepalive requests (and beacons) past 64 KB in flight per page.
constexpr size_t kKeepaliveMaxBytes = 64 * 1024;
// Upper bound of a batch body's bytes besides its events: {"batch":[],"sentAt":"...","writeKey":"..."}
// with a write key of at most kMaxWriteKeyBytes (escaping may at most sextuple a byte).
constexpr size_t kBatchEnvelopeBytes = 64 + 6 * kMaxWriteKeyBytes;

struct Config {
  std::string write_key;
  std::string host;  // Collector origin, no trailing slash; "" means the page's own origin.
  // 100 events make ≤ 10 requests per 1,000 events at 100 events/s (docs/BENCHMARKS.md).
  size_t max_batch_events = 100;
  // Browsers cap keepalive fetch and sendBeacon bodies at 64 KB, shared across requests.
  size_t max_batch_bytes = 64 * 1024;
  // Segment's limit for one event; a larger one is refused at the call, not retried.
  size_t max_event_bytes = 32 * 1024;
  size_t max_queue_events = 1000;
  Millis flush_interval_ms = 5000;
  Millis retry_base_ms = 1000;
  Millis retry_max_ms = 5 * 60 * 1000;
  int max_attempts = 10;
  // An event that could not be delivered for this long is dropped (and counted): its
  // session, campaign and cart are long gone, and collectors discard very late events.
  Millis max_event_age_ms = 7LL * 24 * 3600 * 1000;
  // A new session after this much inactivity (Segment, GA and Amplitude all use 30 min).
  Millis session_timeout_ms = 30LL * 60 * 1000;

  // Decisions: where the ruleset comes from, how often it is revalidated, and whether
  // decisions explain every campaign they considered (debug mode).
  std::string rules_url;  // host + "/v1/decisions" by default; "" never fetches
  Millis rules_refresh_ms = 5 * 60 * 1000;
  bool debug = false;

  std::string BatchUrl() const { return host + "/v1/batch"; }
};

// Reads the camelCase JSON options ({"writeKey": ..., "maxBatchEvents": ...}); an option
// that is present with a wrong type or out of range is an error naming it.
Result<Config> ParseConfig(const Json& options);

}  // namespace parcours
