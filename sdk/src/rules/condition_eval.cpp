// Evaluates a compiled Condition against a document, and explains the first failing clause
// for debug mode. Matching allocates nothing in the common cases (paths, numbers, strings,
// $in, regexes on strings); recursion follows the compiled nesting, capped at compile time.
#include <algorithm>
#include <cmath>
#include <string>

#include "condition_js.h"
#include "parcours/rules/condition.h"

namespace parcours::rules {
namespace {

const Json kNull;  // What a missing path reads as, like GrowthBook's getPath.
constexpr const char* kTypeNames[] = {"null", "array", "string", "number", "boolean", "object"};

// A map key for std::map's transparent find (nlohmann's object_t compares with std::less<>).
struct ProbeKey {
  std::string_view text;
};
inline int CompareKeys(std::string_view a, std::string_view b) {
  if (!a.empty() && !b.empty() && a[0] != b[0]) {
    return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]) ? -1 : 1;
  }
  return a.compare(b);
}
inline bool operator<(const std::string& a, const ProbeKey& b) { return CompareKeys(a, b.text) < 0; }
inline bool operator<(const ProbeKey& a, const std::string& b) { return CompareKeys(a.text, b) < 0; }

// Scratch for the rare values that must become strings (regexes on numbers, arrays compared
// with strings, versions): reused, so repeated evaluations stop allocating.
std::string& Scratch() {
  thread_local std::string scratch;
  scratch.clear();
  return scratch;
}

}  // namespace

class ConditionEvaluator {
 public:
  ConditionEvaluator(const Condition& condition, PathCache* cache) : c_(condition), cache_(cache) {}

  bool Doc(uint32_t id, const Json& doc) const {
    const Condition::Node& node = c_.nodes_[id];
    switch (node.kind) {
      case Condition::Kind::kAllOf:
        // Outside explain mode, Matches checked the root's (root_clauses_).
        if (id != 0 && SettledFailure(node, doc)) return false;
        for (uint32_t i = 0; i < node.count; ++i) {
          if (!Clause(Child(node, i), doc)) return false;
        }
        return true;
      case Condition::Kind::kAnyOf:
      case Condition::Kind::kNoneOf: {
        bool any = node.count == 0;  // GrowthBook: an empty $or passes, so an empty $nor fails.
        for (uint32_t i = 0; i < node.count && !any; ++i) any = Clause(Child(node, i), doc);
        return node.kind == Condition::Kind::kAnyOf ? any : !any;
      }
      case Condition::Kind::kNotDoc: return !Clause(Child(node, 0), doc);
      case Condition::Kind::kPath: return Path(node, doc);
      default: return false;
    }
  }

  // A document clause. Most are paths: those skip a trip through Doc's switch.
  bool Clause(uint32_t id, const Json& doc) const {
    const Condition::Node& node = c_.nodes_[id];
    return node.kind == Condition::Kind::kPath ? Path(node, doc) : Doc(id, doc);
  }

  bool Path(const Condition::Node& node, const Json& doc) const {
    if (const PathCache::Slot* slot = Cached(node.payload, doc)) {
      const uint32_t clause = c_.paths_[node.payload].clause;
      uint8_t* settled = clause < cache_->clauses_.size() ? &cache_->clauses_[clause] : nullptr;
      if (settled && *settled != PathCache::kUnknown) return *settled == PathCache::kPassed;
      stable_ = slot->value;  // lives as long as the cache: regex results on it can be memoized
      const bool passed = Test(Child(node, 0), slot->value ? *slot->value : kNull);
      if (settled) *settled = passed ? PathCache::kPassed : PathCache::kFailed;
      return passed;
    }
    Json scratch;
    const Json* value = Resolve(c_.paths_[node.payload], doc, &scratch);
    return Test(Child(node, 0), value ? *value : kNull);
  }

  // Value, with the commonest clause (a number compared with a number) answered here rather
  // than through Value's large switch.
  bool Test(uint32_t id, const Json& value) const {
    const Condition::Node& node = c_.nodes_[id];
    if (node.kind == Condition::Kind::kCompare && value.is_number()) {
      return js::Ordered(node.aux, js::NumberOf(value), node.number);
    }
    return Value(id, value);
  }

