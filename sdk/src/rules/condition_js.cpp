// JavaScript value coercions for GrowthBook condition semantics (see condition_js.h).
#include "condition_js.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "parcours/number_text.h"

namespace parcours::rules::js {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Feeds String(value) to `sink` piece by piece; sink(piece) answers false to stop early.
template <typename Sink>
bool Emit(const Json& value, Sink& sink, int depth, bool in_array) {
  switch (value.type()) {
    case Json::value_t::null: return in_array ? true : sink(std::string_view("null"));
    case Json::value_t::boolean: return sink(std::string_view(value.get<bool>() ? "true" : "false"));
    case Json::value_t::string: return sink(std::string_view(*value.get_ptr<const std::string*>()));
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: {
      char buffer[32];
      return sink(std::string_view(buffer, FormatNumber(NumberOf(value), buffer)));
    }
    case Json::value_t::array: {
      if (depth >= kMaxStringifyDepth) return false;
      bool first = true;
      for (const Json& element : value) {
        if (!first && !sink(std::string_view(","))) return false;
        first = false;
        if (!Emit(element, sink, depth + 1, true)) return false;
      }
      return true;
    }
    default: return sink(std::string_view("[object Object]"));
  }
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

double ParsePrefixed(std::string_view digits, int base) {
  if (digits.empty()) return kNaN;
  double value = 0;
  for (char c : digits) {
    int d = IsDigit(c) ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : 99;
    if (d >= base) return kNaN;
    value = value * base + d;
  }
  return value;
}

// True when `text` is a JS StrDecimalLiteral without its Infinity forms.
bool IsDecimal(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t digits = 0;
  while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exponent = 0;
    while (i < text.size() && IsDigit(text[i])) ++i, ++exponent;
    if (exponent == 0) return false;
  }
  return i == text.size();
}

}  // namespace

bool Truthy(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return false;
    case Json::value_t::boolean: return value.get<bool>();
    case Json::value_t::string: return !value.get_ptr<const std::string*>()->empty();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: {
      const double number = NumberOf(value);
      return number != 0 && !std::isnan(number);
    }
    default: return true;
  }
}

size_t FormatNumber(double value, char* out) {
  auto put = [out](const char* text) {
    std::memcpy(out, text, std::strlen(text));
    return std::strlen(text);
  };
  if (std::isnan(value)) return put("NaN");
  if (std::isinf(value)) return put(value > 0 ? "Infinity" : "-Infinity");
  if (value == 0) return put("0");  // -0 too, as in JS.
  char* p = out;
  if (value < 0) {
    *p++ = '-';
    value = -value;
  }
  if (value < 9007199254740992.0 && value == std::floor(value)) {  // Exact integers: the common case.
    char digits[20];
    int k = 0;
    for (auto u = static_cast<uint64_t>(value); u > 0; u /= 10) digits[k++] = static_cast<char>('0' + u % 10);
    while (k > 0) *p++ = digits[--k];
    return static_cast<size_t>(p - out);
  }
  // The fewest significant digits that read back as the same double, as JS prints.
  const DecimalDigits shortest = ShortestDigits(value);
  char digits[20];
  int k = shortest.count;
  std::memcpy(digits, shortest.digits, static_cast<size_t>(k));
  const int n = shortest.point;  // Position of the decimal point relative to the digits.
  while (k > 1 && digits[k - 1] == '0') --k;
  if (k <= n && n <= 21) {
    for (int i = 0; i < k; ++i) *p++ = digits[i];
    for (int i = k; i < n; ++i) *p++ = '0';
  } else if (0 < n && n <= 21) {
    for (int i = 0; i < n; ++i) *p++ = digits[i];
    *p++ = '.';
    for (int i = n; i < k; ++i) *p++ = digits[i];
  } else if (-6 < n && n <= 0) {
    *p++ = '0';
    *p++ = '.';
    for (int i = n; i < 0; ++i) *p++ = '0';
    for (int i = 0; i < k; ++i) *p++ = digits[i];
  } else {
    *p++ = digits[0];
    if (k > 1) *p++ = '.';
    for (int i = 1; i < k; ++i) *p++ = digits[i];
    const std::string exponent = (n - 1 >= 0 ? "e+" : "e-") + std::to_string(std::abs(n - 1));
    std::memcpy(p, exponent.data(), exponent.size());
    p += exponent.size();
  }
  return static_cast<size_t>(p - out);
}

