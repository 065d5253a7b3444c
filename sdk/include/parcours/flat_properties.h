// The top-level members of a scanned properties object, readable through the same Find*
// functions as a nlohmann object. The e-commerce checks and the cart look only at top-level
// fields, so a track call needs no DOM; properties with a `products` list (or an escaped key)
// still take the nlohmann path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/json_scan.h"

namespace parcours {

struct FlatMember {
  std::string_view key;  // Raw; members with escaped keys make the object inexact.
  uint32_t hash = 0;     // Of `key`: a lookup compares hashes before bytes.
  ScannedValue value;
  // Decoded on first read.
  mutable bool decoded = false;
  mutable std::string text;
  mutable double number = 0;
};

struct FlatProperties {
  std::vector<FlatMember> members;
  std::string_view raw;  // The whole object's text.
  size_t depth = 0;      // Nesting, the object itself counting 1.
  bool exact = true;     // False when a key had escapes: lookups by name could miss it.

  // The last member named `key` (as nlohmann keeps the last of duplicates), or nullptr.
  const FlatMember* Find(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
};

// Reads the object under `cursor` (which must be at '{') member by member.
bool ScanFlatProperties(JsonCursor* cursor, std::string_view text, FlatProperties* out);

// nullptr unless the member exists and is a string.
const std::string* FindString(const FlatProperties& object, const char* key);
bool FindNumber(const FlatProperties& object, const char* key, double* out);
bool FindInteger(const FlatProperties& object, const char* key, int64_t min, int64_t max, int64_t* out);
// Whether the member exists and is not null.
bool HasValue(const FlatProperties& object, const char* key);

}  // namespace parcours
