// A small regular-expression engine for campaign conditions ($regex) whose work is bounded:
// patterns compile to an NFA run as a Pike VM (no backtracking), so a search costs at most
// O(program size x text length) whatever the pattern. std::regex is not used: it is large in
// WASM and backtracks catastrophically on patterns such as `(a+)+$`.
//
// Supported syntax (a subset of JavaScript's RegExp, with the same meaning):
//   literals        any byte except the metacharacters  \ ^ $ . | ? * + ( ) [ ] {
//                   (a `{` or `}` that does not form a counted quantifier is a literal, as in JS)
//   .               any one character except \n and \r; a multi-byte UTF-8 character counts as one
//   ^ $             start and end of the whole text (there is no multi-line mode)
//   \b \B           a word boundary / not a word boundary (word = [A-Za-z0-9_])
//   [abc] [^a-z]    classes with ranges and escapes; `[]` never matches, `[^]` matches anything;
//                   a negated class also matches any non-ASCII character. Class members must be
//                   ASCII: write `(é|è)` rather than `[éè]`
//   \d \w \s        [0-9], [A-Za-z0-9_], ASCII whitespace [ \t\n\r\f\v]; \D \W \S their
//                   complements (which include every non-ASCII character). Usable inside classes
//   escapes         \t \n \r \f \v \0, \xHH, \uHHHH (as UTF-8; ASCII only inside a class), and
//                   a backslash before any punctuation or symbol for the character itself (\. \/ \\)
//   (x) (?:x) (?<name>x)  groups; nothing is captured (a search only answers match / no match)
//   x|y             alternation
//   * + ? {n} {n,} {n,m}  quantifiers, with n, m <= 100; a lazy suffix (`*?`) is accepted and
//                   matches the same texts
//   (?i)            at the very start of the pattern: ASCII case-insensitive matching
// Rejected at compile time with a clear message: backreferences (\1, \k<name>), lookaround
// ((?=, (?!, (?<=, (?<!), other inline flags, unknown letter escapes (\p, \a, ...), unbalanced
// parentheses or brackets, a quantifier with nothing to repeat, reversed ranges or counts.
//
// Limits: a pattern is at most 1,000 bytes, groups nest at most 32 deep, and the compiled
// program has at most 10,000 instructions (counted repetition is expanded, so `(abc){100}`
// costs ~300). Matching works on bytes: case folding and \s are ASCII-only. Only the first
// 64 KiB of a text are searched: a match must lie within them, and `$` does not match at the
// cut (a cut text has not ended there).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "parcours/error.h"

namespace parcours::rules {

inline constexpr size_t kMaxRegexPatternBytes = 1000;
inline constexpr int kMaxRegexRepeat = 100;
inline constexpr size_t kMaxRegexProgram = 10000;
inline constexpr size_t kMaxRegexGroupDepth = 32;
inline constexpr size_t kMaxRegexTextBytes = 64 * 1024;

class BoundedRegex {
 public:
  // Errors are kInvalidCondition, with a message naming the problem and its byte offset.
  // `ignore_case` does what a leading (?i) does (for GrowthBook's $regexi).
  static Result<BoundedRegex> Compile(std::string_view pattern, bool ignore_case = false);

  // Unanchored search, like JavaScript's RegExp.prototype.test.
  bool Search(std::string_view text) const;

  size_t ProgramSize() const { return program_.size(); }

  // One step of the compiled program; public only so the compiler can build it.
  struct Inst {
    // kUtf8: one character from an ASCII class (x) or any multi-byte UTF-8 character; it is
    // followed by three continuation-byte steps, entered according to the lead byte's length.
    enum Op : uint8_t { kByte, kClass, kUtf8, kSplit, kJump, kBol, kEol, kWordBoundary, kNotWordBoundary, kMatch };
    Op op = kMatch;
    uint8_t byte = 0;  // kByte
    uint32_t x = 0;    // kClass, kUtf8: class index; kSplit/kJump: target
    uint32_t y = 0;    // kSplit: second target
  };
  using ByteSet = std::array<uint64_t, 4>;

  BoundedRegex() = default;

 private:
  friend class RegexCompiler;
  std::vector<Inst> program_;
  std::vector<ByteSet> classes_;
  // Bytes that can begin a match, so the search can skip ahead while no thread is alive;
  // all bits set when the start can match without consuming (an assertion or empty match).
  ByteSet first_bytes_{};
  bool anchored_start_ = false;  // Every match begins at offset 0 (a leading ^).
};

}  // namespace parcours::rules
