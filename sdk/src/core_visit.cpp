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
        session_campaign_ = *campaign;
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

std::string Core::VisitContext(Millis now, Output* out) {
  const Json* campaign = Find(builder_.context(), "campaign");
  const bool has_campaign = campaign && campaign->is_object() && !campaign->empty();
  const bool started = session_.Touch(now, has_campaign ? DumpJson(*campaign) : "", &random_);
  if (started) session_campaign_ = has_campaign ? *campaign : Json();
  if (started || session_stored_at_ < 0 || now - session_stored_at_ >= kSessionStoreEveryMs) {
    Json stored = {{"tracker", session_.Encode()}, {"campaign", session_campaign_}};
    Store(out, kSessionKey, DumpJson(stored));
    session_stored_at_ = now;
  }
  Json session = session_.ToJson();
  if (!session_campaign_.is_null()) session["campaign"] = session_campaign_;
  return consent_.ContextMember() + ",\"session\":" + DumpJson(session);
}

void Core::UpdateCart(const std::string& event, const Json& properties, Millis now, Output* out) {
  if (cart_.Apply(event, properties, now)) Store(out, kCartKey, cart_.Encode());
}

void Core::ForgetVisit(Output* out) {
  // Logout or withdrawn consent: the next person, or the same one unconsented, starts clean.
  cart_ = Cart();
  session_ = SessionTracker(config_.session_timeout_ms);
  session_campaign_ = Json();
  session_stored_at_ = -1;
  out->effects.emplace_back(RemoveEffect{kCartKey});
  out->effects.emplace_back(RemoveEffect{kSessionKey});
}

Json Core::Inspect() const {
  Json session = session_.ToJson();
  if (session.is_object() && !session_campaign_.is_null()) session["campaign"] = session_campaign_;
  return {{"anonymousId", identity_.anonymous_id},
          {"userId", identity_.user_id.empty() ? Json() : Json(identity_.user_id)},
          {"traits", identity_.traits},
          {"session", session},
          {"cart", cart_.ToJson()},
          {"consent", consent_.ToJson()}};
}

}  // namespace parcours
