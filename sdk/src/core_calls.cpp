// The Segment calls: track, page, identify, group, alias, reset, and ids handed over from
// outside. Each validates its input, updates identity, and queues one event through Enqueue.
#include <utility>

#include "parcours/core.h"
#include "parcours/ecommerce_spec.h"
#include "parcours/snapshot.h"

namespace parcours {
namespace {

const std::string* StringOrNull(const Json& value) {
  return value.is_string() ? value.get_ptr<const std::string*>() : nullptr;
}

}  // namespace

void Core::Track(TrackInput& input, Millis now, Output* out) {
  auto name = ValidateEventName(&input.event);
  if (!name.ok()) return void(out->error = name.error());
  CallFields call{"track", input.event.get<std::string>()};
  call.properties = &input.properties;
  if (input.properties.is_object()) {
    auto ecommerce = ValidateEcommerce(call.event, input.properties);
    if (!ecommerce.ok()) return void(out->error = ecommerce.error());
  }
  // An order carries the offers clicked before it (context.offers), which it converts.
  std::string offers;
  std::vector<rules::Converted> clicks;
  if (call.event == "Order Completed") clicks = OrderAttributions(now, &offers);
  Enqueue(call, now, out, clicks.empty() ? nullptr : &offers);
  if (out->error) return;
  if (offers.empty()) clicks.clear();
  if (input.properties.is_object()) UpdateCart(call.event, input.properties, now, out);
  AfterEvent(call.event, input.properties.is_object() ? &input.properties : nullptr, false, now, out, &clicks);
}

void Core::Page(PageInput& input, Millis now, Output* out) {
  if (!input.name.is_null() && !input.name.is_string()) {
    return void(out->error = MakeError(ErrorCode::kInvalidInput, "page name must be a string", "name"));
  }
  CallFields call{"page"};
  if (const std::string* name = StringOrNull(input.name)) call.name = *name;
  call.properties = &input.properties;
  Enqueue(call, now, out);
  if (!out->error) AfterEvent("Page Viewed", input.properties.is_object() ? &input.properties : nullptr, true, now, out);
}

void Core::Identify(IdentifyInput& input, Millis now, Output* out) {
  if (!input.user_id.is_null()) {
    auto id = ValidateId(&input.user_id, "userId");
    if (!id.ok()) return void(out->error = id.error());
  }
  auto traits = ValidateObject(&input.traits, kMaxPropertiesDepth, "traits");
  if (!traits.ok()) return void(out->error = traits.error());
  if (consent_.Get("analytics") == ConsentState::kDenied) {
    return void(out->error = MakeError(ErrorCode::kConsentDenied, "identify was not recorded: analytics consent is denied"));
  }
  Identity before = identity_;
  if (const std::string* user_id = StringOrNull(input.user_id)) {
    // Another person logging in on this device: their traits are not the previous user's.
    // The anonymous id stays, so the collector can stitch the anonymous journey to them.
    if (!identity_.user_id.empty() && identity_.user_id != *user_id) identity_.traits = Json::object();
    identity_.user_id = *user_id;
  }
  if (input.traits.is_object()) identity_.traits.update(input.traits);
  Enqueue(CallFields{"identify"}, now, out);
  // A refused identify (too large, say) must not leave the identity half changed.
  if (out->error) identity_ = std::move(before);
  else state_dirty_ = true;
}

void Core::Group(GroupInput& input, Millis now, Output* out) {
  auto id = ValidateId(&input.group_id, "groupId");
  if (!id.ok()) return void(out->error = id.error());
  auto traits = ValidateObject(&input.traits, kMaxPropertiesDepth, "traits");
  if (!traits.ok()) return void(out->error = traits.error());
  CallFields call{"group"};
  call.group_id = input.group_id.get<std::string>();
  call.traits = &input.traits;
  Enqueue(call, now, out);
}

void Core::Alias(AliasInput& input, Millis now, Output* out) {
  auto id = ValidateId(&input.user_id, "userId");
  if (!id.ok()) return void(out->error = id.error());
  if (!input.previous_id.is_null()) {
    auto previous = ValidateId(&input.previous_id, "previousId");
    if (!previous.ok()) return void(out->error = previous.error());
  }
  if (consent_.Get("analytics") == ConsentState::kDenied) {
    return void(out->error = MakeError(ErrorCode::kConsentDenied, "alias was not recorded: analytics consent is denied"));
  }
  CallFields call{"alias"};
  const std::string* previous = StringOrNull(input.previous_id);
  call.previous_id = previous ? *previous : (identity_.user_id.empty() ? identity_.anonymous_id : identity_.user_id);
  const std::string before = identity_.user_id;
  identity_.user_id = input.user_id.get<std::string>();
  Enqueue(call, now, out);
  if (out->error) identity_.user_id = before;
  else state_dirty_ = true;
}

void Core::Reset(Output* out) {
  // Logout: the next person on this device starts anonymous. Events already accepted keep
  // the ids they were recorded with.
  identity_ = Identity{random_.UuidV4(), "", Json::object()};
  state_dirty_ = true;
  ForgetVisit(out);
  out->result = {{"anonymousId", identity_.anonymous_id}};
}

void Core::SetIdentity(IdentityInput& input, Output* out) {
  if (input.user_id.is_null() && input.anonymous_id.is_null() && input.traits.is_null()) {
    return void(out->error = MakeError(ErrorCode::kInvalidId, "give a userId, an anonymousId, traits or some of them", "userId"));
  }
  auto traits = ValidateObject(&input.traits, kMaxPropertiesDepth, "traits");
  if (!traits.ok()) return void(out->error = traits.error());
  for (const auto& [value, path] : {std::pair<const Json*, const char*>{&input.user_id, "userId"},
                                    std::pair<const Json*, const char*>{&input.anonymous_id, "anonymousId"}}) {
    if (value->is_null()) continue;
    auto id = ValidateId(value, path);
    if (!id.ok()) return void(out->error = id.error());
  }
  if (const std::string* anonymous_id = StringOrNull(input.anonymous_id)) identity_.anonymous_id = *anonymous_id;
  if (const std::string* user_id = StringOrNull(input.user_id)) {
    if (!identity_.user_id.empty() && identity_.user_id != *user_id) identity_.traits = Json::object();
    identity_.user_id = *user_id;
  }
  if (input.traits.is_object()) identity_.traits.update(input.traits);
  state_dirty_ = true;
  out->result = {{"anonymousId", identity_.anonymous_id}, {"userId", identity_.user_id}};
}

void Core::Enqueue(const CallFields& call, Millis now, Output* out, std::string* context_members) {
  if (consent_.Get("analytics") == ConsentState::kDenied) {
    return void(out->error = MakeError(ErrorCode::kConsentDenied, call.type + " was not recorded: analytics consent is denied"));
  }
  auto properties = ValidateObject(call.properties, kMaxPropertiesDepth, "properties");
  if (!properties.ok()) return void(out->error = properties.error());
  Accept(builder_.Members(call, identity_), call.type, now, out, context_members);
}

void Core::Accept(std::string members, const std::string& call_type, Millis now, Output* out,
                  std::string* context_members) {
  QueuedEvent event;
  event.members = std::move(members);
  event.members += ",\"messageId\":\"";
  const size_t id_start = event.members.size();
  random_.AppendUuidV4(&event.members);
  event.id_length = static_cast<uint32_t>(event.members.size() - id_start);
  event.members += '"';
  event.envelope = CurrentEnvelope(now, out);
  event.enqueued_at = now;
  event.sequence = next_sequence_++;
  if (context_members && !context_members->empty()) {
    // This event's own envelope: the shared one ends with the context's closing brace, and
    // the context always holds `library`, so the members follow a comma.
    if (event.WireSize() + 1 + context_members->size() <= config_.max_event_bytes) {
      std::string stamped = *event.envelope;
      stamped.pop_back();
      stamped += ',';
      stamped += *context_members;
      stamped += '}';
      event.envelope = std::make_shared<const std::string>(std::move(stamped));
    } else {
      context_members->clear();  // Attribution never costs the event itself.
    }
  }
  if (event.WireSize() > config_.max_event_bytes) {
    out->error = MakeError(ErrorCode::kEventTooLarge,
                           "the event is " + std::to_string(event.WireSize()) + " bytes, over maxEventBytes (" +
                               std::to_string(config_.max_event_bytes) + ")",
                           call_type == "track" || call_type == "page" ? "properties" : "traits");
    return;
  }
  out->message_id = event.message_id();
  // Stored when this input ends (StoreQueue), before anything is sent: from the output that
  // accepts it on, a crash cannot lose it.
  const std::vector<QueuedEvent> dropped = outbox_->Enqueue(std::move(event));
  if (!dropped.empty()) {
    out->effects.emplace_back(LogEffect{"warn", "queue full (maxQueueEvents " + std::to_string(config_.max_queue_events) +
                                                    "): dropped the " + std::to_string(dropped.size()) +
                                                    " oldest events"});
    for (const QueuedEvent& gone : dropped) MarkDirty(gone);
    state_dirty_ = true;
  }
}

std::shared_ptr<const std::string> Core::CurrentEnvelope(Millis now, Output* out) {
  const bool visit_changed = VisitContext(now, out);
  if (!envelope_ || visit_changed || identity_.anonymous_id != envelope_anonymous_id_ ||
      identity_.user_id != envelope_user_id_ || builder_.generation() != envelope_generation_) {
    envelope_ = std::make_shared<const std::string>(builder_.Envelope(identity_, visit_context_));
    envelope_anonymous_id_ = identity_.anonymous_id;
    envelope_user_id_ = identity_.user_id;
    envelope_generation_ = builder_.generation();
  }
  return envelope_;
}

}  // namespace parcours
