// Non-throwing typed reads and safe serialization for nlohmann::json.
#include "parcours/json_access.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace parcours {

const Json* Find(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

const std::string* FindString(const Json& object, const char* key) {
  const Json* value = Find(object, key);
  return value && value->is_string() ? value->get_ptr<const std::string*>() : nullptr;
}

bool FindNumber(const Json& object, const char* key, double* out) {
  const Json* value = Find(object, key);
  if (!value || !value->is_number()) return false;
  *out = value->get<double>();
  return true;
}

bool IntegerInRange(double number, int64_t min, int64_t max, int64_t* out) {
  if (!std::isfinite(number) || std::floor(number) != number) return false;
  if (number < static_cast<double>(min) || number > static_cast<double>(max)) return false;
  *out = static_cast<int64_t>(number);
  return true;
}

bool FindInteger(const Json& object, const char* key, int64_t min, int64_t max, int64_t* out) {
  double number;
  return FindNumber(object, key, &number) && IntegerInRange(number, min, max, out);
}

std::string DumpJson(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string QuoteJson(const std::string& text) { return DumpJson(Json(text)); }

namespace {

// Structure only (lead and continuation bytes): strings reaching the core came through
// nlohmann's validating parser; this catches what the core itself cut mid-character.
bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    if (lead >= 0x80) {
      if ((lead >> 5) == 0x6) extra = 1;
      else if ((lead >> 4) == 0xE) extra = 2;
      else if ((lead >> 3) == 0x1E) extra = 3;
      else return false;
      if (i + extra >= text.size()) return false;
    }
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    }
    i += extra + 1;
  }
  return true;
}

// What each byte becomes inside a JSON string, as dump() writes it: itself (0), a two-byte
// escape (its letter), or \u00XX (control characters without a short escape, 'u').
constexpr std::array<char, 256> kEscape = [] {
  std::array<char, 256> escape{};
  for (int c = 0; c < 0x20; ++c) escape[c] = 'u';
  escape['"'] = '"';
  escape['\\'] = '\\';
  escape['\b'] = 'b';
  escape['\f'] = 'f';
  escape['\n'] = 'n';
  escape['\r'] = 'r';
  escape['\t'] = 't';
  return escape;
}();

// The output size for each, minus one: 0, 1 or 5.
constexpr std::array<uint8_t, 256> kExtra = [] {
  std::array<uint8_t, 256> extra{};
  for (int c = 0; c < 256; ++c) extra[c] = kEscape[c] == 0 ? 0 : kEscape[c] == 'u' ? 5 : 1;
  return extra;
}();

constexpr uint64_t kOnes = 0x0101010101010101u, kHighBits = 0x8080808080808080u, kLowBits = 0x7F7F7F7F7F7F7F7Fu;

// The high bit of each zero byte of `x`, exactly (no carry crosses bytes).
uint64_t ZeroBytes(uint64_t x) { return ~(((x & kLowBits) + kLowBits) | x) & kHighBits; }

// Of 8 bytes (read little-endian, as on x86 and WASM), the lowest with its high bit set is the
// first that needs an escape (a quote, a backslash, a control character); bits above it may be
// wrong. Cheaper than ZeroBytes, for finding where a clean run ends (Anderson, Bit Twiddling
// Hacks, "Determine if a word has a byte less than n").
uint64_t FirstSpecial(uint64_t bytes) {
  const uint64_t quote = bytes ^ (kOnes * '"'), backslash = bytes ^ (kOnes * '\\');
  return (((bytes - kOnes * 0x20) & ~bytes) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash)) & kHighBits;
}

}  // namespace

void AppendQuoted(std::string* out, std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  // Two passes over the text, 8 bytes at a time where no byte needs an escape: one sizes the
  // result (the output is often a whole stored chunk, escaped again, with a quote every few
  // bytes), the other writes it into place with no append per escape. resize() grows
  // geometrically, so a loop of calls on one output does not reallocate each time.
  const char* const from = text.data();
  const size_t size = text.size();
  size_t extra = 0;
  uint64_t high = 0;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t bytes;
    std::memcpy(&bytes, from + i, 8);
    high |= bytes;
    // Quotes and backslashes take one byte more each: counted by adding up their flags.
    const uint64_t quotes = ZeroBytes(bytes ^ (kOnes * '"')) | ZeroBytes(bytes ^ (kOnes * '\\'));
    extra += static_cast<size_t>(((quotes >> 7) * kOnes) >> 56);
    for (uint64_t controls = ZeroBytes(bytes & (kOnes * 0xE0)); controls != 0; controls &= controls - 1) {
      extra += kExtra[static_cast<unsigned char>(from[i + __builtin_ctzll(controls) / 8])];
    }
  }
  for (; i < size; ++i) {
    extra += kExtra[static_cast<unsigned char>(from[i])];
    high |= static_cast<unsigned char>(from[i]);
  }
  if ((high & kHighBits) != 0 && !IsValidUtf8(text)) {
    *out += QuoteJson(std::string(text));  // Rare: let nlohmann replace the bad bytes.
    return;
  }
  const size_t start = out->size();
  out->resize(start + size + extra + 2);
  char* to = &(*out)[start];
  *to++ = '"';
  i = 0;
  if (extra == 0) i = size;
  std::memcpy(to, from, i);
  to += i;
  while (i < size) {
    if (i + 8 <= size) {
      // The 8 bytes are stored whole, and the cursor moves past those before the first that
      // needs an escape: the output has room (at least the rest of the text and the quote).
      uint64_t bytes;
      std::memcpy(&bytes, from + i, 8);
      std::memcpy(to, &bytes, 8);
      const uint64_t special = FirstSpecial(bytes);
      const size_t clean = special == 0 ? 8 : static_cast<size_t>(__builtin_ctzll(special)) / 8;
      to += clean;
      i += clean;
      if (clean == 8) continue;
    }
    const char c = from[i++];
    const char escape = kEscape[static_cast<unsigned char>(c)];
    if (escape == 0) {
      *to++ = c;
    } else if (escape != 'u') {
      to[0] = '\\';
      to[1] = escape;
      to += 2;
    } else {
      std::memcpy(to, "\\u00", 4);
      to[4] = kHex[static_cast<unsigned char>(c) >> 4];
      to[5] = kHex[c & 0xF];
      to += 6;
    }
  }
  *to = '"';
}

size_t NestingDepth(const Json& value, size_t limit) {
  size_t deepest = 0;
  std::vector<std::pair<const Json*, size_t>> stack{{&value, 0}};
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    if (!node->is_structured()) continue;
    const size_t inner = depth + 1;
    if (inner > deepest) deepest = inner;
    if (deepest > limit) return deepest;
    for (const Json& child : *node) stack.emplace_back(&child, inner);
  }
  return deepest;
}

}  // namespace parcours
