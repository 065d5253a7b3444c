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

bool FindInteger(const Json& object, const char* key, int64_t min, int64_t max, int64_t* out) {
  double number;
  if (!FindNumber(object, key, &number) || !std::isfinite(number) || std::floor(number) != number) return false;
  if (number < static_cast<double>(min) || number > static_cast<double>(max)) return false;
  *out = static_cast<int64_t>(number);
  return true;
}

std::string DumpJson(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string QuoteJson(const std::string& text) { return DumpJson(Json(text)); }

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
