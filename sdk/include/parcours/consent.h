// Consent per category (necessary, analytics, marketing, personalization, or the site's own):
// granted, denied, or not decided yet. The core asks it before storing, sending or showing.
#pragma once

#include <map>
#include <string>

#include "parcours/error.h"
#include "parcours/json_access.h"

namespace parcours {

enum class ConsentState { kPending, kGranted, kDenied };

class ConsentPolicy {
 public:
  // No "consent" option means a site without consent management: everything is granted.
  // With one, the listed categories are as given and the others wait for a decision.
  static Result<ConsentPolicy> FromConfig(const Json* option);

  // Applies {"analytics": true, "marketing": false, "ads": null}: null puts a category back to
  // the default (pending where the site manages consent). All or nothing: a bad member
  // changes no category.
  Result<bool> Update(const Json& categories);

  ConsentState Get(const std::string& category) const;
  bool Granted(const std::string& category) const { return Get(category) == ConsentState::kGranted; }

  // `"consent":{"categoryPreferences":{...}}`: Segment's consent context, stamped on events.
  const std::string& ContextMember() const { return context_member_; }
  Json ToJson() const;

 private:
  void Refresh();

  // What an undecided category is: granted for a site without a consent option (a later
  // consent.set() then changes only what it names), pending when the site manages consent.
  ConsentState default_ = ConsentState::kGranted;
  std::map<std::string, ConsentState> categories_;
  std::string context_member_;
};

}  // namespace parcours
