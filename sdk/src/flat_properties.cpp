// Scanning a properties object's top-level members, keeping the spec fields'.
#include "parcours/flat_properties.h"

namespace parcours {

const FlatMember* FlatProperties::Search(SpecField field) const {
  for (size_t i = count; i > 0; --i) {
    if (members[i - 1].field == field) return &members[i - 1];
  }
  return nullptr;
}

bool ScanFlatProperties(JsonCursor* cursor, std::string_view text, std::vector<FlatMember>* list, FlatProperties* out) {
  const size_t start = cursor->position();
  if (!cursor->BeginObject()) return false;
  out->first = list->size();
  out->depth = 1;
  std::string_view key;
  ScannedValue value;
  while (cursor->NextMember(&key)) {
    if (cursor->key_escaped()) out->exact = false;
    size_t depth = 0;
    if (!cursor->Value(&value, &depth)) return false;
    if (depth + 1 > out->depth) out->depth = depth + 1;
    const SpecField field = SpecFieldOf(key);
    if (field != SpecField::kNone) {
      list->push_back(FlatMember{field, value, value.kind == JsonKind::kNumber ? JsonNumber(value.raw) : 0});
      // Wraps past kIndexed members, when Find searches instead.
      out->last[static_cast<size_t>(field)] = static_cast<uint8_t>(list->size() - out->first);
    }
  }
  if (!cursor->ok()) return false;
  out->count = list->size() - out->first;
  out->Bind(*list);
  const size_t open = text.find('{', start);
  out->raw = text.substr(open, cursor->position() - open);
  return true;
}

}  // namespace parcours
