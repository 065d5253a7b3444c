// Lookups over a properties object's top-level members, decoding strings and numbers only
// when a check or the cart asks for them.
#include "parcours/flat_properties.h"

#include "parcours/json_access.h"

#include <cmath>

namespace parcours {
namespace {

// FNV-1a: the e-commerce checks and the cart look up ~40 names per call among a handful of
// members, and comparing two integers first skips nearly every byte comparison.
uint32_t Hash(std::string_view key) {
  uint32_t hash = 2166136261u;
  for (const char c : key) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  return hash;
}

void Decode(const FlatMember& member) {
  if (member.decoded) return;
  member.decoded = true;
  if (member.value.kind == JsonKind::kString) {
    DecodeJsonString(member.value.raw, &member.text);
  } else if (member.value.kind == JsonKind::kNumber) {
    member.number = JsonNumber(member.value.raw);
  }
}

}  // namespace

const FlatMember* FlatProperties::Find(std::string_view key) const {
  const uint32_t hash = Hash(key);
  for (size_t i = members.size(); i > 0; --i) {
    const FlatMember& member = members[i - 1];
    if (member.hash == hash && member.key == key) return &member;
  }
  return nullptr;
}

bool ScanFlatProperties(JsonCursor* cursor, std::string_view text, FlatProperties* out) {
  const size_t start = cursor->position();
  if (!cursor->BeginObject()) return false;
  out->depth = 1;
  std::string_view key;
  while (cursor->NextMember(&key)) {
    FlatMember member;
    member.key = key;
    member.hash = Hash(key);
    if (key.find('\\') != std::string_view::npos) out->exact = false;
    size_t depth = 0;
    if (!cursor->Value(&member.value, &depth)) return false;
    if (depth + 1 > out->depth) out->depth = depth + 1;
    out->members.push_back(std::move(member));
  }
  if (!cursor->ok()) return false;
  const size_t open = text.find('{', start);
  out->raw = text.substr(open, cursor->position() - open);
  return true;
}

const std::string* FindString(const FlatProperties& object, const char* key) {
  const FlatMember* member = object.Find(key);
  if (!member || member->value.kind != JsonKind::kString) return nullptr;
  Decode(*member);
  return &member->text;
}

bool FindNumber(const FlatProperties& object, const char* key, double* out) {
  const FlatMember* member = object.Find(key);
  if (!member || member->value.kind != JsonKind::kNumber) return false;
  Decode(*member);
  *out = member->number;
  return true;
}

bool FindInteger(const FlatProperties& object, const char* key, int64_t min, int64_t max, int64_t* out) {
  double number;
  return FindNumber(object, key, &number) && IntegerInRange(number, min, max, out);
}

bool HasValue(const FlatProperties& object, const char* key) {
  const FlatMember* member = object.Find(key);
  return member && member->value.kind != JsonKind::kNull;
}

}  // namespace parcours
