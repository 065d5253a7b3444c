// Decodes a "calls" input ({"type":"calls","now":ms,"calls":[{call}, ...]}) with the
// validating scanner: track calls keep their properties as text, the other calls are parsed
// one by one with nlohmann. One malformed call is refused alone; malformed JSON anywhere
// refuses the whole input, as for any other input.
#pragma once

#include <string_view>

#include "parcours/error.h"
#include "parcours/input.h"
#include "parcours/json_access.h"

namespace parcours {

// True when `json` starts with {"type":"calls" (the shell writes it so): then DecodeCalls
// reads it without building a DOM. Other spellings are found by DecodeInput's parse.
bool LooksLikeCalls(std::string_view json);

// `decode_other` decodes one non-track call from its parsed JSON (DecodeParsed). Checks the
// whole input is JSON and splits it into its calls' texts, decoded later one at a time.
Result<Input> DecodeCalls(std::string_view json, Result<Input> (*decode_other)(Json& root));

// One call of a CallsInput (its text, already checked to be JSON) into `call`.
void DecodeBatchedCall(std::string_view text, Result<Input> (*decode_other)(Json& root), BatchedCall* call);

}  // namespace parcours
