// The boundary protocol: one JSON input in, one JSON output out. The WASM exports and the
// native replay tool both go through here, so both runtimes speak byte-identical JSON.
#pragma once

#include <string>
#include <string_view>

#include "parcours/core.h"
#include "parcours/error.h"
#include "parcours/input.h"

namespace parcours {

Result<Input> DecodeInput(std::string_view json);
// An input already parsed (one call of a batch, or any input but "calls").
Result<Input> DecodeParsed(Json& root);
// With `json_length`, batch bodies and stored values travel as slices: the JSON (of
// *json_length bytes) says "bodyAt"/"valueAt":[offset, length] instead of "body"/"value",
// and their raw bytes follow it, offsets counted from its end. Without, plain JSON.
std::string EncodeOutput(const Output& output, size_t* json_length = nullptr);

// Decode, handle, encode. A malformed input answers {"ok":false,"error":...} and changes nothing.
std::string HandleJson(Core& core, std::string_view input_json, size_t* json_length = nullptr);

}  // namespace parcours
