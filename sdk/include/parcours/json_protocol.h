// The boundary protocol: one JSON input in, one JSON output out. The WASM exports and the
// native replay tool both go through here, so both runtimes speak byte-identical JSON.
#pragma once

#include <string>
#include <string_view>

#include "parcours/core.h"
#include "parcours/error.h"
#include "parcours/input.h"

namespace parcours {

// A calls or track input keeps views into `json`: handle it while `json` lives.
Result<Input> DecodeInput(std::string_view json);
// An input already parsed (one call of a batch, or any input but "calls").
Result<Input> DecodeParsed(Json& root);
// Plain JSON: batch bodies and stored values as JSON strings.
std::string EncodeOutput(const Output& output);
// Batch bodies and stored values left where they are: the JSON says
// "bodyAt"/"valueAt":[address, length] instead of "body"/"value", the address of their bytes
// in this process's memory (the WASM module's linear memory), valid while `output` lives
// unchanged. Nothing is escaped or copied on the way out, nor parsed in the shell. Appended
// to `out`, so a caller that keeps `out` reuses its buffer from call to call.
void AppendOutputInPlace(const Output& output, std::string* out);

// Decode and handle. A malformed input answers {"ok":false,"error":...} and changes nothing.
Output HandleInput(Core& core, std::string_view input_json);
// Decode, handle, encode as plain JSON.
std::string HandleJson(Core& core, std::string_view input_json);

}  // namespace parcours
