// Non-throwing typed reads and safe serialization for nlohmann::json.
#include "parcours/json_access.h"

#include <cmath>
#include <utility>
#include <vector>

namespace parcours {

const Json* Find(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

const std::string* FindString(const Json& object, const char* key) {
  const Json* value = Find(object, key);
  return value && value->is_string() ? value->get_ptr<const std::string*>() : nullptr;
}

bool FindNumber(const Json& object, const char* key, double* out) {
  const Json* value = Find(object, key);
  if (!value || !value->is_number()) return false;
  *out = value->get<double>();
  return true;
}

bool IntegerInRange(double number, int64_t min, int64_t max, int64_t* out) {
  if (!std::isfinite(number) || std::floor(number) != number) return false;
  if (number < static_cast<double>(min) || number > static_cast<double>(max)) return false;
  *out = static_cast<int64_t>(number);
  return true;
}

bool FindInteger(const Json& object, const char* key, int64_t min, int64_t max, int64_t* out) {
  double number;
  return FindNumber(object, key, &number) && IntegerInRange(number, min, max, out);
}

std::string DumpJson(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string QuoteJson(const std::string& text) { return DumpJson(Json(text)); }

namespace {

// Structure only (lead and continuation bytes): strings reaching the core came through
// nlohmann's validating parser; this catches what the core itself cut mid-character.
bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    if (lead >= 0x80) {
      if ((lead >> 5) == 0x6) extra = 1;
      else if ((lead >> 4) == 0xE) extra = 2;
      else if ((lead >> 3) == 0x1E) extra = 3;
      else return false;
      if (i + extra >= text.size()) return false;
    }
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace

void AppendQuoted(std::string* out, std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  const size_t start = out->size();
  // No exact reserve here: called in a loop on one growing output, it would reallocate (and
  // copy everything so far) on every call instead of growing geometrically.
  out->push_back('"');
  size_t clean_from = 0;
  bool ascii = true;
  // One pass: most bytes need nothing, so runs are copied whole between escapes.
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) ascii = false;
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.data() + clean_from, i - clean_from);
    clean_from = i + 1;
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        *out += "\\u00";
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xF]);
    }
  }
  out->append(text.data() + clean_from, text.size() - clean_from);
  out->push_back('"');
  if (!ascii && !IsValidUtf8(text)) {
    out->resize(start);
    *out += QuoteJson(std::string(text));  // Rare: let nlohmann replace the bad bytes.
  }
}

size_t NestingDepth(const Json& value, size_t limit) {
  size_t deepest = 0;
  std::vector<std::pair<const Json*, size_t>> stack{{&value, 0}};
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    if (!node->is_structured()) continue;
    const size_t inner = depth + 1;
    if (inner > deepest) deepest = inner;
    if (deepest > limit) return deepest;
    for (const Json& child : *node) stack.emplace_back(&child, inner);
  }
  return deepest;
}

}  // namespace parcours
