// Decodes a "calls" input ({"type":"calls","now":ms,"calls":[{call}, ...]}) with the
// validating scanner, in one pass: track calls keep their properties as text, the other
// calls are parsed with nlohmann when they run. One malformed call is refused alone;
// malformed JSON anywhere refuses the whole input, as for any other input. A lone track
// input is read the same way.
#pragma once

#include <optional>
#include <string_view>

#include "parcours/error.h"
#include "parcours/input.h"
#include "parcours/json_access.h"

namespace parcours {

// True when `json` starts with {"type":"calls" (the shell writes it so): then DecodeCalls
// reads it without building a DOM. Other spellings are found by DecodeInput's parse.
bool LooksLikeCalls(std::string_view json);

// `decode_other` decodes one non-track call from its parsed JSON (DecodeParsed).
Result<Input> DecodeCalls(std::string_view json, Result<Input> (*decode_other)(Json& root));

// True when `json` holds "type":"track" (as JSON.stringify and nlohmann write it): then
// DecodeTrack may read it.
bool MayBeTrack(std::string_view json);
// A lone track input read as a batched track call is (a ScannedTrackInput, views into
// `json`), so both take one path with one definition of every check. Empty unless the scan
// reads it exactly as DecodeInput's parse would and it is a valid track input: anything else
// (malformed JSON, a bad `now`, escaped or repeated keys) is parsed, for the usual input or
// the exact error.
std::optional<Input> DecodeTrack(std::string_view json);

}  // namespace parcours
