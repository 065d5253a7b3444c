// Parsing and range-checking of the core's options.
#include "parcours/config.h"

#include <cstdint>

namespace parcours {
namespace {

// Reads an optional integer option into *field; false (with *error set) when it is invalid.
template <typename T>
bool ReadOption(const Json& options, const char* key, int64_t min, int64_t max, T* field, Error* error) {
  if (!Find(options, key)) return true;
  int64_t value;
  if (!FindInteger(options, key, min, max, &value)) {
    *error = MakeError(ErrorCode::kInvalidConfig,
                       std::string(key) + " must be an integer from " + std::to_string(min) + " to " +
                           std::to_string(max),
                       key);
    return false;
  }
  *field = static_cast<T>(value);
  return true;
}

}  // namespace

Result<Config> ParseConfig(const Json& options) {
  if (!options.is_object()) return MakeError(ErrorCode::kInvalidConfig, "options must be an object", "config");
  Config config;
  const std::string* write_key = FindString(options, "writeKey");
  if (!write_key || write_key->empty() || write_key->size() > kMaxWriteKeyBytes) {
    return MakeError(ErrorCode::kInvalidConfig, "writeKey must be a non-empty string of at most 200 bytes", "writeKey");
  }
  config.write_key = *write_key;
  if (Find(options, "host")) {
    const std::string* host = FindString(options, "host");
    if (!host) return MakeError(ErrorCode::kInvalidConfig, "host must be a string such as https://c.example.com", "host");
    config.host = *host;
    while (!config.host.empty() && config.host.back() == '/') config.host.pop_back();
  }
  Error error{};
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  if (!ReadOption(options, "maxBatchEvents", 1, 1000, &config.max_batch_events, &error) ||
      !ReadOption(options, "maxBatchBytes", 4096, kCollectorMaxBodyBytes, &config.max_batch_bytes, &error) ||
      !ReadOption(options, "maxEventBytes", 256, kCollectorMaxBodyBytes, &config.max_event_bytes, &error) ||
      !ReadOption(options, "maxQueueEvents", 1, 100000, &config.max_queue_events, &error) ||
      !ReadOption(options, "flushIntervalMs", 0, kDay, &config.flush_interval_ms, &error) ||
      !ReadOption(options, "retryBaseMs", 1, kDay, &config.retry_base_ms, &error) ||
      !ReadOption(options, "retryMaxMs", 1, kDay, &config.retry_max_ms, &error) ||
      !ReadOption(options, "maxAttempts", 1, 1000, &config.max_attempts, &error) ||
      !ReadOption(options, "maxEventAgeMs", 1000, 30 * kDay, &config.max_event_age_ms, &error) ||
      !ReadOption(options, "sessionTimeoutMs", 1000, kDay, &config.session_timeout_ms, &error) ||
      !ReadOption(options, "rulesRefreshMs", 10000, 7 * kDay, &config.rules_refresh_ms, &error)) {
    return error;
  }
  config.rules_url = config.host + "/v1/decisions";
  if (const Json* url = Find(options, "rulesUrl")) {
    if (url->is_boolean() && !url->get<bool>()) {
      config.rules_url.clear();
    } else if (const std::string* text = FindString(options, "rulesUrl"); text && !text->empty()) {
      config.rules_url = *text;
    } else {
      return MakeError(ErrorCode::kInvalidConfig, "rulesUrl must be a URL, or false to never fetch rules", "rulesUrl");
    }
  }
  if (const Json* debug = Find(options, "debug")) {
    if (!debug->is_boolean()) return MakeError(ErrorCode::kInvalidConfig, "debug must be true or false", "debug");
    config.debug = debug->get<bool>();
  }
  // A batch holds at least one event, so one event plus the body's envelope must fit a batch.
  if (config.max_event_bytes > config.max_batch_bytes - kBatchEnvelopeBytes) {
    config.max_event_bytes = config.max_batch_bytes - kBatchEnvelopeBytes;
  }
  return config;
}

}  // namespace parcours
