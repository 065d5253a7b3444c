// The cart's stored form, written by hand: the cart is stored on every change (once per
// input that changes it), and building nlohmann values for it was a quarter of a track()
// call's instructions. Cart::Decode (cart.cpp) reads it back.
#include <string>
#include <utility>

#include "parcours/cart.h"

namespace parcours {
namespace {

// `key` carries its separator and opening quote, e.g. `,"sku`.
void AppendKey(std::string* out, const char* key) {
  *out += key;
  *out += "\":";
}

void AppendOptional(std::string* out, const std::optional<std::string>& value) {
  if (value) AppendQuoted(out, *value);
  else *out += "null";
}

// Integers as nlohmann dumps them, without building a value and a serializer for each.
void AppendOptional(std::string* out, const std::optional<Millis>& value) {
  *out += value ? std::to_string(*value) : "null";
}

// Doubles keep nlohmann's shortest round-trip form (49.5, 20.0).
void AppendOptional(std::string* out, const std::optional<double>& value) {
  *out += value ? DumpJson(Json(*value)) : "null";
}

// The one definition of a line's shape, stored and inspected alike. The rarer fields appear
// only when known, to keep rule contexts and storage small.
void AppendItem(std::string* out, const CartItem& item) {
  AppendKey(out, "{\"product_id");
  AppendOptional(out, item.product_id);
  AppendKey(out, ",\"sku");
  AppendOptional(out, item.sku);
  AppendKey(out, ",\"name");
  AppendOptional(out, item.name);
  AppendKey(out, ",\"price");
  AppendOptional(out, item.price);
  AppendKey(out, ",\"quantity");
  *out += std::to_string(item.quantity);
  const std::pair<const char*, const std::optional<std::string>*> extras[] = {
      {",\"currency", &item.currency}, {",\"image_url", &item.image_url}, {",\"url", &item.url},
      {",\"category", &item.category}, {",\"variant", &item.variant},     {",\"brand", &item.brand}};
  for (const auto& [key, value] : extras) {
    if (!*value) continue;
    AppendKey(out, key);
    AppendQuoted(out, **value);
  }
  *out += '}';
}

}  // namespace

Json Cart::ToJson() const {
  // The stored shape plus the totals, so the line format is defined once (in AppendItem).
  Json cart = Json::parse(Encode(), nullptr, false);
  cart.erase("v");
  cart["itemCount"] = items_.size();
  cart["quantity"] = Quantity();
  cart["value"] = Value();
  return cart;
}

std::string Cart::Encode() const {
  std::string out;
  out.reserve(192 + 256 * items_.size());  // A line with a name and a URL takes about 200 bytes.
  out += "{\"v\":";
  out += std::to_string(kVersion);
  AppendKey(&out, ",\"id");
  AppendOptional(&out, id_);
  out += ",\"items\":[";
  for (size_t i = 0; i < items_.size(); ++i) {
    if (i > 0) out += ',';
    AppendItem(&out, items_[i]);
  }
  out += ']';
  AppendKey(&out, ",\"currency");
  AppendOptional(&out, currency_);
  AppendKey(&out, ",\"lastChangeAt");
  AppendOptional(&out, last_change_at_);
  AppendKey(&out, ",\"lastOrderAt");
  AppendOptional(&out, last_order_at_);
  // {"order_id","total"}: the members in the order nlohmann's sorted objects wrote them.
  if (last_order_) {
    AppendKey(&out, ",\"lastOrder\":{\"order_id");
    AppendOptional(&out, last_order_->order_id);
    AppendKey(&out, ",\"total");
    AppendOptional(&out, last_order_->total);
    out += "}}";
  } else {
    out += ",\"lastOrder\":null}";
  }
  return out;
}

}  // namespace parcours