  bool Value(uint32_t id, const Json& value) const {
    const Condition::Node& node = c_.nodes_[id];
    switch (node.kind) {
      case Condition::Kind::kValueAll:
        for (uint32_t i = 0; i < node.count; ++i) {
          if (!Value(Child(node, i), value)) return false;
        }
        return true;
      case Condition::Kind::kEqString: return EqualsString(node, value);
      case Condition::Kind::kEqNumber: return js::ToNumber(value) == node.number;
      case Condition::Kind::kEqBool: return !value.is_null() && js::Truthy(value) == (node.aux != 0);
      case Condition::Kind::kEqNull: return value.is_null();
      case Condition::Kind::kEqJson: return value == c_.literals_[node.payload];
      case Condition::Kind::kStrictEq: return js::StrictEquals(value, c_.literals_[node.payload]);
      case Condition::Kind::kStrictNe: return !js::StrictEquals(value, c_.literals_[node.payload]);
      case Condition::Kind::kCompare: return Compare(node, value);
      case Condition::Kind::kExists: return value.is_null() != (node.aux != 0);
      case Condition::Kind::kIn:
      case Condition::Kind::kNin: {
        const Condition::InList& list = c_.in_lists_[node.payload];
        bool found = false;
        if (value.is_array()) {  // GrowthBook: an array attribute matches on any common element.
          for (const Json& element : value) {
            if ((found = InList(list, element, node.icase))) break;
          }
        } else {
          found = InList(list, value, node.icase);
        }
        return found == (node.kind == Condition::Kind::kIn);
      }
      case Condition::Kind::kAll:
        if (!value.is_array()) return false;
        for (uint32_t i = 0; i < node.count; ++i) {
          bool some = false;
          for (const Json& element : value) {
            if ((some = Value(Child(node, i), element))) break;
          }
          if (!some) return false;
        }
        return true;
      case Condition::Kind::kElemMatchValue:
      case Condition::Kind::kElemMatchDoc:
        if (!value.is_array()) return false;
        for (const Json& element : value) {
          if (element.is_null()) continue;
          if (node.kind == Condition::Kind::kElemMatchValue ? Value(Child(node, 0), element)
                                                            : Doc(Child(node, 0), element)) {
            return true;
          }
        }
        return false;
      case Condition::Kind::kSize: {
        if (!value.is_array()) return false;
        const Json size(static_cast<uint64_t>(value.size()));
        return Value(Child(node, 0), size);
      }
      case Condition::Kind::kType: return std::string_view(js::TypeName(value)) == kTypeNames[node.aux];
      case Condition::Kind::kRegex: {
        // The same pattern on the same document value gives the same answer: memoized per
        // evaluation for values read through the cache. A value's address identifies it while
        // the cache lives, as no temporary can share the address of a live document value.
        const uint32_t shared = c_.regex_ids_[node.payload];
        PathCache::RegexMemo* memo =
            cache_ && shared < cache_->regexes_.size() ? &cache_->regexes_[shared] : nullptr;
        if (memo && memo->value == &value) return memo->result;
        const BoundedRegex& regex = c_.regexes_[node.payload];
        bool found;
        if (value.is_string()) {
          found = regex.Search(*value.get_ptr<const std::string*>());
        } else {
          std::string& text = Scratch();  // RegExp.test(String(value)), as GrowthBook does.
          js::AppendString(value, &text);
          found = regex.Search(text);
        }
        if (memo && &value == stable_) *memo = {&value, found};
        return found;
      }
      case Condition::Kind::kNotValue: return !Value(Child(node, 0), value);
      case Condition::Kind::kVersion: {
        std::string& padded = Scratch();
        js::PaddedVersion(value, &padded);
        const int order = padded.compare(c_.strings_[node.payload]);
        switch (node.aux) {
          case 0: return order == 0;
          case 1: return order != 0;
          case 2: return order > 0;
          case 3: return order >= 0;
          case 4: return order < 0;
          default: return order <= 0;
        }
      }
      default: return false;
    }
  }

