// Compiling conditions in tests: a condition from its JSON text, required to compile.
#pragma once

#include <boost/test/unit_test.hpp>

#include <string>

#include "parcours/rules/condition.h"

namespace parcours::testing {

// `table` (optional) is the ruleset-wide path table the condition shares.
inline rules::Condition Compiled(const std::string& condition, rules::PathTable* table = nullptr) {
  const Json json = Json::parse(condition, nullptr, false);
  BOOST_TEST_REQUIRE(!json.is_discarded(), condition);
  auto compiled = table ? rules::Condition::Compile(json, table) : rules::Condition::Compile(json);
  BOOST_TEST_REQUIRE(compiled.ok(), condition << ": " << (compiled.ok() ? "" : compiled.error().message));
  return compiled.value();
}

}  // namespace parcours::testing
