// Compiles a condition document into Condition's flat node array, once per ruleset load:
// paths are split into segments, regexes compiled, $in lists sorted, and every JS coercion
// that depends only on the condition (String/Number of its operands) is done here.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "condition_js.h"
#include "parcours/rules/condition.h"

namespace parcours::rules {
namespace {

// Explanations and warnings quote operands; long ones are cut (at a character boundary).
std::string Short(const Json& value) {
  std::string text = DumpJson(value);
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) return text;
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

std::string Join(const std::string& at, const std::string& key) { return at.empty() ? key : at + "." + key; }

// GrowthBook's isOperatorObject: non-empty, and every key starts with '$'.
bool IsOperatorObject(const Json& value) {
  if (!value.is_object() || value.empty()) return false;
  for (const auto& item : value.items()) {
    if (item.key().empty() || item.key()[0] != '$') return false;
  }
  return true;
}

std::string LowerAscii(std::string text) {
  for (char& c : text) c = static_cast<char>(js::Lower(static_cast<unsigned char>(c)));
  return text;
}

constexpr const char* kComparisons[] = {"$lt", "$lte", "$gt", "$gte"};
constexpr const char* kVersionOps[] = {"$veq", "$vne", "$vgt", "$vgte", "$vlt", "$vlte"};
constexpr const char* kTypeNames[] = {"null", "array", "string", "number", "boolean", "object"};

template <size_t N>
int IndexOf(const char* const (&names)[N], const std::string& name) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

class ConditionCompiler {
 public:
  ConditionCompiler(Condition* out, PathTable* table) : c_(*out), table_(table) {}

  std::optional<Error> error;

  // A condition document (keys are paths or $and/$or/$nor/$not). Returns its node index.
  uint32_t Doc(const Json& condition, size_t depth, const std::string& at) {
    if (!Deeper(depth, at)) return 0;
    if (!condition.is_object()) return Malformed(at, "a condition must be an object");
    const uint32_t node = NewNode(Condition::Kind::kAllOf, at);
    std::vector<uint32_t> kids;
    for (const auto& item : condition.items()) {
      if (error) return 0;
      const std::string& key = item.key();
      const Json& value = item.value();
      const std::string here = Join(at, key);
      if (key == "$and" || key == "$or" || key == "$nor") {
        if (!value.is_array()) {
          kids.push_back(Malformed(here, key + " needs an array of conditions"));
          continue;
        }
        const uint32_t logical = NewNode(key == "$and"   ? Condition::Kind::kAllOf
                                         : key == "$or" ? Condition::Kind::kAnyOf
                                                        : Condition::Kind::kNoneOf,
                                         here);
        std::vector<uint32_t> clauses;
        size_t i = 0;
        for (const Json& clause : value) clauses.push_back(Doc(clause, depth + 1, Join(here, std::to_string(i++))));
        SetChildren(logical, clauses);
        kids.push_back(logical);
      } else if (key == "$not") {
        if (!value.is_object()) {
          kids.push_back(Malformed(here, "$not needs a condition object"));
          continue;
        }
        const uint32_t negation = NewNode(Condition::Kind::kNotDoc, here);
        SetChildren(negation, {Doc(value, depth + 1, here)});
        kids.push_back(negation);
      } else {
        const uint32_t path = NewNode(Condition::Kind::kPath, key);
        const uint32_t payload = AddPath(key);
        c_.nodes_[path].payload = payload;
        SetChildren(path, {Value(value, depth, here, false)});
        // The clause's result depends only on the path's value and this operand: shared by
        // every condition with the same pair.
        if (table_ && !error) c_.paths_[payload].clause = table_->InternClause(c_.paths_[payload].shared, DumpJson(value));
        kids.push_back(path);
      }
    }
    SetChildren(node, kids);
    return node;
  }

 private:
  using Kind = Condition::Kind;

  bool Deeper(size_t depth, const std::string& at) {
    if (depth <= kMaxConditionDepth) return true;
    Fail(at, "nested deeper than " + std::to_string(kMaxConditionDepth) + " levels");
    return false;
  }
  void Fail(const std::string& at, const std::string& why) {
    if (!error) error = MakeError(ErrorCode::kInvalidCondition, "condition " + (at.empty() ? "" : "at " + at + " ") + why, at);
  }
  void Warn(const std::string& at, const std::string& why) { c_.warnings_.push_back((at.empty() ? "" : at + ": ") + why); }

