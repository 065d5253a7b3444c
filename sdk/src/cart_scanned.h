// A cart item read from a scanned track call (FlatProperties) without copying its strings:
// each is a view of the input text (decoded into the item only when it has escapes), so a
// "Product Added" for a line the cart holds compares its fields in place and copies only
// those that changed. cart.cpp reads the item and merges it as it merges a CartItem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parcours/cart.h"
#include "parcours/flat_properties.h"

namespace parcours {

// A string member's text. The views point into the input or into `decoded`, so neither
// this nor ScannedItem may be copied or moved.
struct ScannedText {
  std::optional<std::string_view> text;  // Empty as ReadString's result would be: absent, not a string, too long.
  std::string decoded;

  ScannedText() = default;
  ScannedText(const ScannedText&) = delete;
  ScannedText& operator=(const ScannedText&) = delete;
};

struct ScannedItem {
  ScannedText product_id, sku, name, currency, image_url, url, category, variant, brand;
  std::optional<double> price;
  int64_t quantity = 1;
};

// Fills `out` from `field` when it is a string of at most `max_bytes` decoded bytes (and,
// for an `id`, not empty); leaves it empty otherwise.
void ReadScannedText(const FlatProperties& object, SpecField field, size_t max_bytes, bool id, ScannedText* out);

// The CartItem counterparts (cart.cpp), same rules.
bool SameProduct(const CartItem& line, const ScannedItem& item);
// Sets *to when `from` has a text that differs; true when it did.
bool Overwrite(const ScannedText& from, std::optional<std::string>* to);
// The new line an item makes.
CartItem Own(const ScannedItem& item);

}  // namespace parcours
