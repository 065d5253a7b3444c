// Parses a BoundedRegex pattern (syntax in bounded_regex.h) into the small AST that
// bounded_regex.cpp turns into a program. Errors name the problem and its byte offset.
#include "bounded_regex_parse.h"

#include <algorithm>
#include <utility>

namespace parcours::rules::regex_internal {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

CharSet ShorthandSet(char letter) {
  CharSet set;
  switch (letter | 0x20) {
    case 'd': set.AddRange('0', '9'); break;
    case 'w':
      for (int c = 0; c < 128; ++c) {
        if (IsWordByte(static_cast<unsigned char>(c))) set.Add(static_cast<unsigned char>(c));
      }
      break;
    default:  // 's'
      for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v'}) set.Add(c);
  }
  if (letter >= 'A' && letter <= 'Z') set.Negate();
  return set;
}

class Parser {
 public:
  Parser(std::string_view pattern, bool ignore_case) : p_(pattern), icase_(ignore_case) {}

  ParsedPattern Run() {
    if (p_.substr(0, 4) == "(?i)") {
      icase_ = true;
      pos_ = 4;
    }
    out_.root = ParseAlt(0);
    if (error_.empty() && pos_ < p_.size()) Error("unbalanced ')'");
    out_.error = error_;
    return std::move(out_);
  }

 private:
  void Error(const std::string& why) {
    if (error_.empty()) error_ = why + " at offset " + std::to_string(pos_);
  }
  bool AtEnd() const { return pos_ >= p_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < p_.size() ? p_[pos_ + ahead] : '\0'; }

  int Add(Node node) {
    out_.nodes.push_back(std::move(node));
    return static_cast<int>(out_.nodes.size() - 1);
  }
  int Mark(Node::Kind kind) {
    Node node;
    node.kind = kind;
    return Add(std::move(node));
  }
  int Literal(unsigned char c) {
    Node node;
    if (icase_ && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
      node.kind = Node::kSet;
      node.set.Add(c);
      node.set.FoldCase();
    } else {
      node.kind = Node::kByte;
      node.byte = c;
    }
    return Add(std::move(node));
  }
  int SetNode(CharSet set) {
    Node node;
    node.kind = Node::kSet;
    if (icase_) set.FoldCase();
    node.set = set;
    return Add(std::move(node));
  }
  // A code point as its UTF-8 bytes, one atom so a quantifier applies to the whole character.
  int CodePoint(uint32_t cp) {
    if (cp < 0x80) return Literal(static_cast<unsigned char>(cp));
    Node seq;
    seq.kind = Node::kConcat;
    unsigned char bytes[4];
    int n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (int i = n - 1; i > 0; --i, cp >>= 6) bytes[i] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    bytes[0] = static_cast<unsigned char>((n == 2 ? 0xC0 : n == 3 ? 0xE0 : 0xF0) | cp);
    for (int i = 0; i < n; ++i) seq.kids.push_back(Literal(bytes[i]));
    return Add(std::move(seq));
  }

  int ParseAlt(size_t depth) {
    Node alt;
    alt.kind = Node::kAlt;
    alt.kids.push_back(ParseSeq(depth));
    while (error_.empty() && Peek() == '|' && !AtEnd()) {
      ++pos_;
      alt.kids.push_back(ParseSeq(depth));
    }
    return alt.kids.size() == 1 ? alt.kids[0] : Add(std::move(alt));
  }

  int ParseSeq(size_t depth) {
    Node seq;
    seq.kind = Node::kConcat;
    while (error_.empty() && !AtEnd() && Peek() != '|' && Peek() != ')') {
      // JS forbids quantifying a bare anchor (`^*`), but not a group holding one (`(?:\b)?`).
      const bool bare_anchor = Peek() == '^' || Peek() == '$' || (Peek() == '\\' && (Peek(1) == 'b' || Peek(1) == 'B'));
      const int atom = ParseAtom(depth);
      if (!error_.empty()) break;
      seq.kids.push_back(ParseQuantifiers(atom, bare_anchor));
    }
    return seq.kids.size() == 1 ? seq.kids[0] : Add(std::move(seq));
  }

  // Reads {n}, {n,} or {n,m} at pos_; false (pos_ unchanged) when it is not one, as JS then
  // takes the brace literally.
  bool ReadBraces(int* min, int* max) {
    size_t i = pos_ + 1;
    auto number = [&](int* out) {
      const size_t start = i;
      long value = 0;
      while (i < p_.size() && p_[i] >= '0' && p_[i] <= '9') value = std::min(value * 10 + (p_[i++] - '0'), 100000L);
      *out = static_cast<int>(value);
      return i > start;
    };
    if (!number(min)) return false;
    *max = *min;
    if (i < p_.size() && p_[i] == ',') {
      ++i;
      if (!number(max)) *max = -1;
    }
    if (i >= p_.size() || p_[i] != '}') return false;
    pos_ = i + 1;
    return true;
  }

