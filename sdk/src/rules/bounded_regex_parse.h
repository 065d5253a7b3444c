// The parsed form of a BoundedRegex pattern, shared by the parser (bounded_regex_parse.cpp)
// and the program emitter (bounded_regex.cpp). Internal to the core.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/rules/bounded_regex.h"

namespace parcours::rules::regex_internal {

// ASCII part of a class (bits 0..127) plus whether it also matches every non-ASCII character,
// which it does when negated: members are ASCII-only, so a negation includes all the rest.
struct CharSet {
  BoundedRegex::ByteSet bits{};
  bool non_ascii = false;
  void Add(unsigned char c) { bits[c >> 6] |= uint64_t{1} << (c & 63); }
  bool Has(unsigned char c) const { return (bits[c >> 6] >> (c & 63)) & 1; }
  void AddRange(unsigned char lo, unsigned char hi) {
    for (int c = lo; c <= hi; ++c) Add(static_cast<unsigned char>(c));
  }
  void AddSet(const CharSet& other) {
    for (int i = 0; i < 4; ++i) bits[i] |= other.bits[i];
    non_ascii = non_ascii || other.non_ascii;
  }
  void Negate() {
    for (int c = 0; c < 128; ++c) bits[c >> 6] ^= uint64_t{1} << (c & 63);
    non_ascii = !non_ascii;
  }
  void FoldCase() {
    for (int c = 'a'; c <= 'z'; ++c) {
      if (Has(static_cast<unsigned char>(c)) || Has(static_cast<unsigned char>(c - 32))) {
        Add(static_cast<unsigned char>(c));
        Add(static_cast<unsigned char>(c - 32));
      }
    }
  }
};

struct Node {
  enum Kind : uint8_t { kEmpty, kByte, kSet, kConcat, kAlt, kRepeat, kBol, kEol, kWordB, kNotWordB };
  Kind kind = kEmpty;
  unsigned char byte = 0;
  int min = 0, max = 0;  // kRepeat; max < 0 is unbounded
  CharSet set;           // kSet
  std::vector<int> kids;
};

struct ParsedPattern {
  std::vector<Node> nodes;
  int root = 0;
  std::string error;  // Empty on success; else what is wrong and at which byte offset.
};

// Recursion follows group nesting, which is capped at kMaxRegexGroupDepth.
ParsedPattern ParsePattern(std::string_view pattern, bool ignore_case);

}  // namespace parcours::rules::regex_internal