double StringToNumber(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (text.empty()) return 0;
  if (text == "Infinity" || text == "+Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  if (text.size() > 2 && text[0] == '0') {
    switch (text[1] | 0x20) {
      case 'x': return ParsePrefixed(text.substr(2), 16);
      case 'o': return ParsePrefixed(text.substr(2), 8);
      case 'b': return ParsePrefixed(text.substr(2), 2);
      default: break;
    }
  }
  if (!IsDecimal(text)) return kNaN;
  // strtod reads exactly the validated literal; it needs a terminated copy.
  char local[64];
  if (text.size() < sizeof local) {
    std::memcpy(local, text.data(), text.size());
    local[text.size()] = '\0';
    return std::strtod(local, nullptr);
  }
  return std::strtod(std::string(text).c_str(), nullptr);
}

void AppendString(const Json& value, std::string* out) {
  auto sink = [out](std::string_view piece) {
    out->append(piece.data(), piece.size());
    return true;
  };
  Emit(value, sink, 0, false);
}

bool StringEquals(const Json& value, std::string_view expected, bool ignore_case) {
  size_t at = 0;
  bool equal = true;
  auto sink = [&](std::string_view piece) {
    if (piece.size() > expected.size() - at) return equal = false;
    for (size_t i = 0; i < piece.size(); ++i) {
      auto a = static_cast<unsigned char>(piece[i]), b = static_cast<unsigned char>(expected[at + i]);
      if (ignore_case ? Lower(a) != Lower(b) : a != b) return equal = false;
    }
    at += piece.size();
    return true;
  };
  const bool complete = Emit(value, sink, 0, false);
  return complete && equal && at == expected.size();
}

double ToNumber(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return 0;
    case Json::value_t::boolean: return value.get<bool>() ? 1 : 0;
    case Json::value_t::string: return StringToNumber(*value.get_ptr<const std::string*>());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return NumberOf(value);
    case Json::value_t::array: {
      std::string text;
      AppendString(value, &text);
      return StringToNumber(text);
    }
    default: return kNaN;
  }
}

void PaddedVersion(const Json& value, std::string* out) {
  char buffer[32];
  std::string_view text;
  if (value.is_number()) {
    text = std::string_view(buffer, FormatNumber(NumberOf(value), buffer));
  } else if (value.is_string()) {
    text = *value.get_ptr<const std::string*>();
  }
  if (text.empty()) text = "0";
  // replace(/(^v|\+.*$)/g, ""): a leading "v" and any build metadata go.
  if (text.front() == 'v') text.remove_prefix(1);
  if (const size_t plus = text.find('+'); plus != std::string_view::npos) text = text.substr(0, plus);
  size_t parts = 1;
  for (char c : text) parts += (c == '-' || c == '.');
  out->clear();
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '-' && text[i] != '.') continue;
    const std::string_view part = text.substr(start, i - start);
    bool numeric = !part.empty();
    for (char c : part) numeric = numeric && IsDigit(c);
    if (start > 0) out->push_back('-');
    if (numeric && part.size() < 5) out->append(5 - part.size(), ' ');
    out->append(part.data(), part.size());
    start = i + 1;
  }
  if (parts == 3) out->append("-~");  // A release sorts after its pre-releases ('~' is high).
}

const char* TypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::object: return "object";
    default: return value.is_number() ? "number" : "unknown";
  }
}

}  // namespace parcours::rules::js
