// Campaign conditions: MongoDB-style queries over the context document, with the semantics of
// GrowthBook's evalCondition (so a rule written for GrowthBook means the same here; its
// evalCondition cases run in tests/native/growthbook_cases_test.cpp). A condition is
// compiled once, when the ruleset loads, into a flat node array that Matches walks without
// allocating, parsing or building strings.
//
// Operators: $eq $ne $lt $lte $gt $gte $in $nin $all $elemMatch $size $exists $type $regex
// $not $and $or $nor, the version comparisons $veq $vne $vgt $vgte $vlt $vlte, and
// GrowthBook's case-insensitive $ini $nini $alli $regexi. Keys that are not one of the four
// logical operators are dotted paths ("cart.items.0.name"): a numeric segment indexes an
// array, `length` of an array is its size, and anything missing reads as null, as in JS.
//
// Semantics worth knowing (all from GrowthBook, which compares the way JavaScript does):
//  - A plain value is an equality with JS coercion: {"n": "8"} matches 8, {"n": 0} matches a
//    missing n (null * 1 is 0), {"tags": "vip"} matches ["vip"] (String(["vip"]) is "vip").
//    An array or object value must be deep-equal (key order does not matter here).
//  - $lt/$lte/$gt/$gte compare strings with strings, everything else as numbers ("8" > 5);
//    a missing value compares as 0. $eq/$ne/$in/$nin are strict (no coercion).
//  - $in/$nin against an array attribute test the intersection; $all needs every listed
//    condition to match some element; $elemMatch takes a condition on elements (an operator
//    object) or a condition document over object elements; $size takes a number or condition.
//  - $regex uses BoundedRegex (syntax in bounded_regex.h) on String(value).
//  - Unknown operators and malformed operands (such as $in with a non-array, an invalid regex)
//    evaluate to false and are reported in warnings(); they never fail compilation.
// Known differences from GrowthBook's JS: strings compare by UTF-8 bytes (JS: UTF-16 units),
// case folding is ASCII-only, $elemMatch tests falsy elements (0, "", false) and skips only
// null (as newer GrowthBook SDKs do), and $inGroup/$notInGroup (saved groups) are unknown
// operators.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/error.h"
#include "parcours/json_access.h"
#include "parcours/rules/bounded_regex.h"

namespace parcours::rules {

// Logical nesting ($and/$or/$nor/$not, $elemMatch, $all, $size) a condition may use; the
// evaluator recurses once per level, so this bounds its stack use on the small WASM stack.
inline constexpr size_t kMaxConditionDepth = 16;
// Raw JSON nesting of a condition, literals included (each logical level costs up to two).
inline constexpr size_t kMaxConditionJsonDepth = 2 * kMaxConditionDepth + 8;
// Compiled nodes in one condition; a real one has a handful.
inline constexpr size_t kMaxConditionNodes = 1000;

// The dotted paths of every condition of a ruleset, numbered when it compiles, so that one
// evaluation resolves each distinct path once per document (PathCache) instead of once per
// campaign that reads it: 1,000 campaigns on "cart.value" walk the document once.
// Regexes are numbered the same way, by pattern and case flag, so that campaigns testing the
// same pattern on the same value run it once per evaluation (a shop's campaigns share a
// handful of URL patterns).
// Clauses (a path and the test on its value, `"user.tier": {"$in": [...]}`) are numbered by
// path and operand: a clause's result depends on nothing else, so campaigns repeating one
// (a shop's audience clauses) share its result within an evaluation, and a campaign whose
// shared clause already failed stops there without running its own.
class PathTable {
 public:
  // What a PathCache needs room for.
  struct Counts {
    size_t paths = 0, regexes = 0, clauses = 0;
  };

