// Decoding of input JSON into typed inputs and encoding of outputs; see docs/ARCHITECTURE.md
// for the message shapes.
#include "parcours/json_protocol.h"

#include <cstdint>
#include <utility>

#include "parcours/calls_decoder.h"

namespace parcours {
namespace {

Json TakeMember(Json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? Json() : std::move(*it);
}

Error Invalid(const std::string& what, const char* path) {
  return MakeError(ErrorCode::kInvalidInput, what, path);
}

// {"q:<id>": "<stored entry>", ...}; a non-string value is kept as "" so it is reported
// corrupt and removed from storage.
std::map<std::string, std::string> DecodeStoredQueue(const Json& root) {
  std::map<std::string, std::string> queue;
  if (const Json* stored = Find(root, "queue"); stored && stored->is_object()) {
    for (const auto& [key, value] : stored->items()) queue[key] = value.is_string() ? value.get<std::string>() : "";
  }
  return queue;
}

Result<InitInput> DecodeInit(Json& root) {
  InitInput init;
  init.options = TakeMember(root, "config");
  const Json* seed = Find(root, "seed");
  if (!seed || !seed->is_array() || seed->size() != 4) return Invalid("seed must be an array of 4 uint32", "seed");
  for (size_t i = 0; i < 4; ++i) {
    const Json& word = (*seed)[i];
    if (!word.is_number_unsigned() || word.get<uint64_t>() > 0xFFFFFFFFu) {
      return Invalid("seed must be an array of 4 uint32", "seed");
    }
    init.seed[i] = static_cast<uint32_t>(word.get<uint64_t>());
  }
  if (Json context = TakeMember(root, "context"); context.is_object()) init.context = std::move(context);
  if (const std::string* state = FindString(root, "state")) init.state = *state;
  if (const std::string* session = FindString(root, "session")) init.session = *session;
  if (const std::string* cart = FindString(root, "cart")) init.cart = *cart;
  if (const std::string* rules = FindString(root, "rules")) init.rules = *rules;
  if (const std::string* checked = FindString(root, "rulesChecked")) init.rules_checked = *checked;
  if (const std::string* caps = FindString(root, "caps")) init.caps = *caps;
  if (const std::string* profile = FindString(root, "profile")) init.profile = *profile;
  init.queue = DecodeStoredQueue(root);
  if (const Json* leader = Find(root, "leader"); leader && leader->is_boolean()) init.leader = leader->get<bool>();
  return init;
}

Result<DeliveredInput> DecodeDelivered(const Json& root) {
  DeliveredInput delivered;
  const std::string* batch_id = FindString(root, "batchId");
  int64_t status = 0;
  if (!batch_id) return Invalid("batchId must be a string", "batchId");
  if (!FindInteger(root, "status", 0, 999, &status)) return Invalid("status must be an HTTP status or 0", "status");
  delivered.result.batch_id = *batch_id;
  delivered.result.status = static_cast<int>(status);
  int64_t retry_after = -1;
  if (Find(root, "retryAfterMs") && !Find(root, "retryAfterMs")->is_null() &&
      !FindInteger(root, "retryAfterMs", 0, INT64_C(1) << 40, &retry_after)) {
    return Invalid("retryAfterMs must be a non-negative integer", "retryAfterMs");
  }
  delivered.result.retry_after_ms = retry_after;
  if (const std::string* error = FindString(root, "error")) delivered.result.error = *error;
  return delivered;
}

Result<RulesInput> DecodeRules(Json& root) {
  RulesInput rules;
  int64_t status = 200;
  if (Find(root, "status") && !FindInteger(root, "status", 0, 999, &status)) {
    return Invalid("status must be an HTTP status, or 0 for a network error", "status");
  }
  rules.status = static_cast<int>(status);
  rules.fetched = Find(root, "status") != nullptr;
  if (const std::string* etag = FindString(root, "etag")) rules.etag = *etag;
  if (const std::string* error = FindString(root, "error")) rules.error = *error;
  if (const std::string* body = FindString(root, "body")) {
    rules.body = *body;
  } else if (Find(root, "ruleset")) {
    rules.ruleset = TakeMember(root, "ruleset");
  } else if (!rules.fetched) {
    return Invalid("a rules input needs a status (a fetch's answer) or a ruleset (a parsed document)", "ruleset");
  }
  return rules;
}

Result<SignalInput> DecodeSignal(const Json& root) {
  SignalInput signal;
  const std::string* name = FindString(root, "name");
  if (!name) return Invalid("signal needs a string name", "name");
  signal.name = *name;
  if (Find(root, "value") && !FindNumber(root, "value", &signal.value)) return Invalid("value must be a number", "value");
  return signal;
}

Result<OfferInput> DecodeOffer(const Json& root) {
  const std::string* decision_id = FindString(root, "decisionId");
  const std::string* action = FindString(root, "action");
  if (!decision_id) return Invalid("decisionId must be a string", "decisionId");
  if (!action) return Invalid("action must be a string", "action");
  return OfferInput{*decision_id, *action};
}

template <typename T>
Result<Input> Wrap(Millis now, Result<T> command) {
  if (!command.ok()) return command.error();
  return Input{now, std::move(command.value())};
}

// Effects are written by hand rather than built as nlohmann values and dumped: a send or
// persist carries a whole event batch, which would otherwise be copied twice more.
void AppendMember(std::string* out, const char* key, std::string_view value) {
  *out += ",\"";
  *out += key;
  *out += "\":";
  AppendQuoted(out, value);
}

// "error":{"code","message","path"?}
void AppendError(std::string* out, const Error& error) {
  *out += "\"error\":{\"code\":";
  AppendQuoted(out, ErrorId(error.code));
  AppendMember(out, "message", error.message);
  if (!error.path.empty()) AppendMember(out, "path", error.path);
  *out += '}';
}

// The large strings of an output (batch bodies, stored chunks): a JSON string, or in place,
// "<key>At":[address, length] of their bytes (see EncodeOutputInPlace).
void AppendLarge(std::string* out, const char* key, std::string_view value, bool in_place) {
  if (!in_place) return AppendMember(out, key, value);
  *out += ",\"";
  *out += key;
  *out += "At\":[";
  *out += std::to_string(reinterpret_cast<uintptr_t>(value.data()));
  *out += ',';
  *out += std::to_string(value.size());
  *out += ']';
}

void WriteEffect(const Effect& effect, std::string* out, bool in_place) {
  if (const auto* send = std::get_if<SendEffect>(&effect)) {
    *out += "{\"type\":\"send\"";
    AppendMember(out, "batchId", send->batch_id);
    AppendMember(out, "url", send->url);
    AppendLarge(out, "body", send->body, in_place);
    *out += ",\"events\":" + std::to_string(send->event_count);
    *out += send->unload ? ",\"unload\":true}" : ",\"unload\":false}";
  } else if (const auto* persist = std::get_if<PersistEffect>(&effect)) {
    *out += "{\"type\":\"persist\"";
    AppendMember(out, "key", persist->key);
    AppendLarge(out, "value", persist->value, in_place);
    *out += '}';
  } else if (const auto* remove = std::get_if<RemoveEffect>(&effect)) {
    *out += "{\"type\":\"remove\"";
    AppendMember(out, "key", remove->key);
    *out += '}';
  } else if (const auto* schedule = std::get_if<ScheduleEffect>(&effect)) {
    *out += "{\"type\":\"schedule\",\"at\":";
    *out += schedule->at < 0 ? "null" : std::to_string(schedule->at);
    *out += '}';
  } else if (const auto* show = std::get_if<ShowEffect>(&effect)) {
    *out += "{\"type\":\"show\",\"decision\":";
    *out += show->decision;
    *out += '}';
  } else if (const auto* fetch = std::get_if<FetchRulesEffect>(&effect)) {
    *out += "{\"type\":\"fetchRules\"";
    AppendMember(out, "url", fetch->url);
    if (!fetch->etag.empty()) AppendMember(out, "etag", fetch->etag);
    *out += '}';
  } else if (const auto* log = std::get_if<LogEffect>(&effect)) {
    *out += "{\"type\":\"log\"";
    AppendMember(out, "level", log->level);
    AppendMember(out, "message", log->message);
    *out += '}';
  }
}

}  // namespace

Result<Input> DecodeInput(std::string_view json) {
  if (LooksLikeCalls(json)) return DecodeCalls(json, DecodeParsed);
  // A lone track (one event per input: replay tools, the raw protocol) takes the batched
  // calls' scanned path; what the scan cannot read as the parse would is parsed below.
  if (MayBeTrack(json)) {
    if (std::optional<Input> track = DecodeTrack(json)) return std::move(*track);
  }
  Json root = Json::parse(json.begin(), json.end(), nullptr, false);
  if (const std::string* type = FindString(root, "type"); type && *type == "calls") {
    return DecodeCalls(json, DecodeParsed);
  }
  return DecodeParsed(root);
}

Result<Input> DecodeParsed(Json& root) {
  if (root.is_discarded()) return MakeError(ErrorCode::kInvalidJson, "input is not valid JSON");
  if (!root.is_object()) return Invalid("input must be a JSON object", "");
  const std::string* type = FindString(root, "type");
  if (!type) return Invalid("input needs a string type", "type");
  int64_t now = 0;
  // Up to 2^53: the largest integer a JavaScript number carries exactly.
  if (!FindInteger(root, "now", 0, INT64_C(1) << 53, &now)) {
    return Invalid("now must be milliseconds since the epoch (a non-negative integer)", "now");
  }
  if (*type == "init") return Wrap(now, DecodeInit(root));
  if (*type == "track") {
    return Input{now, TrackInput{TakeMember(root, "event"), TakeMember(root, "properties")}};
  }
  if (*type == "page") return Input{now, PageInput{TakeMember(root, "name"), TakeMember(root, "properties")}};
  if (*type == "context") return Input{now, ContextInput{TakeMember(root, "context")}};
  if (*type == "identify") return Input{now, IdentifyInput{TakeMember(root, "userId"), TakeMember(root, "traits")}};
  if (*type == "group") return Input{now, GroupInput{TakeMember(root, "groupId"), TakeMember(root, "traits")}};
  if (*type == "alias") return Input{now, AliasInput{TakeMember(root, "userId"), TakeMember(root, "previousId")}};
  if (*type == "reset") return Input{now, ResetInput{}};
  if (*type == "identity") {
    return Input{now, IdentityInput{TakeMember(root, "userId"), TakeMember(root, "anonymousId"), TakeMember(root, "traits")}};
  }
  if (*type == "consent") return Input{now, ConsentInput{TakeMember(root, "categories")}};
  if (*type == "flush") return Input{now, FlushInput{}};
  if (*type == "unload") return Input{now, UnloadInput{}};
  if (*type == "tick") return Input{now, TickInput{}};
  if (*type == "stats") return Input{now, StatsInput{}};
  if (*type == "inspect") return Input{now, InspectInput{}};
  if (*type == "delivered") return Wrap(now, DecodeDelivered(root));
  if (*type == "lead") {
    const Json* leader = Find(root, "leader");
    if (!leader || !leader->is_boolean()) return Invalid("leader must be true or false", "leader");
    return Input{now, LeadInput{leader->get<bool>(), DecodeStoredQueue(root)}};
  }
  if (*type == "adopt") return Input{now, AdoptInput{DecodeStoredQueue(root)}};
  if (*type == "network") {
    const Json* online = Find(root, "online");
    if (!online || !online->is_boolean()) return Invalid("online must be true or false", "online");
    return Input{now, NetworkInput{online->get<bool>()}};
  }
  if (*type == "rules") return Wrap(now, DecodeRules(root));
  if (*type == "signal") return Wrap(now, DecodeSignal(root));
  if (*type == "offer") return Wrap(now, DecodeOffer(root));
  if (*type == "clock") {
    int64_t offset = 0;
    if (!FindInteger(root, "utcOffsetMinutes", -18 * 60, 18 * 60, &offset)) {
      return Invalid("utcOffsetMinutes must be an integer from -1080 to 1080", "utcOffsetMinutes");
    }
    return Input{now, ClockInput{static_cast<int>(offset)}};
  }
  if (*type == "stored") {
    const std::string* key = FindString(root, "key");
    const std::string* value = FindString(root, "value");
    if (!key || !value) return Invalid("stored needs a string key and value", "key");
    return Input{now, StoredInput{*key, *value}};
  }
  if (*type == "forget") {
    ForgetInput forget;
    const Json* keys = Find(root, "keys");
    if (!keys || !keys->is_array()) return Invalid("keys must be an array of strings", "keys");
    for (const Json& key : *keys) {
      if (!key.is_string()) return Invalid("keys must be an array of strings", "keys");
      forget.keys.push_back(key.get<std::string>());
    }
    return Input{now, std::move(forget)};
  }
  return MakeError(ErrorCode::kUnknownInputType, "unknown input type '" + *type + "'", "type");
}

namespace {

void Encode(const Output& output, bool in_place, std::string* target) {
  std::string& out = *target;
  out += "{\"ok\":";
  out += output.error ? "false" : "true";
  if (output.error) {
    out += ',';
    AppendError(&out, *output.error);
  }
  if (!output.message_id.empty()) {
    out += ",\"result\":{\"messageId\":";
    AppendQuoted(&out, output.message_id);
    out += '}';
  } else if (!output.result.is_null()) {
    out += ",\"result\":" + DumpJson(output.result);
  }
  if (output.results) {
    out += ",\"results\":[";
    for (size_t i = 0; i < output.results->size(); ++i) {
      const CallOutcome& call = (*output.results)[i];
      if (i > 0) out += ',';
      if (call.error) {
        out += "{\"ok\":false,";
        AppendError(&out, *call.error);
        out += '}';
      } else {
        out += "{\"ok\":true,\"messageId\":";
        AppendQuoted(&out, call.message_id);
        out += '}';
      }
    }
    out += ']';
  }
  out += ",\"effects\":[";
  for (size_t i = 0; i < output.effects.size(); ++i) {
    if (i > 0) out += ',';
    WriteEffect(output.effects[i], &out, in_place);
  }
  out += ']';
  if (output.queue) {
    out += ",\"queue\":{\"pending\":" + std::to_string(output.queue->pending) +
           ",\"inFlight\":" + std::to_string(output.queue->in_flight) +
           ",\"retrying\":" + (output.queue->retrying ? "true" : "false") +
           ",\"paused\":" + (output.queue->paused ? "true" : "false") + '}';
  }
  out += '}';
}

}  // namespace

std::string EncodeOutput(const Output& output) {
  std::string out;
  Encode(output, false, &out);
  return out;
}

void AppendOutputInPlace(const Output& output, std::string* out) { Encode(output, true, out); }

Output HandleInput(Core& core, std::string_view input_json) {
  Result<Input> input = DecodeInput(input_json);
  if (!input.ok()) {
    Output refused;
    refused.error = input.error();
    return refused;
  }
  return core.Handle(std::move(input.value()));
}

std::string HandleJson(Core& core, std::string_view input_json) { return EncodeOutput(HandleInput(core, input_json)); }

}  // namespace parcours
