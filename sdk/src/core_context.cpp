// The context document decisions read, from the core's state (decision_document.h): each
// section as docs/RULES.md describes it, built for one evaluation when something reads it.
#include <utility>

#include "decision_document.h"

namespace parcours {
namespace {

// The context document's sections, in DecisionDocument's slot order.
constexpr const char* kDecisionSections[] = {"device", "event", "user", "session", "cart", "page", "consent", "now"};
// The cart members answered without the cart section, in DecisionDocument::cart_totals_ order.
constexpr const char* kCartTotals[] = {"value", "quantity", "itemCount", "idleSeconds"};

template <size_t N>
int IndexOf(const char* const (&names)[N], std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<int>(i);
  }
  return -1;
}

const Json& EmptyObject() {
  static const Json empty = Json::object();
  return empty;
}

std::string DeviceType(const std::string* user_agent) {
  if (!user_agent) return "unknown";
  if (user_agent->find("iPad") != std::string::npos || user_agent->find("Tablet") != std::string::npos) return "tablet";
  if (user_agent->find("Mobi") != std::string::npos || user_agent->find("Android") != std::string::npos) return "mobile";
  return "desktop";
}

}  // namespace

const Json* DecisionDocument::Section(std::string_view name) {
  const int slot = IndexOf(kDecisionSections, name);
  if (slot < 0) return nullptr;
  if (!looked_up_[slot]) {
    looked_up_[slot] = true;
    if (name == "page") {  // Lent: the page context outlives the evaluation.
      const Json* page = Find(core_.builder_.context(), "page");
      sections_[slot] = page ? page : &EmptyObject();
    } else if (core_.DecisionSection(name, trigger_, now_, &built_[slot])) {
      sections_[slot] = &built_[slot];
    }
  }
  return sections_[slot];
}

const Json* DecisionDocument::Member(std::string_view name, std::string_view key, bool* answered) {
  *answered = false;
  const int slot = IndexOf(kDecisionSections, name);
  if (slot < 0 || looked_up_[slot]) return nullptr;  // Built already: read from it.
  if (name == "cart") {
    // Built as DecisionSection builds them, so a value reads the same either way.
    const int total = IndexOf(kCartTotals, key);
    if (total < 0) return nullptr;
    const Cart& cart = core_.cart_;
    Json& value = cart_totals_[total];
    switch (total) {
      case 0: value = cart.Value(); break;
      case 1: value = cart.Quantity(); break;
      case 2: value = cart.items().size(); break;
      default: value = cart.last_change_at() ? Json((now_ - *cart.last_change_at()) / 1000) : Json(); break;
    }
    *answered = true;
    return &value;
  }
  if (name == "user" && key == "traits") {
    *answered = true;
    return &core_.identity_.traits;
  }
  if (name == "event" && key == "properties") {
    *answered = true;
    return trigger_.properties ? trigger_.properties : &EmptyObject();
  }
  return nullptr;
}

const Json& DecisionDocument::Document() {
  if (document_.is_null()) {
    document_ = Json::object();
    for (const char* name : kDecisionSections) {
      if (const Json* section = Section(name)) document_[name] = *section;
    }
  }
  return document_;
}

bool Core::DecisionSection(std::string_view name, const rules::TriggerEvent& trigger, Millis now, Json* out) const {
  // Member by member: nlohmann's initializer lists inline a lot of code per use in WASM.
  Json& section = *out;
  if (name == "user") {
    const LocalTime local = ToLocalTime(now, utc_offset_minutes_);
    section = profile_.ToJson(now, local.day_number);
    section["anonymousId"] = identity_.anonymous_id;
    section["userId"] = identity_.user_id.empty() ? Json() : Json(identity_.user_id);
    section["traits"] = identity_.traits;
  } else if (name == "session") {
    section = session_.ToJson();
    if (section.is_object()) {
      section["durationSeconds"] = (now - session_.started_at()) / 1000;
      if (!session_campaign_.empty()) section["campaign"] = Json::parse(session_campaign_, nullptr, false);
      const rules::GlobalCounts& offers = decisions_.ledger().global();
      section["offersShown"] = offers.session_id == session_.id() ? offers.in_session : 0;
    }
  } else if (name == "cart") {
    // The cart changes far less often than events arrive: its document is rebuilt only when
    // the cart changed since the last one.
    if (cart_.revision() != cart_document_revision_) {
      cart_document_ = cart_.ToJson();
      cart_document_revision_ = cart_.revision();
    }
    section = cart_document_;
    section["idleSeconds"] = cart_.last_change_at() ? Json((now - *cart_.last_change_at()) / 1000) : Json();
  } else if (name == "page") {
    const Json* page = Find(builder_.context(), "page");
    section = page ? *page : Json::object();
  } else if (name == "event") {
    section["name"] = trigger.kind == rules::TriggerKind::kEvent ? Json(std::string(trigger.event_name)) : Json();
    section["trigger"] = rules::TriggerName(trigger.kind);
    section["properties"] = trigger.properties ? *trigger.properties : Json::object();
    if (trigger.kind == rules::TriggerKind::kScrollDepth) section["scrollDepth"] = trigger.scroll_percent;
  } else if (name == "device") {
    const Json& context = builder_.context();
    section["type"] = DeviceType(FindString(context, "userAgent"));
    for (const char* key : {"userAgent", "locale", "timezone", "screen"}) {
      if (const Json* value = Find(context, key)) section[key] = *value;
    }
  } else if (name == "consent") {
    section = consent_.ToJson();
  } else if (name == "now") {
    const LocalTime local = ToLocalTime(now, utc_offset_minutes_);
    section["timestamp"] = now;
    section["iso"] = FormatIso8601(now);
    section["date"] = FormatIso8601(now + static_cast<Millis>(utc_offset_minutes_) * 60000).substr(0, 10);
    section["weekday"] = local.weekday;
    section["hour"] = local.hour;
    section["minute"] = local.minute;
  } else {
    return false;
  }
  return true;
}

}  // namespace parcours
