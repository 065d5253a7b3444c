// Reading a cart item's strings from a scanned track call as views (cart_scanned.h says why).
#include "cart_scanned.h"

namespace parcours {
namespace {

std::optional<std::string> Own(const ScannedText& text) {
  if (!text.text) return std::nullopt;
  return std::string(*text.text);
}

}  // namespace

void ReadScannedText(const FlatProperties& object, SpecField field, size_t max_bytes, bool id, ScannedText* out) {
  const FlatMember* member = object.Find(field);
  if (!member || member->value.kind != JsonKind::kString) return;
  const std::string_view text = StringText(member->value, &out->decoded);
  if (text.size() > max_bytes || (id && text.empty())) return;
  out->text = text;
}

bool SameProduct(const CartItem& line, const ScannedItem& item) {
  if (line.product_id && item.product_id.text) return *line.product_id == *item.product_id.text;
  return line.sku && item.sku.text && *line.sku == *item.sku.text;
}

bool Overwrite(const ScannedText& from, std::optional<std::string>* to) {
  if (!from.text || (*to && **to == *from.text)) return false;
  if (*to) {
    (*to)->assign(from.text->data(), from.text->size());
  } else {
    to->emplace(*from.text);
  }
  return true;
}

CartItem Own(const ScannedItem& item) {
  CartItem line;
  line.product_id = Own(item.product_id);
  line.sku = Own(item.sku);
  line.name = Own(item.name);
  line.price = item.price;
  line.quantity = item.quantity;
  line.currency = Own(item.currency);
  line.image_url = Own(item.image_url);
  line.url = Own(item.url);
  line.category = Own(item.category);
  line.variant = Own(item.variant);
  line.brand = Own(item.brand);
  return line;
}

}  // namespace parcours
