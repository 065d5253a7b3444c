// The context document the decision engine reads (user, session, cart, page, event, device,
// consent, now: docs/RULES.md), served from the core's state for one evaluation. Built on
// first use, section by section: most evaluations end before any campaign reads it, and most
// conditions read one or two of its sections. Values the core already holds as JSON (the
// page, the traits) are lent, not copied, and the cart's totals are answered without building
// the cart section (its line list), which changes on every add.
#pragma once

#include <string_view>

#include "parcours/core.h"

namespace parcours {

class DecisionDocument final : public rules::DocumentSource {
 public:
  // The core must not change while this is in use (one evaluation).
  DecisionDocument(const Core& core, const rules::TriggerEvent& trigger, Millis now)
      : core_(core), trigger_(trigger), now_(now) {}

  const Json* Section(std::string_view name) override;
  const Json* Member(std::string_view name, std::string_view key, bool* answered) override;
  const Json& Document() override;

 private:
  static constexpr size_t kSections = 8;

  const Core& core_;
  const rules::TriggerEvent& trigger_;
  Millis now_;
  const Json* sections_[kSections] = {};  // null: not looked up yet
  bool looked_up_[kSections] = {};
  Json built_[kSections];  // sections built for this evaluation (the others are lent)
  Json cart_totals_[4];    // cart members answered without the section
  Json document_;          // the whole document, for templates
};

}  // namespace parcours
