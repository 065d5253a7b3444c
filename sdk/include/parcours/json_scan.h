// A validating JSON scanner for the track path: it walks the input text once, checks it is
// JSON (as strictly as nlohmann's parser: UTF-8, escapes, surrogate pairs, finite numbers)
// and hands back spans, so properties are copied through as validated text instead of being
// built into a DOM and dumped again. nlohmann stays for everything else (config, storage).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parcours {

enum class JsonKind : char { kNull, kBool, kNumber, kString, kArray, kObject };

struct ScannedValue {
  JsonKind kind = JsonKind::kNull;
  // A string with a backslash: only then does its text differ from what is between the
  // quotes. The scanner sees it on the way, which spares every reader a search for one.
  bool escaped = false;
  std::string_view raw;  // The value's text, quotes and brackets included.
};

// Reads one JSON text member by member. Every method returns false on malformed input and
// leaves the cursor failed; nothing recurses, so hostile nesting cannot exhaust the stack.
class JsonCursor {
 public:
  explicit JsonCursor(std::string_view text) : text_(text) {}

  // Expects '{' (after whitespace). Then call NextMember until it returns false.
  bool BeginObject();
  // The next member's key (raw: between the quotes, escapes not decoded) and positions the
  // cursor on its value; false at the closing brace (check ok()) or on malformed input.
  bool NextMember(std::string_view* raw_key);
  bool BeginArray();
  // Positions the cursor on the next element; false at the closing bracket or on error.
  bool NextElement();
  // Scans the value under the cursor; `depth` gets its nesting (0 for scalars, 1 for {}).
  bool Value(ScannedValue* out, size_t* depth = nullptr);
  // The next character after whitespace, '\0' at the end: what kind of value comes.
  char Peek();
  // True when only whitespace remains.
  bool AtEnd();

  bool ok() const { return ok_; }
  // Whether the last key NextMember read had escapes (its raw text is then not its name).
  bool key_escaped() const { return escaped_; }
  size_t position() const { return pos_; }

 private:
  bool Fail() { return ok_ = false; }
  size_t SpaceEnd(size_t pos) const;
  void SkipSpace();
  bool Expect(char c);
  bool String();
  bool Number();
  bool Literal(std::string_view word);
  // After a member or element: ',' continues (true), `close` ends (false, ok).
  bool Continue(char close);

  std::string_view text_;
  size_t pos_ = 0;
  bool ok_ = true;
  bool escaped_ = false;  // The last string String() read had an escape.
  // Per open container: whether its first member/element has been read.
  std::vector<bool> started_;
};

// The decoded content of a scanned JSON string (quotes included in `raw`).
bool DecodeJsonString(std::string_view raw, std::string* out);
// A scanned string's content: a view between its quotes, or, when it has escapes, decoded
// into `scratch`.
inline std::string_view StringText(const ScannedValue& value, std::string* scratch) {
  if (!value.escaped) return value.raw.substr(1, value.raw.size() - 2);
  DecodeJsonString(value.raw, scratch);
  return *scratch;
}
// The value of a scanned JSON number.
double JsonNumber(std::string_view raw);

}  // namespace parcours
