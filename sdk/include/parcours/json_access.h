// Non-throwing, typed reads from nlohmann::json. The core is built with JSON_NOEXCEPTION,
// where a wrong-typed get<T>() aborts the whole WASM module: every read goes through here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace parcours {

using Json = nlohmann::json;

// nullptr when `object` is not an object or has no `key`.
const Json* Find(const Json& object, const char* key);
// nullptr unless the member exists and is a string.
const std::string* FindString(const Json& object, const char* key);
// True when the member exists and is a number; it is stored in *out.
bool FindNumber(const Json& object, const char* key, double* out);
// True when `number` is an integer in [min, max]; stored in *out.
bool IntegerInRange(double number, int64_t min, int64_t max, int64_t* out);
// True when the member exists and is an integer in [min, max]; stored in *out.
bool FindInteger(const Json& object, const char* key, int64_t min, int64_t max, int64_t* out);

// dump() that never aborts: invalid UTF-8 is replaced instead of raising type_error.316.
std::string DumpJson(const Json& value);
// A JSON string literal with quotes and escapes.
std::string QuoteJson(const std::string& text);
// Appends `text` as a JSON string literal, escaping as dump() does, without building a
// nlohmann value: the output path copies whole event batches this way. Invalid UTF-8 is
// replaced, as DumpJson does.
void AppendQuoted(std::string* out, std::string_view text);
// Deepest nesting of arrays/objects, counted without recursion so hostile input cannot
// overflow the (small) WASM stack; stops counting once `limit` is passed.
size_t NestingDepth(const Json& value, size_t limit);

}  // namespace parcours
