// The visit around events: the session (stamped on every event, a new one after inactivity
// or when a new campaign lands) and the cart derived from e-commerce events, both stored so
// they hold across pages and tabs.
#include <utility>

#include "parcours/core.h"
#include "parcours/snapshot.h"

namespace parcours {
namespace {

// Storing the session on every event would double the storage writes per call; its expiry
// may be off by this much after a reload instead.
constexpr Millis kSessionStoreEveryMs = 60 * 1000;

}  // namespace

void Core::RestoreVisit(const InitInput& input, Output* out) {
  session_ = SessionTracker(config_.session_timeout_ms);
  if (!input.session.empty()) {
    const Json stored = Json::parse(input.session, nullptr, false);
    const std::string* tracker = FindString(stored, "tracker");
    auto session = tracker ? SessionTracker::Decode(*tracker, config_.session_timeout_ms)
                           : Result<SessionTracker>(MakeError(ErrorCode::kCorruptSnapshot, "no session"));
    if (session.ok()) {
      session_ = std::move(session.value());
      if (const Json* campaign = Find(stored, "campaign"); campaign && campaign->is_object()) {
        session_campaign_ = DumpJson(*campaign);
      }
    } else {
      out->effects.emplace_back(RemoveEffect{kSessionKey});
    }
  }
  if (!input.cart.empty()) {
    auto cart = Cart::Decode(input.cart);
    if (cart.ok()) {
      cart_ = std::move(cart.value());
    } else {
      out->effects.emplace_back(LogEffect{"warn", cart.error().message + "; starting with an empty cart"});
      out->effects.emplace_back(RemoveEffect{kCartKey});
    }
  }
}

void Core::SetContext(const Json& context) {
  builder_.SetContext(context);
  const Json* campaign = Find(builder_.context(), "campaign");
  context_campaign_ = campaign && campaign->is_object() && !campaign->empty() ? DumpJson(*campaign) : "";
}

// Runs on every call: the members are written by hand, and only when what they show changed
// (a burst of events in one session writes them once).
bool Core::VisitContext(Millis now, Output* out) {
  if (session_.Touch(now, context_campaign_, &random_)) {
    session_campaign_ = context_campaign_;
    session_stored_at_ = -1;
  }
  if (session_stored_at_ < 0 || now - session_stored_at_ >= kSessionStoreEveryMs) {
    std::string stored = "{\"tracker\":";
    AppendQuoted(&stored, session_.Encode());
    stored += ",\"campaign\":" + (session_campaign_.empty() ? std::string("null") : session_campaign_) + "}";
    Store(out, kSessionKey, std::move(stored));
    session_stored_at_ = now;
  }
  VisitStamp& stamp = visit_stamp_;
  if (stamp.written && stamp.session_count == session_.count() && stamp.session_started_at == session_.started_at() &&
      stamp.session_is_new == session_.is_new() && stamp.session_id == session_.id() &&
      stamp.consent == consent_.ContextMember() && stamp.campaign == session_campaign_) {
    return false;
  }
  stamp.written = true;
  stamp.consent = consent_.ContextMember();
  stamp.session_id = session_.id();
  stamp.session_count = session_.count();
  stamp.session_started_at = session_.started_at();
  stamp.session_is_new = session_.is_new();
  stamp.campaign = session_campaign_;
  std::string& member = visit_context_;
  member = stamp.consent;
  member += ",\"session\":{\"id\":";
  AppendQuoted(&member, stamp.session_id);
  member += ",\"count\":";
  member += std::to_string(stamp.session_count);
  member += ",\"startedAt\":";
  member += std::to_string(stamp.session_started_at);
  member += stamp.session_is_new ? ",\"isNew\":true" : ",\"isNew\":false";
  if (!stamp.campaign.empty()) {
    member += ",\"campaign\":";
    member += stamp.campaign;
  }
  member += '}';
  return true;
}

void Core::UpdateCart(const std::string& event, const Json& properties, Millis now, Output* out) {
  if (cart_.Apply(event, properties, now)) cart_dirty_ = true;
  (void)out;
}

void Core::ForgetVisit(Output* out) {
  // Logout or withdrawn consent: the next person, or the same one unconsented, starts clean.
  cart_ = Cart();
  cart_dirty_ = false;
  session_ = SessionTracker(config_.session_timeout_ms);
  session_campaign_.clear();
  session_stored_at_ = -1;
  out->effects.emplace_back(RemoveEffect{kCartKey});
  out->effects.emplace_back(RemoveEffect{kSessionKey});
  ForgetProfile(out);
}

Json Core::Inspect() const {
  Json session = session_.ToJson();
  if (session.is_object() && !session_campaign_.empty()) {
    session["campaign"] = Json::parse(session_campaign_, nullptr, false);
  }
  return {{"anonymousId", identity_.anonymous_id},
          {"userId", identity_.user_id.empty() ? Json() : Json(identity_.user_id)},
          {"traits", identity_.traits},
          {"session", session},
          {"cart", cart_.ToJson()},
          {"consent", consent_.ToJson()},
          {"rules", RulesSummary()}};
}

}  // namespace parcours
