// Consent categories and their context stamp.
#include "parcours/consent.h"

namespace parcours {
namespace {

constexpr size_t kMaxCategories = 32;
constexpr size_t kMaxCategoryBytes = 50;

}  // namespace

Result<ConsentPolicy> ConsentPolicy::FromConfig(const Json* option) {
  ConsentPolicy policy;
  if (option && !option->is_null()) {
    policy.default_ = ConsentState::kPending;
    auto updated = policy.Update(*option);
    if (!updated.ok()) return updated.error();
  }
  policy.Refresh();
  return policy;
}

Result<bool> ConsentPolicy::Update(const Json& categories) {
  if (!categories.is_object() || categories.size() > kMaxCategories) {
    return MakeError(ErrorCode::kInvalidConsent, "consent must be an object of at most 32 categories", "consent");
  }
  for (const auto& [name, value] : categories.items()) {
    if (name == "necessary" && !(value.is_boolean() && value.get<bool>())) {
      return MakeError(ErrorCode::kInvalidConsent, "consent.necessary cannot be denied: it covers what the site needs to work",
                       "consent.necessary");
    }
    if (name.empty() || name.size() > kMaxCategoryBytes || !(value.is_boolean() || value.is_null())) {
      return MakeError(ErrorCode::kInvalidConsent,
                       "consent." + name.substr(0, kMaxCategoryBytes) + " must be true, false or null",
                       "consent." + name.substr(0, kMaxCategoryBytes));
    }
  }
  for (const auto& [name, value] : categories.items()) {
    categories_[name] = value.is_null() ? default_
                                        : (value.get<bool>() ? ConsentState::kGranted : ConsentState::kDenied);
  }
  Refresh();
  return true;
}

ConsentState ConsentPolicy::Get(const std::string& category) const {
  if (std::string_view(category) == "necessary") return ConsentState::kGranted;
  const auto it = categories_.find(category);
  return it == categories_.end() ? default_ : it->second;
}

Json ConsentPolicy::ToJson() const {
  Json preferences = Json::object();
  for (const char* known : {"necessary", "analytics", "marketing", "personalization"}) {
    const ConsentState state = Get(known);
    preferences[known] = state == ConsentState::kPending ? Json() : Json(state == ConsentState::kGranted);
  }
  for (const auto& [name, state] : categories_) {
    preferences[name] = state == ConsentState::kPending ? Json() : Json(state == ConsentState::kGranted);
  }
  return preferences;
}

void ConsentPolicy::Refresh() {
  context_member_ = "\"consent\":{\"categoryPreferences\":" + DumpJson(ToJson()) + "}";
}

}  // namespace parcours