  int ParseQuantifiers(int atom, bool bare_anchor) {
    int min = 0, max = 0;
    const char c = Peek();
    if (c == '*') min = 0, max = -1, ++pos_;
    else if (c == '+') min = 1, max = -1, ++pos_;
    else if (c == '?') min = 0, max = 1, ++pos_;
    else if (c != '{' || !ReadBraces(&min, &max)) return atom;
    if (bare_anchor) {
      Error("a quantifier cannot follow an anchor");
      return atom;
    }
    if (min > kMaxRegexRepeat || max > kMaxRegexRepeat) {
      Error("a counted repetition exceeds " + std::to_string(kMaxRegexRepeat));
      return atom;
    }
    if (max >= 0 && min > max) {
      Error("numbers out of order in {n,m}");
      return atom;
    }
    if (Peek() == '?') ++pos_;  // Lazy: the same texts match, and only match/no-match is asked.
    if (Peek() == '*' || Peek() == '+' || Peek() == '?' || (Peek() == '{' && ReadBraces(&min, &max))) {
      Error("nothing to repeat");
      return atom;
    }
    Node rep;
    rep.kind = Node::kRepeat;
    rep.min = min;
    rep.max = max;
    rep.kids.push_back(atom);
    return Add(std::move(rep));
  }

  int ParseAtom(size_t depth) {
    const auto c = static_cast<unsigned char>(p_[pos_++]);
    switch (c) {
      case '(': return ParseGroup(depth);
      case '[': return ParseClass();
      case '.': {
        CharSet set;
        set.Add('\n');
        set.Add('\r');
        set.Negate();
        return SetNode(set);
      }
      case '^': return Mark(Node::kBol);
      case '$': return Mark(Node::kEol);
      case '\\': return ParseEscape();
      case '*': case '+': case '?':
        --pos_;
        Error("nothing to repeat");
        return 0;
      case '{': {
        int min, max;
        --pos_;
        if (ReadBraces(&min, &max)) {
          Error("nothing to repeat");
          return 0;
        }
        ++pos_;
        return Literal(c);
      }
      default:
        if (c >= 0xC0) {  // The whole UTF-8 character, so a quantifier applies to all of it.
          Node seq;
          seq.kind = Node::kConcat;
          seq.kids.push_back(Literal(c));
          while (!AtEnd() && (static_cast<unsigned char>(Peek()) & 0xC0) == 0x80) {
            seq.kids.push_back(Literal(static_cast<unsigned char>(p_[pos_++])));
          }
          return Add(std::move(seq));
        }
        return Literal(c);
    }
  }

  int ParseGroup(size_t depth) {
    if (depth + 1 > kMaxRegexGroupDepth) {
      Error("groups nest deeper than " + std::to_string(kMaxRegexGroupDepth));
      return 0;
    }
    if (Peek() == '?') {
      if (Peek(1) == ':') {
        pos_ += 2;
      } else if (Peek(1) == '=' || Peek(1) == '!' || (Peek(1) == '<' && (Peek(2) == '=' || Peek(2) == '!'))) {
        Error("lookaround is not supported");
        return 0;
      } else if (Peek(1) == '<') {  // A named group: nothing is captured, so the name is skipped.
        const size_t close = p_.find('>', pos_);
        if (close == std::string_view::npos) {
          Error("unterminated group name");
          return 0;
        }
        pos_ = close + 1;
      } else {
        Error("unsupported group syntax (only (?:...), (?<name>...) and a leading (?i))");
        return 0;
      }
    }
    const int inner = ParseAlt(depth + 1);
    if (!error_.empty()) return 0;
    if (Peek() != ')' || AtEnd()) {
      Error("missing ')'");
      return 0;
    }
    ++pos_;
    return inner;
  }