  uint32_t Intern(const std::string& dotted);
  size_t size() const { return ids_.size(); }
  uint32_t InternRegex(const std::string& pattern, bool ignore_case);
  size_t regex_count() const { return regex_ids_.size(); }
  // `operand` is the clause's value in canonical JSON (DumpJson of the condition's member).
  uint32_t InternClause(uint32_t path, const std::string& operand);
  size_t clause_count() const { return clause_ids_.size(); }
  // How many clauses InternClause numbered `clause`.
  uint32_t clause_uses(uint32_t clause) const { return clause < clause_uses_.size() ? clause_uses_[clause] : 0; }
  Counts counts() const { return {size(), regex_count(), clause_count()}; }

 private:
  std::map<std::string, uint32_t, std::less<>> ids_;
  std::map<std::string, uint32_t, std::less<>> regex_ids_;
  std::map<std::string, uint32_t, std::less<>> clause_ids_;
  std::vector<uint32_t> clause_uses_;
};

// A document whose top-level members are built on demand: a path read from the root starts
// at the member its first segment names, so an evaluation builds only the members (the
// context document's sections: cart, user...) its conditions actually read.
class SectionSource {
 public:
  // The member `name` of the root, built on first use; null when the root has none. The
  // value must stay alive and unchanged while the PathCache using it is in use.
  virtual const Json* Section(std::string_view name) = 0;
  // The member `key` of section `name`, when the source can give it without building the
  // section (a counter it keeps, a value it holds as JSON already); then *answered is true
  // and the result is what Section(name)'s member `key` would be (null when absent), alive
  // as long as Section's. Paths of two or more segments ask here first.
  virtual const Json* Member(std::string_view name, std::string_view key, bool* answered) {
    (void)name;
    (void)key;
    *answered = false;
    return nullptr;
  }

 protected:
  ~SectionSource() = default;
};

// The values PathTable paths resolve to in one document, filled as conditions read them.
// Only paths read from `root` itself are cached (not those under $elemMatch, which are
// relative to elements); the document must stay alive and unchanged while this is in use.
// With `sections`, paths read from `root` start at sections->Section(first segment) and
// `root` only identifies the document (it may be an empty placeholder). `counts` (the
// PathTable's) sizes the slots and the memos of regex and clause results in this document.
class PathCache {
 public:
  void Reset(const Json* root, const PathTable::Counts& counts, SectionSource* sections = nullptr) {
    root_ = root;
    sections_ = sections;
    slots_.assign(counts.paths, Slot());
    regexes_.assign(counts.regexes, RegexMemo());
    clauses_.assign(counts.clauses, kUnknown);
  }
  const Json* root() const { return root_; }
  // Whether one of `clauses` (PathTable clause ids) already failed in `doc`.
  bool AnyFailed(const std::vector<uint32_t>& clauses, const Json& doc) const {
    if (&doc != root_) return false;
    for (uint32_t clause : clauses) {
      if (clause < clauses_.size() && clauses_[clause] == kFailed) return true;
    }
    return false;
  }
  // How many clause results this document has settled (for tests).
  size_t SettledClauses() const {
    size_t settled = 0;
    for (uint8_t result : clauses_) settled += result != kUnknown;
    return settled;
  }

 private:
  friend class ConditionEvaluator;
  struct Slot {
    const Json* value = nullptr;  // null: absent
    bool resolved = false;
    Json length;  // `length` of an array, when the path ends with it
  };
  struct RegexMemo {
    const Json* value = nullptr;  // the slot value the regex last ran on
    bool result = false;
  };
  enum : uint8_t { kUnknown, kFailed, kPassed };
  const Json* root_ = nullptr;
  SectionSource* sections_ = nullptr;
  std::vector<Slot> slots_;
  std::vector<RegexMemo> regexes_;
  std::vector<uint8_t> clauses_;  // by PathTable clause id: kUnknown, kFailed or kPassed
};

class Condition {
 public:
  // Fails only on structural limits, with kInvalidCondition naming the dotted path of the
  // offending clause: a non-object condition, nesting deeper than kMaxConditionDepth (or
  // kMaxConditionJsonDepth), more than kMaxConditionNodes nodes, a regex pattern longer than
  // kMaxRegexPatternBytes.
  // With `paths`, the condition's paths are also numbered in that ruleset-wide table, so
  // Matches can share resolved values through a PathCache.
  static Result<Condition> Compile(const Json& condition, PathTable* paths = nullptr);

