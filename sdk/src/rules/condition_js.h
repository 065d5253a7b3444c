// The JavaScript value coercions and comparisons GrowthBook's condition semantics rest on
// (String(v), Number(v), truthiness, paddedVersionString, ===, relational operators), for
// condition_compile.cpp and condition_eval.cpp. Internal to the core.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "parcours/json_access.h"

namespace parcours::rules::js {

// Arrays nested deeper than this are cut short when turned into strings: hostile documents
// must not drive the recursion.
inline constexpr int kMaxStringifyDepth = 16;

// The value of a JSON number, whatever its storage (NaN for anything else).
inline double NumberOf(const Json& number) {
  switch (number.type()) {
    case Json::value_t::number_integer: return static_cast<double>(*number.get_ptr<const int64_t*>());
    case Json::value_t::number_unsigned: return static_cast<double>(*number.get_ptr<const uint64_t*>());
    case Json::value_t::number_float: return *number.get_ptr<const double*>();
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}
bool Truthy(const Json& value);

// Number.prototype.toString(): shortest round-trip digits, JS's choice of notation.
// `out` has room for at least 32 bytes; returns the length written.
size_t FormatNumber(double value, char* out);
// Number(string): JS StringToNumber (whitespace trimmed, "" is 0, 0x/0o/0b, Infinity; NaN
// when malformed). Only ASCII whitespace is trimmed.
double StringToNumber(std::string_view text);

// String(value) appended to *out (null is "null", arrays join their elements with ",",
// objects are "[object Object]").
void AppendString(const Json& value, std::string* out);
// String(value) === expected (ASCII case-insensitive when asked), without building a string.
bool StringEquals(const Json& value, std::string_view expected, bool ignore_case);
// Number(value): null 0, booleans 0/1, strings parsed, arrays through their string, objects NaN.
double ToNumber(const Json& value);

// GrowthBook's paddedVersionString (numeric parts padded to 5 so versions compare as strings).
void PaddedVersion(const Json& value, std::string* out);

// The JS type name $type compares with: null, array, string, number, boolean, object.
const char* TypeName(const Json& value);

inline unsigned char Lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

// JS `===` between an attribute and a condition operand: arrays and objects are never
// identical to a condition's literal.
inline bool StrictEquals(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return NumberOf(a) == NumberOf(b);
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::value_t::null: return true;
    case Json::value_t::boolean: return a.get<bool>() == b.get<bool>();
    case Json::value_t::string: return *a.get_ptr<const std::string*>() == *b.get_ptr<const std::string*>();
    default: return false;
  }
}

// Compares text already lowercased with text folded as it is read (ASCII).
inline int CompareLowered(std::string_view stored_lower, std::string_view text) {
  const size_t n = std::min(stored_lower.size(), text.size());
  for (size_t i = 0; i < n; ++i) {
    const unsigned char a = static_cast<unsigned char>(stored_lower[i]), b = Lower(static_cast<unsigned char>(text[i]));
    if (a != b) return a < b ? -1 : 1;
  }
  return stored_lower.size() == text.size() ? 0 : stored_lower.size() < text.size() ? -1 : 1;
}

// JS relational operators <, <=, >, >= (0 to 3).
inline bool Ordered(int comparison, double x, double y) {  // NaN makes every comparison false.
  switch (comparison) {
    case 0: return x < y;
    case 1: return x <= y;
    case 2: return x > y;
    default: return x >= y;
  }
}

}  // namespace parcours::rules::js
