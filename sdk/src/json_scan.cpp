// The validating scanner: RFC 8259 grammar, strict UTF-8 (as nlohmann's lexer checks it),
// surrogate pairs in \u escapes, and numbers that fit a double (nlohmann refuses overflow).
// Turning the spans into values is json_decode.cpp's job.
#include "parcours/json_scan.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "json_escape.h"

namespace parcours {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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

// Past whitespace from `pos`: the hot paths below keep the text and the position in locals
// (a store to pos_ makes the compiler reload text_'s size, a size_t too, after it).
size_t JsonCursor::SpaceEnd(size_t pos) const {
  const char* const data = text_.data();
  const size_t size = text_.size();
  while (pos < size) {
    const char c = data[pos];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
    ++pos;
  }
  return pos;
}

void JsonCursor::SkipSpace() { pos_ = SpaceEnd(pos_); }

bool JsonCursor::Expect(char c) {
  SkipSpace();
  if (pos_ >= text_.size() || text_[pos_] != c) return Fail();
  ++pos_;
  return true;
}

bool JsonCursor::String() {
  if (pos_ >= text_.size() || text_[pos_] != '"') return Fail();
  ++pos_;
  escaped_ = false;
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
      escaped_ = true;
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
  const char* const data = text_.data();
  const size_t size = text_.size();
  const size_t start = pos_;
  size_t pos = start;
  const auto digits = [&] {
    while (pos < size && IsDigit(data[pos])) ++pos;
  };
  const auto fail = [&] {
    pos_ = pos;
    return Fail();
  };
  if (pos < size && data[pos] == '-') ++pos;
  if (pos >= size || !IsDigit(data[pos])) return fail();
  if (data[pos] == '0') {
    ++pos;
  } else {
    digits();
  }
  if (pos < size && data[pos] == '.') {
    ++pos;
    if (pos >= size || !IsDigit(data[pos])) return fail();
    digits();
  }
  bool exponent = false;
  if (pos < size && (data[pos] == 'e' || data[pos] == 'E')) {
    exponent = true;
    ++pos;
    if (pos < size && (data[pos] == '+' || data[pos] == '-')) ++pos;
    if (pos >= size || !IsDigit(data[pos])) return fail();
    digits();
  }
  pos_ = pos;
  // Without an exponent, fewer than 300 digits always fit a double: only then is strtod
  // needed to see whether the value overflows (nlohmann refuses it as "number overflow").
  if (exponent || pos - start > 300) {
    if (!std::isfinite(JsonNumber(text_.substr(start, pos - start)))) return Fail();
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
  const size_t start = pos_ = SpaceEnd(pos_);
  if (start >= text_.size()) return Fail();
  // Scalars (most property values) need none of the container bookkeeping below.
  const char first = text_[start];
  if (first == '"' || first == '-' || IsDigit(first)) {
    if (!(first == '"' ? String() : Number())) return false;
    out->raw = text_.substr(start, pos_ - start);
    out->kind = first == '"' ? JsonKind::kString : JsonKind::kNumber;
    out->escaped = first == '"' && escaped_;
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
  out->escaped = false;
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
  if (!ok_ || started_.empty()) return false;
  // Continue('}'), the key and Expect(':') in place, on a local position: every member of
  // every call passes here.
  const char* const data = text_.data();
  const size_t size = text_.size();
  size_t pos = SpaceEnd(pos_);
  if (pos >= size) {
    pos_ = pos;
    return Fail();
  }
  if (data[pos] == '}') {
    pos_ = pos + 1;
    started_.pop_back();
    return false;
  }
  if (!started_.back()) {
    started_.back() = true;
  } else if (data[pos] != ',') {
    pos_ = pos;
    return Fail();
  } else {
    pos = SpaceEnd(pos + 1);
  }
  pos_ = pos;
  if (!String()) return false;
  *raw_key = text_.substr(pos + 1, pos_ - pos - 2);  // Between the quotes.
  pos = SpaceEnd(pos_);
  if (pos >= size || data[pos] != ':') {
    pos_ = pos;
    return Fail();
  }
  pos_ = pos + 1;
  return true;
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

}  // namespace parcours