  void ExplainDoc(uint32_t id, const Json& doc, std::string* out) const {
    const Condition::Node& node = c_.nodes_[id];
    const std::string& label = c_.labels_[node.label];
    switch (node.kind) {
      case Condition::Kind::kAllOf:
        for (uint32_t i = 0; i < node.count; ++i) {
          if (!Doc(Child(node, i), doc)) return ExplainDoc(Child(node, i), doc, out);
        }
        return;
      case Condition::Kind::kAnyOf:
        *out = "no clause of " + label + " matched";
        if (node.count > 0) {
          std::string first;
          ExplainDoc(Child(node, 0), doc, &first);
          *out += " (first: " + first + ")";
        }
        return;
      case Condition::Kind::kNoneOf:
        for (uint32_t i = 0; i < node.count; ++i) {
          if (Doc(Child(node, i), doc)) {
            *out = "clause " + std::to_string(i) + " of " + label + " matched";
            return;
          }
        }
        *out = label + " has no clauses, so it never matches";
        return;
      case Condition::Kind::kNotDoc: *out = "the condition under " + label + " matched"; return;
      case Condition::Kind::kPath: {
        Json scratch;
        const PathCache::Slot* slot = Cached(node.payload, doc);
        const Json* value = slot ? slot->value : Resolve(c_.paths_[node.payload], doc, &scratch);
        if (!value) {
          *out = label + " missing";
          return;
        }
        return ExplainValue(Child(node, 0), *value, label, out);
      }
      default: *out = label; return;
    }
  }

 private:
  // SameValueZero membership, as JS's Array.prototype.includes (case-folded for $ini).
  static bool InList(const Condition::InList& list, const Json& value, bool icase) {
    switch (value.type()) {
      case Json::value_t::string: {
        const std::string& text = *value.get_ptr<const std::string*>();
        if (!icase) return std::binary_search(list.strings.begin(), list.strings.end(), text);
        auto it = std::lower_bound(list.strings.begin(), list.strings.end(), text,
                                   [](const std::string& stored, const std::string& t) { return js::CompareLowered(stored, t) < 0; });
        return it != list.strings.end() && js::CompareLowered(*it, text) == 0;
      }
      case Json::value_t::boolean: return value.get<bool>() ? list.has_true : list.has_false;
      case Json::value_t::null: return list.has_null;
      case Json::value_t::array:
      case Json::value_t::object: return false;
      default: return std::binary_search(list.numbers.begin(), list.numbers.end(), js::NumberOf(value));
    }
  }

  uint32_t Child(const Condition::Node& node, uint32_t i) const { return c_.child_ids_[node.first + i]; }

  // Whether a clause of this $and already failed in the cache's document (another condition
  // shares it): then the $and fails without running its other clauses. A condition is pure,
  // so which failing clause ends an $and never changes its result; explanations walk the
  // clauses in order on their own.
  bool SettledFailure(const Condition::Node& node, const Json& doc) const {
    if (!cache_ || &doc != cache_->root_ || cache_->clauses_.empty()) return false;
    for (uint32_t i = 0; i < node.count; ++i) {
      const Condition::Node& child = c_.nodes_[Child(node, i)];
      if (child.kind != Condition::Kind::kPath) continue;
      const uint32_t clause = c_.paths_[child.payload].clause;
      if (clause < cache_->clauses_.size() && cache_->clauses_[clause] == PathCache::kFailed) return true;
    }
    return false;
  }

  // The cache's slot for a path read from the cache's own document, resolved on first use;
  // null when there is no cache or `doc` is another one (an $elemMatch element).
  const PathCache::Slot* Cached(uint32_t path_id, const Json& doc) const {
    const Condition::Path& path = c_.paths_[path_id];
    if (!cache_ || &doc != cache_->root_ || path.shared >= cache_->slots_.size()) return nullptr;
    PathCache::Slot& slot = cache_->slots_[path.shared];
    if (!slot.resolved) {
      slot.value = Resolve(path, doc, &slot.length);
      slot.resolved = true;
    }
    return &slot;
  }

