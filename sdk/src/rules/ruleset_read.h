// What the ruleset readers share (ruleset_parse.cpp for the document, campaigns and
// triggers; ruleset_content.cpp for content and variants): error paths and typed members.
// Private to sdk/src/rules.
#pragma once

#include <cstdint>
#include <string>

#include "parcours/error.h"
#include "parcours/json_access.h"
#include "parcours/rules/ruleset.h"

namespace parcours::rules::read {

// A refusal naming the JSON path of what was wrong.
Error Invalid(const std::string& path, const std::string& what);
// A member's path for messages.
std::string At(const std::string& path, const char* key);
// Optional integer member in [min, max]; absent leaves *out alone.
bool ReadInt(const Json& object, const char* key, int64_t min, int64_t max, const std::string& path, int64_t* out,
             Error* error);
// A non-empty string of at most kMaxIdBytes; absent is fine unless `required`.
bool ReadId(const Json& object, const char* key, const std::string& path, bool required, std::string* out,
            Error* error);
// "content" or "variants" of the campaign at `path`, compiled, with normalized weights.
bool ReadVariants(const Json& campaign, const std::string& path, Campaign* out, Error* error);

}  // namespace parcours::rules::read