  bool Matches(const Json& doc) const;
  // Same; on false, when why_not is not null, writes a short explanation of the first failing
  // clause, e.g. `cart.value $gte 50 failed (value: 32.5)` or `user.traits.vip missing`.
  // `cache`, when not null, holds paths resolved in `doc` (PathTable ids from Compile); it
  // changes only the cost, never the result.
  bool Matches(const Json& doc, std::string* why_not, PathCache* cache = nullptr) const {
    if (nodes_.empty()) return true;
    // Most candidates of a large ruleset end here: a clause they share already failed.
    if (cache && !why_not && cache->AnyFailed(root_clauses_, doc)) return false;
    return MatchesNodes(doc, why_not, cache);
  }

  // Once the whole ruleset compiled with `paths`: the root clauses that most conditions share
  // are checked first for a settled failure, as they are the likeliest to have one.
  void CheckSharedFirst(const PathTable& paths);

  // Invalid regexes, unknown operators and malformed operands, each with its dotted path.
  const std::vector<std::string>& warnings() const { return warnings_; }
  size_t NodeCount() const { return nodes_.size(); }
  bool empty() const { return nodes_.empty(); }  // matches everything

  Condition() = default;  // Matches everything.

 private:
  friend class ConditionCompiler;
  friend class ConditionEvaluator;

  bool MatchesNodes(const Json& doc, std::string* why_not, PathCache* cache) const;

  enum class Kind : uint8_t {
    // Over a document: children are document nodes (kPath's child is a value node).
    kAllOf, kAnyOf, kNoneOf, kNotDoc, kPath, kFalse,
    // Over one value (a missing value is null).
    kValueAll, kEqString, kEqNumber, kEqBool, kEqNull, kEqJson, kStrictEq, kStrictNe, kCompare,
    kExists, kIn, kNin, kAll, kElemMatchValue, kElemMatchDoc, kSize, kType, kRegex, kNotValue,
    kVersion, kNever,
  };
  struct Node {
    Kind kind = Kind::kFalse;
    uint8_t aux = 0;       // Comparison, type id, or a boolean operand.
    bool flag = false;     // kEqString: `number` holds its numeric form; kCompare: operand is a string.
    bool icase = false;    // kEqString, kIn, kNin: ASCII case-insensitive.
    uint32_t payload = 0;  // Index into strings_, literals_, regexes_, in_lists_ or paths_.
    uint32_t first = 0;    // Children: child_ids_[first, first + count).
    uint32_t count = 0;
    uint32_t label = 0;    // Index into labels_, for explanations.
    double number = 0;
  };
  struct Segment {
    std::string key;
    int64_t index = -1;  // The array index the key names, or -1 when it names none.
  };
  struct Path {
    uint32_t first = 0, count = 0;  // segments_[first, first + count): one array for all paths.
    uint32_t shared = UINT32_MAX;   // PathTable id, when compiled with one.
    uint32_t clause = UINT32_MAX;   // PathTable clause id of the path and its value test.
  };
  struct InList {
    std::vector<std::string> strings;  // Sorted (lowercased when case-insensitive).
    std::vector<double> numbers;       // Sorted.
    bool has_null = false, has_true = false, has_false = false;
  };

  std::vector<Node> nodes_;  // nodes_[0] is the root when not empty.
  std::vector<uint32_t> child_ids_;
  std::vector<std::string> strings_;
  std::vector<Json> literals_;
  std::vector<BoundedRegex> regexes_;
  std::vector<uint32_t> regex_ids_;  // PathTable regex ids, parallel to regexes_ (UINT32_MAX: none)
  std::vector<InList> in_lists_;
  std::vector<Path> paths_;
  std::vector<Segment> segments_;
  // The PathTable clause ids of the root's path clauses, which all must pass.
  std::vector<uint32_t> root_clauses_;
  std::vector<std::string> labels_;
  std::vector<std::string> warnings_;
};

}  // namespace parcours::rules
