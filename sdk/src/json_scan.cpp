// The validating scanner: RFC 8259 grammar, strict UTF-8 (as nlohmann's lexer checks it),
// surrogate pairs in \u escapes, and numbers that fit a double (nlohmann refuses overflow).
#include "parcours/json_scan.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace parcours {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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

// Length of the well-formed UTF-8 sequence at text[pos] (lead byte >= 0x80), 0 if malformed:
// no overlong forms, no surrogates, nothing past U+10FFFF (RFC 3629, table 3-7 of Unicode).
size_t Utf8Length(std::string_view text, size_t pos) {
  const auto byte = [&](size_t i) { return pos + i < text.size() ? static_cast<unsigned char>(text[pos + i]) : 0u; };
  const unsigned lead = byte(0);
  const auto in = [](unsigned c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; };
  if (in(lead, 0xC2, 0xDF)) return in(byte(1), 0x80, 0xBF) ? 2 : 0;
  if (lead == 0xE0) return in(byte(1), 0xA0, 0xBF) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
  if (in(lead, 0xE1, 0xEC) || in(lead, 0xEE, 0xEF)) return in(byte(1), 0x80, 0xBF) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
  if (lead == 0xED) return in(byte(1), 0x80, 0x9F) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
  if (lead == 0xF0) return in(byte(1), 0x90, 0xBF) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF) ? 4 : 0;
  if (in(lead, 0xF1, 0xF3)) return in(byte(1), 0x80, 0xBF) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF) ? 4 : 0;
  if (lead == 0xF4) return in(byte(1), 0x80, 0x8F) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF) ? 4 : 0;
  return 0;
}

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

// The bytes of 8 (read little-endian, as on x86 and WASM) that need a look: a quote, a
// backslash, a control character or a byte of a multi-byte UTF-8 sequence each get their
// high bit set. Exact for the first such byte (a wrong bit can only follow a right one),
// from "Determine if a word has a byte less than n" (Anderson, Bit Twiddling Hacks).
uint64_t NeedsLook(uint64_t bytes) {
  constexpr uint64_t kOnes = 0x0101010101010101u, kHigh = 0x8080808080808080u;
  const auto has_less = [](uint64_t x, uint64_t n) { return (x - kOnes * n) & ~x & kHigh; };
  return has_less(bytes, 0x20) | has_less(bytes ^ (kOnes * '"'), 1) | has_less(bytes ^ (kOnes * '\\'), 1) |
         (bytes & kHigh);
}

// The bytes a string holds as they are: printable ASCII but the quote and the backslash.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

}  // namespace

void JsonCursor::SkipSpace() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
    ++pos_;
  }
}

bool JsonCursor::Expect(char c) {
  SkipSpace();
  if (pos_ >= text_.size() || text_[pos_] != c) return Fail();
  ++pos_;
  return true;
}

bool JsonCursor::String() {
  if (pos_ >= text_.size() || text_[pos_] != '"') return Fail();
  ++pos_;
  while (pos_ < text_.size()) {
    // Plain ASCII (nearly every key and value) goes 8 bytes at a time up to the byte that
    // needs a look (byte by byte near the end of the text). Locals: stores to pos_ would make the compiler reload
    // text_'s size (a size_t too) on every byte.
    const char* const data = text_.data();
    const size_t size = text_.size();
    size_t pos = pos_;
    while (pos + 8 <= size) {
      uint64_t bytes;
      std::memcpy(&bytes, data + pos, 8);
      if (const uint64_t look = NeedsLook(bytes)) {
        pos += static_cast<size_t>(__builtin_ctzll(look)) / 8;
        break;
      }
      pos += 8;
    }
    while (pos < size && kPlain[static_cast<unsigned char>(data[pos])]) ++pos;
    pos_ = pos;
    if (pos_ >= size) break;
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') {
      ++pos_;
      return true;
    }
    if (c < 0x20) return Fail();
    if (c == '\\') {
      if (pos_ + 1 >= text_.size()) return Fail();
      const char escape = text_[pos_ + 1];
      if (escape == 'u') {
        size_t length = 0;
        if (EscapedCodePoint(text_, pos_, &length) < 0) return Fail();
        pos_ += length;
      } else if (escape == '"' || escape == '\\' || escape == '/' || escape == 'b' || escape == 'f' ||
                 escape == 'n' || escape == 'r' || escape == 't') {
        pos_ += 2;
      } else {
        return Fail();
      }
    } else if (c >= 0x80) {
      const size_t length = Utf8Length(text_, pos_);
      if (length == 0) return Fail();
      pos_ += length;
    } else {
      ++pos_;
    }
  }
  return Fail();
}

bool JsonCursor::Number() {
  const size_t start = pos_;
  if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
  if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Fail();
  if (text_[pos_] == '0') {
    ++pos_;
  } else {
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  }
  if (pos_ < text_.size() && text_[pos_] == '.') {
    ++pos_;
    if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Fail();
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  }
  bool exponent = false;
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    exponent = true;
    ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    if (pos_ >= text_.size() || !IsDigit(text_[pos_])) return Fail();
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  }
  // Without an exponent, fewer than 300 digits always fit a double: only then is strtod
  // needed to see whether the value overflows (nlohmann refuses it as "number overflow").
  if (exponent || pos_ - start > 300) {
    if (!std::isfinite(JsonNumber(text_.substr(start, pos_ - start)))) return Fail();
  }
  return true;
}

