// Turning scanned JSON text into values: a string's decoded content (escapes, surrogate
// pairs) and a number's double. Split from json_scan.cpp, which only validates and hands
// back spans; the \u escape reader is shared through json_escape.h.
#include <cstdint>
#include <cstdlib>

#include "json_escape.h"
#include "parcours/json_scan.h"

namespace parcours {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void AppendUtf8(std::string* out, unsigned long code) {
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at text[pos]; -1 when they are not.
long Hex4(std::string_view text, size_t pos) {
  if (pos + 4 > text.size()) return -1;
  long value = 0;
  for (size_t i = 0; i < 4; ++i) {
    const int digit = HexValue(text[pos + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

}  // namespace

// The code point of the \u escape at text[pos] (at the backslash), with a following low
// surrogate when it is a high one; *length gets the escape's length. -1 if malformed.
long EscapedCodePoint(std::string_view text, size_t pos, size_t* length) {
  const long first = Hex4(text, pos + 2);
  *length = 6;
  if (first < 0 || (first >= 0xDC00 && first <= 0xDFFF)) return -1;
  if (first < 0xD800 || first > 0xDBFF) return first;
  if (pos + 7 >= text.size() || text[pos + 6] != '\\' || text[pos + 7] != 'u') return -1;
  const long second = Hex4(text, pos + 8);
  if (second < 0xDC00 || second > 0xDFFF) return -1;
  *length = 12;
  return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
}

bool DecodeJsonString(std::string_view raw, std::string* out) {
  out->clear();
  if (raw.size() < 2) return false;
  const std::string_view text = raw.substr(0, raw.size() - 1);
  size_t i = 1;
  while (i < text.size()) {
    const size_t escape = text.find('\\', i);
    if (escape == std::string_view::npos) {
      out->append(text.data() + i, text.size() - i);
      return true;
    }
    out->append(text.data() + i, escape - i);
    if (escape + 1 >= text.size()) return false;
    const char c = text[escape + 1];
    size_t length = 2;
    switch (c) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        const long code = EscapedCodePoint(raw, escape, &length);
        if (code < 0) return false;
        AppendUtf8(out, static_cast<unsigned long>(code));
        break;
      }
      default:
        return false;
    }
    i = escape + length;
  }
  return true;
}

double JsonNumber(std::string_view raw) {
  // Prices, quantities and timestamps ("49.5", "1", "1795424179771") take the exact fast
  // path (Clinger): at most 15 digits make an exact integer, and dividing it by an exact
  // power of ten rounds once, correctly, as strtod does. musl's strtod goes through long
  // double arithmetic, emulated in WASM. Scanned numbers are valid JSON: no leading zeros
  // but "0" itself, so counting every digit (that zero too) only sends a few more to strtod.
  static constexpr double kPowers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                       1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* p = raw.data();
  const char* const end = p + raw.size();
  const bool negative = p < end && *p == '-';
  p += negative;
  const char* const first = p;
  uint64_t mantissa = 0;  // Wraps past 19 digits, when it goes unused.
  while (p < end && IsDigit(*p)) mantissa = mantissa * 10 + static_cast<uint64_t>(*p++ - '0');
  size_t digits = static_cast<size_t>(p - first), decimals = 0;
  if (p < end && *p == '.') {
    const char* const fraction = ++p;
    while (p < end && IsDigit(*p)) mantissa = mantissa * 10 + static_cast<uint64_t>(*p++ - '0');
    decimals = static_cast<size_t>(p - fraction);
    digits += decimals;
  }
  if (p == end && digits <= 15) {  // 15 digits bound decimals well under 22 too.
    const double value = static_cast<double>(mantissa) / kPowers[decimals];
    return negative ? -value : value;
  }
  // strtod needs a terminator; numbers are short, so a small copy does.
  const std::string text(raw);
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace parcours
