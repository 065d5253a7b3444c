// The e-commerce spec's members of a scanned properties object (spec_fields.h), looked up
// by field number. The e-commerce checks and the cart look only at those top-level fields,
// so a track call needs no DOM; properties with a `products` list (or an escaped key) still
// take the nlohmann path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/json_scan.h"
#include "parcours/spec_fields.h"

namespace parcours {

struct FlatMember {
  SpecField field = SpecField::kNone;
  ScannedValue value;
  // A number's value, read by the scan: the checks and the cart each want it (a quantity
  // up to four times per call).
  double number = 0;
};

// A view: the members live in the list ScanFlatProperties appended them to (one list for
// every call of a batch, so a burst allocates no list per call).
struct FlatProperties {
  const FlatMember* members = nullptr;  // The spec fields' members, in order; others are skipped.
  size_t count = 0;
  size_t first = 0;      // Where they start in that list: `members` is set from it once it stops growing.
  std::string_view raw;  // The whole object's text.
  size_t depth = 0;      // Nesting, the object itself counting 1.
  bool exact = true;     // False when a key had escapes: lookups by name could miss it.
  // Per field, 1 + the position of its last member (0: absent), so a lookup is one load;
  // the cart and the checks ask for a dozen fields per call. One byte each keeps a call's
  // view small to clear; objects with more spec members than a byte counts (duplicates)
  // are searched instead.
  uint8_t last[kSpecFieldCount] = {};

  const FlatMember* begin() const { return members; }
  const FlatMember* end() const { return members + count; }
  // The last member for `field` (as nlohmann keeps the last of duplicates), or nullptr.
  const FlatMember* Find(SpecField field) const {
    if (count >= kIndexed) return Search(field);
    const uint8_t at = last[static_cast<size_t>(field)];
    return at ? members + at - 1 : nullptr;
  }
  bool Has(SpecField field) const { return Find(field) != nullptr; }
  // Points `members` into `list` (call when it no longer grows).
  void Bind(const std::vector<FlatMember>& list) { members = list.data() + first; }

  static constexpr size_t kIndexed = 0xFF;  // Fewer members than this are indexed in `last`.

 private:
  const FlatMember* Search(SpecField field) const;
};

// Reads the object under `cursor` (which must be at '{'): appends its spec members to `list`
// and describes them in `out` (a fresh one, bound to `list`).
bool ScanFlatProperties(JsonCursor* cursor, std::string_view text, std::vector<FlatMember>* list, FlatProperties* out);

}  // namespace parcours