  uint32_t NewNode(Kind kind, std::string label) {
    if (c_.nodes_.size() >= kMaxConditionNodes) {
      Fail("", "has more than " + std::to_string(kMaxConditionNodes) + " clauses");
      if (c_.nodes_.empty()) c_.nodes_.emplace_back();
      return 0;
    }
    Condition::Node node;
    node.kind = kind;
    node.label = static_cast<uint32_t>(c_.labels_.size());
    c_.labels_.push_back(std::move(label));
    c_.nodes_.push_back(node);
    return static_cast<uint32_t>(c_.nodes_.size() - 1);
  }
  void SetChildren(uint32_t node, const std::vector<uint32_t>& kids) {
    if (error) return;
    c_.nodes_[node].first = static_cast<uint32_t>(c_.child_ids_.size());
    c_.nodes_[node].count = static_cast<uint32_t>(kids.size());
    c_.child_ids_.insert(c_.child_ids_.end(), kids.begin(), kids.end());
  }
  // A clause that cannot be evaluated: false, with a warning.
  uint32_t Malformed(const std::string& at, const std::string& why) {
    Warn(at, why + " (evaluates to false)");
    return NewNode(Kind::kFalse, at + " is malformed");
  }
  uint32_t Never(const std::string& at, const std::string& why, std::string label) {
    Warn(at, why + " (evaluates to false)");
    return NewNode(Kind::kNever, std::move(label));
  }
  uint32_t AddString(std::string text) {
    c_.strings_.push_back(std::move(text));
    return static_cast<uint32_t>(c_.strings_.size() - 1);
  }
  uint32_t AddPath(const std::string& dotted) {
    Condition::Path path;
    path.first = static_cast<uint32_t>(c_.segments_.size());
    size_t start = 0;
    while (true) {
      const size_t dot = dotted.find('.', start);
      Condition::Segment segment;
      segment.key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      // Only canonical indexes name an element, as with JS's `"01" in array` (false).
      const std::string& k = segment.key;
      if (!k.empty() && k.size() <= 9 && std::all_of(k.begin(), k.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
          (k.size() == 1 || k[0] != '0')) {
        segment.index = 0;
        for (char c : k) segment.index = segment.index * 10 + (c - '0');
      }
      c_.segments_.push_back(std::move(segment));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    path.count = static_cast<uint32_t>(c_.segments_.size() - path.first);
    if (table_) path.shared = table_->Intern(dotted);
    c_.paths_.push_back(path);
    return static_cast<uint32_t>(c_.paths_.size() - 1);
  }

  // A condition on one value: a literal (equality with coercion) or an operator object.
  uint32_t Value(const Json& condition, size_t depth, const std::string& at, bool icase) {
    if (error) return 0;
    const std::string label = "== " + Short(condition);
    if (condition.is_string()) {
      const uint32_t node = NewNode(Kind::kEqString, label);
      Condition::Node& n = c_.nodes_[node];
      const std::string& text = *condition.get_ptr<const std::string*>();
      n.icase = icase;
      n.payload = AddString(icase ? LowerAscii(text) : text);
      // String(number) === text holds for exactly one number when text is how JS prints it.
      const double number = js::StringToNumber(text);
      char printed[32];
      if (std::isfinite(number)) {
        const std::string form(printed, js::FormatNumber(number, printed));
        n.flag = icase ? LowerAscii(form) == c_.strings_[n.payload] : form == text;
        n.number = number;
      }
      return node;
    }
    if (condition.is_number()) {
      const uint32_t node = NewNode(Kind::kEqNumber, label);
      c_.nodes_[node].number = js::NumberOf(condition);
      return node;
    }
    if (condition.is_boolean()) {
      const uint32_t node = NewNode(Kind::kEqBool, label);
      c_.nodes_[node].aux = condition.get<bool>();
      return node;
    }
    if (condition.is_null()) return NewNode(Kind::kEqNull, label);
    if (!IsOperatorObject(condition)) {
      const uint32_t node = NewNode(Kind::kEqJson, label);
      c_.nodes_[node].payload = static_cast<uint32_t>(c_.literals_.size());
      c_.literals_.push_back(condition);
      return node;
    }
    if (condition.size() == 1) {  // The common case needs no conjunction node.
      const auto item = condition.items().begin();
      return Operator(item.key(), item.value(), depth, Join(at, item.key()));
    }
    const uint32_t node = NewNode(Kind::kValueAll, at);
    std::vector<uint32_t> kids;
    for (const auto& item : condition.items()) kids.push_back(Operator(item.key(), item.value(), depth, Join(at, item.key())));
    SetChildren(node, kids);
    return node;
  }

  uint32_t Operator(const std::string& op, const Json& arg, size_t depth, const std::string& at) {
    if (error) return 0;
    const std::string label = op + " " + Short(arg);
    if (op == "$eq" || op == "$ne") {
      const uint32_t node = NewNode(op == "$eq" ? Kind::kStrictEq : Kind::kStrictNe, label);
      c_.nodes_[node].payload = static_cast<uint32_t>(c_.literals_.size());
      c_.literals_.push_back(arg);
      return node;
    }
    if (const int which = IndexOf(kComparisons, op); which >= 0) {
      const uint32_t node = NewNode(Kind::kCompare, label);
      Condition::Node& n = c_.nodes_[node];
      n.aux = static_cast<uint8_t>(which);
      // JS ToPrimitive: arrays and objects compare through their strings.
      n.flag = arg.is_string() || arg.is_array() || arg.is_object();
      if (n.flag) {
        std::string text;
        js::AppendString(arg, &text);
        n.number = js::StringToNumber(text);
        n.payload = AddString(std::move(text));
      } else {
        n.number = js::ToNumber(arg);
      }
      return node;
    }
    if (op == "$exists") {
      const uint32_t node = NewNode(Kind::kExists, label);
      c_.nodes_[node].aux = js::Truthy(arg);
      return node;
    }
    if (op == "$in" || op == "$nin" || op == "$ini" || op == "$nini") {
      if (!arg.is_array()) return Never(at, op + " needs an array", label);
      const bool icase = op == "$ini" || op == "$nini";
      const uint32_t node = NewNode(op == "$in" || op == "$ini" ? Kind::kIn : Kind::kNin, label);
      Condition::InList list;
      for (const Json& item : arg) {
        if (item.is_string()) list.strings.push_back(icase ? LowerAscii(item.get<std::string>()) : item.get<std::string>());
        else if (item.is_number()) list.numbers.push_back(js::NumberOf(item));
        else if (item.is_boolean()) (item.get<bool>() ? list.has_true : list.has_false) = true;
        else if (item.is_null()) list.has_null = true;
        // Arrays and objects in the list never equal anything (JS compares them by identity).
      }
      std::sort(list.strings.begin(), list.strings.end());
      std::sort(list.numbers.begin(), list.numbers.end());
      c_.nodes_[node].icase = icase;
      c_.nodes_[node].payload = static_cast<uint32_t>(c_.in_lists_.size());
      c_.in_lists_.push_back(std::move(list));
      return node;
    }
    if (op == "$all" || op == "$alli") {
      if (!arg.is_array()) return Never(at, op + " needs an array", label);
      if (!Deeper(depth + 1, at)) return 0;
      const uint32_t node = NewNode(Kind::kAll, label);
      std::vector<uint32_t> kids;
      size_t i = 0;
      for (const Json& item : arg) kids.push_back(Value(item, depth + 1, Join(at, std::to_string(i++)), op == "$alli"));
      SetChildren(node, kids);
      return node;
    }
    if (op == "$elemMatch") {
      if (!arg.is_object()) return Never(at, "$elemMatch needs a condition object", label);
      if (!Deeper(depth + 1, at)) return 0;
      const bool on_values = IsOperatorObject(arg);
      const uint32_t node = NewNode(on_values ? Kind::kElemMatchValue : Kind::kElemMatchDoc, label);
      SetChildren(node, {on_values ? Value(arg, depth + 1, at, false) : Doc(arg, depth + 1, at)});
      return node;
    }
    if (op == "$size" || op == "$not") {
      if (!Deeper(depth + 1, at)) return 0;
      const uint32_t node = NewNode(op == "$size" ? Kind::kSize : Kind::kNotValue, label);
      SetChildren(node, {Value(arg, depth + 1, at, false)});
      return node;
    }
    if (op == "$type") {
      const int type = arg.is_string() ? IndexOf(kTypeNames, arg.get<std::string>()) : -1;
      if (type < 0) return Never(at, "$type needs one of null, array, string, number, boolean, object", label);
      const uint32_t node = NewNode(Kind::kType, label);
      c_.nodes_[node].aux = static_cast<uint8_t>(type);
      return node;
    }
    if (op == "$regex" || op == "$regexi") {
      if (!arg.is_string()) return Never(at, op + " needs a string pattern", label);
      const std::string& pattern = *arg.get_ptr<const std::string*>();
      if (pattern.size() > kMaxRegexPatternBytes) {
        Fail(at, "has a regex of " + std::to_string(pattern.size()) + " bytes; the limit is " +
                     std::to_string(kMaxRegexPatternBytes));
        return 0;
      }
      auto regex = BoundedRegex::Compile(pattern, op == "$regexi");
      if (!regex.ok()) return Never(at, regex.error().message, label);
      const uint32_t node = NewNode(Kind::kRegex, label);
      c_.nodes_[node].payload = static_cast<uint32_t>(c_.regexes_.size());
      c_.regexes_.push_back(std::move(regex.value()));
      c_.regex_ids_.push_back(table_ ? table_->InternRegex(pattern, op == "$regexi") : UINT32_MAX);
      return node;
    }
    if (const int which = IndexOf(kVersionOps, op); which >= 0) {
      const uint32_t node = NewNode(Kind::kVersion, label);
      std::string padded;
      js::PaddedVersion(arg, &padded);
      c_.nodes_[node].aux = static_cast<uint8_t>(which);
      c_.nodes_[node].payload = AddString(std::move(padded));
      return node;
    }
    if (op == "$inGroup" || op == "$notInGroup") return Never(at, "saved groups are not supported", label);
    return Never(at, "unknown operator " + op, label);
  }

  Condition& c_;
  PathTable* table_;
};

uint32_t PathTable::Intern(const std::string& dotted) {
  return ids_.emplace(dotted, static_cast<uint32_t>(ids_.size())).first->second;
}

uint32_t PathTable::InternClause(uint32_t path, const std::string& operand) {
  std::string key = std::to_string(path);
  key += ':';
  key += operand;
  const uint32_t id = clause_ids_.emplace(std::move(key), static_cast<uint32_t>(clause_ids_.size())).first->second;
  if (id >= clause_uses_.size()) clause_uses_.resize(id + 1, 0);
  ++clause_uses_[id];
  return id;
}

void Condition::CheckSharedFirst(const PathTable& paths) {
  // An insertion sort (a condition has a handful of clauses): std::stable_sort would add
  // ~2 KB of WASM for this alone. Ties keep the condition's order.
  for (size_t i = 1; i < root_clauses_.size(); ++i) {
    const uint32_t clause = root_clauses_[i];
    size_t j = i;
    for (; j > 0 && paths.clause_uses(root_clauses_[j - 1]) < paths.clause_uses(clause); --j) {
      root_clauses_[j] = root_clauses_[j - 1];
    }
    root_clauses_[j] = clause;
  }
}

uint32_t PathTable::InternRegex(const std::string& pattern, bool ignore_case) {
  return regex_ids_.emplace((ignore_case ? "i/" : "/") + pattern, static_cast<uint32_t>(regex_ids_.size())).first->second;
}

Result<Condition> Condition::Compile(const Json& condition, PathTable* paths) {
  if (!condition.is_object()) {
    return MakeError(ErrorCode::kInvalidCondition, "a condition must be a JSON object");
  }
  if (NestingDepth(condition, kMaxConditionJsonDepth + 1) > kMaxConditionJsonDepth) {
    return MakeError(ErrorCode::kInvalidCondition,
                     "condition JSON nested deeper than " + std::to_string(kMaxConditionJsonDepth) + " levels");
  }
  Condition compiled;
  ConditionCompiler compiler(&compiled, paths);
  compiler.Doc(condition, 1, "");
  if (compiler.error) return *compiler.error;
  const Node& root = compiled.nodes_[0];  // an $and of the condition's members
  for (uint32_t i = 0; i < root.count; ++i) {
    const Node& child = compiled.nodes_[compiled.child_ids_[root.first + i]];
    if (child.kind != Kind::kPath) continue;
    const uint32_t clause = compiled.paths_[child.payload].clause;
    if (clause != UINT32_MAX) compiled.root_clauses_.push_back(clause);
  }
  return compiled;
}

}  // namespace parcours::rules
