// Decodes a "calls" input ({"type":"calls","now":ms,"calls":[{call}, ...]}) with the
// validating scanner, in one pass: track calls keep their properties as text, the other
// calls are parsed with nlohmann when they run. One malformed call is refused alone;
// malformed JSON anywhere refuses the whole input, as for any other input.
#pragma once

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

}  // namespace parcours