  // GrowthBook's getPath: objects by key, arrays by canonical index (and `length`); anything
  // else, or a missing key, ends the walk with nothing.
  // A path read from a cache's sectioned root starts at the section its first segment names.
  const Json* Resolve(const Condition::Path& path, const Json& doc, Json* scratch) const {
    const Json* current = &doc;
    uint32_t i = 0;
    if (cache_ && cache_->sections_ && &doc == cache_->root_ && path.count > 0) {
      const std::string& name = c_.segments_[path.first].key;
      bool answered = false;
      if (path.count > 1) {
        current = cache_->sections_->Member(name, c_.segments_[path.first + 1].key, &answered);
        i = 2;
      }
      if (!answered) {
        current = cache_->sections_->Section(name);
        i = 1;
      }
      if (!current) return nullptr;
    }
    for (; i < path.count; ++i) {
      const Condition::Segment& segment = c_.segments_[path.first + i];
      if (current->is_object()) {
        // The std::map directly (nlohmann's iterators are heavy to build), probed with a key
        // whose comparison settles most probes on the first byte instead of calling memcmp.
        const auto& members = *current->get_ptr<const Json::object_t*>();
        const auto it = members.find(ProbeKey{segment.key});
        if (it == members.end()) return nullptr;
        current = &it->second;
      } else if (current->is_array()) {
        if (segment.index >= 0 && static_cast<size_t>(segment.index) < current->size()) {
          current = &(*current)[static_cast<size_t>(segment.index)];
        } else if (segment.key == "length") {
          *scratch = Json(static_cast<uint64_t>(current->size()));
          current = scratch;
        } else {
          return nullptr;
        }
      } else {
        return nullptr;
      }
    }
    return current;
  }

  // value + "" === text (String(value).toLowerCase() === text for the case-insensitive form).
  bool EqualsString(const Condition::Node& node, const Json& value) const {
    const std::string& text = c_.strings_[node.payload];
    switch (value.type()) {
      case Json::value_t::string: {
        const std::string& actual = *value.get_ptr<const std::string*>();
        return node.icase ? actual.size() == text.size() && js::CompareLowered(text, actual) == 0 : actual == text;
      }
      case Json::value_t::boolean: return text == (value.get<bool>() ? "true" : "false");
      case Json::value_t::null: return text == "null";
      case Json::value_t::array:
      case Json::value_t::object: return js::StringEquals(value, text, node.icase);
      default: return node.flag && js::NumberOf(value) == node.number;
    }
  }

  // JS's relational comparison: string with string by code units, anything else as numbers.
  bool Compare(const Condition::Node& node, const Json& value) const {
    if (value.is_number()) return js::Ordered(node.aux, js::NumberOf(value), node.number);  // The usual case.
    const std::string* actual = value.get_ptr<const std::string*>();
    if (value.is_array() || value.is_object()) {
      std::string& text = Scratch();
      js::AppendString(value, &text);
      actual = &text;
    }
    if (actual && node.flag) {
      const int order = actual->compare(c_.strings_[node.payload]);
      return js::Ordered(node.aux, order, 0);
    }
    const double x = actual ? js::StringToNumber(*actual) : js::ToNumber(value);
    return js::Ordered(node.aux, x, node.number);
  }

  void ExplainValue(uint32_t id, const Json& value, const std::string& path, std::string* out) const {
    const Condition::Node& node = c_.nodes_[id];
    if (node.kind == Condition::Kind::kValueAll) {
      for (uint32_t i = 0; i < node.count; ++i) {
        if (!Value(Child(node, i), value)) return ExplainValue(Child(node, i), value, path, out);
      }
      return;
    }
    std::string shown = DumpJson(value);
    if (shown.size() > 60) {
      size_t cut = 60;
      while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
      shown = shown.substr(0, cut) + "...";
    }
    *out = path + " " + c_.labels_[node.label] + " failed (value: " + shown + ")";
  }

  const Condition& c_;
  PathCache* cache_;
  mutable const Json* stable_ = nullptr;  // the last value read from a cache slot
};

bool Condition::Matches(const Json& doc) const {
  return nodes_.empty() || ConditionEvaluator(*this, nullptr).Doc(0, doc);
}

bool Condition::MatchesNodes(const Json& doc, std::string* why_not, PathCache* cache) const {
  const ConditionEvaluator evaluator(*this, cache);
  if (evaluator.Doc(0, doc)) return true;
  if (why_not) {
    why_not->clear();
    evaluator.ExplainDoc(0, doc, why_not);
  }
  return false;
}

}  // namespace parcours::rules