bool JsonCursor::Literal(std::string_view word) {
  if (text_.substr(pos_, word.size()) != word) return Fail();
  pos_ += word.size();
  return true;
}

bool JsonCursor::Value(ScannedValue* out, size_t* depth) {
  if (!ok_) return false;
  SkipSpace();
  const size_t start = pos_;
  if (pos_ >= text_.size()) return Fail();
  // Scalars (most property values) need none of the container bookkeeping below.
  const char first = text_[pos_];
  if (first == '"' || first == '-' || IsDigit(first)) {
    if (!(first == '"' ? String() : Number())) return false;
    out->raw = text_.substr(start, pos_ - start);
    out->kind = first == '"' ? JsonKind::kString : JsonKind::kNumber;
    if (depth) *depth = 0;
    return true;
  }
  size_t deepest = 0;
  // Open containers of this value: '}' or ']' expected to close each.
  std::string closers;
  bool expect_value = true;
  for (;;) {
    SkipSpace();
    if (!expect_value && closers.empty()) break;  // The value is complete.
    if (pos_ >= text_.size()) return Fail();
    if (expect_value) {
      const char c = text_[pos_];
      if (c == '{' || c == '[') {
        ++pos_;
        closers.push_back(c == '{' ? '}' : ']');
        if (closers.size() > deepest) deepest = closers.size();
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == closers.back()) {
          ++pos_;
          closers.pop_back();
          expect_value = false;
        } else if (c == '{') {
          if (!String() || !Expect(':')) return Fail();
        }
        if (expect_value) continue;
      } else if (c == '"') {
        if (!String()) return false;
      } else if (c == 't') {
        if (!Literal("true")) return false;
      } else if (c == 'f') {
        if (!Literal("false")) return false;
      } else if (c == 'n') {
        if (!Literal("null")) return false;
      } else if (!Number()) {
        return false;
      }
      expect_value = false;
    } else {
      const char c = text_[pos_];
      if (c == ',') {
        ++pos_;
        if (closers.back() == '}') {
          SkipSpace();
          if (!String() || !Expect(':')) return Fail();
        }
        expect_value = true;
      } else if (c == closers.back()) {
        ++pos_;
        closers.pop_back();
      } else {
        return Fail();
      }
    }
  }
  out->raw = text_.substr(start, pos_ - start);
  switch (text_[start]) {
    case '{': out->kind = JsonKind::kObject; break;
    case '[': out->kind = JsonKind::kArray; break;
    case '"': out->kind = JsonKind::kString; break;
    case 't': case 'f': out->kind = JsonKind::kBool; break;
    case 'n': out->kind = JsonKind::kNull; break;
    default: out->kind = JsonKind::kNumber;
  }
  if (depth) *depth = deepest;
  return true;
}

bool JsonCursor::BeginObject() {
  if (!ok_ || !Expect('{')) return false;
  started_.push_back(false);
  return true;
}

bool JsonCursor::BeginArray() {
  if (!ok_ || !Expect('[')) return false;
  started_.push_back(false);
  return true;
}

bool JsonCursor::Continue(char close) {
  SkipSpace();
  if (pos_ >= text_.size()) return Fail();
  if (text_[pos_] == close) {
    ++pos_;
    started_.pop_back();
    return false;
  }
  if (!started_.back()) {
    started_.back() = true;
    return true;
  }
  if (text_[pos_] != ',') return Fail();
  ++pos_;
  return true;
}

bool JsonCursor::NextMember(std::string_view* raw_key) {
  if (!ok_ || started_.empty() || !Continue('}')) return false;
  SkipSpace();
  const size_t start = pos_;
  if (!String()) return false;
  *raw_key = text_.substr(start + 1, pos_ - start - 2);  // Between the quotes.
  return Expect(':');
}

bool JsonCursor::NextElement() {
  if (!ok_ || started_.empty()) return false;
  return Continue(']');
}

char JsonCursor::Peek() {
  SkipSpace();
  return pos_ < text_.size() ? text_[pos_] : '\0';
}

bool JsonCursor::AtEnd() {
  SkipSpace();
  return ok_ && pos_ == text_.size();
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
  // Prices and quantities ("49.5", "1") take the exact fast path (Clinger): at most 15
  // digits make an exact integer, and dividing it by an exact power of ten rounds once,
  // correctly. musl's strtod goes through long double arithmetic, emulated in WASM.
  static constexpr double kPowers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                       1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  size_t i = raw.size() > 0 && raw[0] == '-' ? 1 : 0;
  int64_t mantissa = 0;
  int digits = 0, decimals = 0;
  bool point = false;
  for (; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '.' && !point) {
      point = true;
    } else if (IsDigit(c) && digits < 15) {
      mantissa = mantissa * 10 + (c - '0');
      digits += mantissa > 0 || point;  // Leading zeros are not significant.
      decimals += point;
    } else {
      break;
    }
  }
  if (i == raw.size() && decimals <= 22) {
    const double value = static_cast<double>(mantissa) / kPowers[decimals];
    return raw[0] == '-' ? -value : value;
  }
  // strtod needs a terminator; numbers are short, so a small copy does.
  const std::string text(raw);
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace parcours