  // An escape after the backslash: a code point (<0x110000) or, through *set, a class.
  // `in_class` changes \b (backspace there) and forbids non-ASCII code points.
  bool ReadEscape(bool in_class, uint32_t* cp, CharSet* set, bool* is_set) {
    *is_set = false;
    if (AtEnd()) {
      Error("trailing backslash");
      return false;
    }
    const auto c = static_cast<unsigned char>(p_[pos_++]);
    auto hex = [&](int digits) -> bool {
      uint32_t value = 0;
      for (int i = 0; i < digits; ++i) {
        const int h = HexValue(Peek());
        if (h < 0) {
          Error(std::string("\\") + static_cast<char>(c) + " needs " + std::to_string(digits) + " hex digits");
          return false;
        }
        value = value * 16 + static_cast<uint32_t>(h);
        ++pos_;
      }
      *cp = value;
      return true;
    };
    switch (c) {
      case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
        *set = ShorthandSet(static_cast<char>(c));
        *is_set = true;
        return true;
      case 't': *cp = '\t'; return true;
      case 'n': *cp = '\n'; return true;
      case 'r': *cp = '\r'; return true;
      case 'f': *cp = '\f'; return true;
      case 'v': *cp = '\v'; return true;
      case 'x': return hex(2);
      case 'u':
        if (!hex(4)) return false;
        if (*cp >= 0xD800 && *cp <= 0xDFFF) {
          Error("surrogate \\u escapes are not supported");
          return false;
        }
        return true;
      case '0':
        if (Peek() >= '0' && Peek() <= '9') {
          Error("octal escapes are not supported");
          return false;
        }
        *cp = 0;
        return true;
      default:
        break;
    }
    if (c == 'b' && in_class) {
      *cp = '\b';
      return true;
    }
    if (c >= '1' && c <= '9') {
      Error("backreferences are not supported");
      return false;
    }
    if (c == 'k') {
      Error("named backreferences are not supported");
      return false;
    }
    if (IsWordByte(c)) {
      Error(std::string("unknown escape \\") + static_cast<char>(c));
      return false;
    }
    *cp = c;  // An escaped punctuation character (or byte) stands for itself.
    return true;
  }

  int ParseEscape() {
    if (static_cast<unsigned char>(Peek()) >= 0x80) return ParseAtom(0);  // "\é" is "é", as in JS.
    if (Peek() == 'b' || Peek() == 'B') {
      return Mark(p_[pos_++] == 'b' ? Node::kWordB : Node::kNotWordB);
    }
    uint32_t cp = 0;
    CharSet set;
    bool is_set = false;
    if (!ReadEscape(false, &cp, &set, &is_set)) return 0;
    return is_set ? SetNode(set) : CodePoint(cp);
  }

  int ParseClass() {
    CharSet set;
    const bool negated = Peek() == '^';
    if (negated) ++pos_;
    // One member: a single ASCII character (*is_set false) or a shorthand set.
    auto member = [&](uint32_t* cp, CharSet* shorthand, bool* is_set) -> bool {
      *is_set = false;
      const auto c = static_cast<unsigned char>(p_[pos_++]);
      if (c == '\\') {
        if (!ReadEscape(true, cp, shorthand, is_set)) return false;
      } else {
        *cp = c;
      }
      if (!*is_set && *cp >= 0x80) {
        --pos_;
        Error("non-ASCII characters in a class are not supported (use alternation)");
        return false;
      }
      return true;
    };
    while (true) {
      if (AtEnd()) {
        Error("missing ']'");
        return 0;
      }
      if (Peek() == ']') {
        ++pos_;
        break;
      }
      uint32_t lo = 0, hi = 0;
      CharSet lo_set, hi_set;
      bool lo_is_set = false, hi_is_set = false;
      if (!member(&lo, &lo_set, &lo_is_set)) return 0;
      if (Peek() == '-' && Peek(1) != ']' && pos_ + 1 < p_.size()) {
        ++pos_;
        if (!member(&hi, &hi_set, &hi_is_set)) return 0;
        if (lo_is_set || hi_is_set) {  // As JS: [\d-z] is \d, '-' and 'z'.
          lo_is_set ? set.AddSet(lo_set) : set.Add(static_cast<unsigned char>(lo));
          hi_is_set ? set.AddSet(hi_set) : set.Add(static_cast<unsigned char>(hi));
          set.Add('-');
        } else if (lo > hi) {
          Error("range out of order in class");
          return 0;
        } else {
          set.AddRange(static_cast<unsigned char>(lo), static_cast<unsigned char>(hi));
        }
      } else {
        lo_is_set ? set.AddSet(lo_set) : set.Add(static_cast<unsigned char>(lo));
      }
    }
    if (icase_) set.FoldCase();  // Before negating, so [^a] with (?i) rejects 'A' too.
    if (negated) set.Negate();
    Node node;
    node.kind = Node::kSet;
    node.set = set;
    return Add(std::move(node));
  }

  std::string_view p_;
  bool icase_;
  size_t pos_ = 0;
  std::string error_;
  ParsedPattern out_;
};

}  // namespace

ParsedPattern ParsePattern(std::string_view pattern, bool ignore_case) {
  return Parser(pattern, ignore_case).Run();
}

}  // namespace parcours::rules::regex_internal
