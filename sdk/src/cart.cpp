// Folds Segment e-commerce v2 events into a bounded cart, and reads its stored JSON back
// (cart_encode.cpp writes it).
#include "parcours/cart.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>

#include "cart_scanned.h"

namespace parcours {
namespace {

// Longer strings are dropped rather than stored: no product name or URL needs more, and
// each line is persisted and re-read on every page load.
constexpr size_t kMaxFieldBytes = 2048;
// No price is larger; the bound keeps price * quantity summed over every line finite.
constexpr double kMaxPrice = 1e12;
// The largest integer a double, and so JavaScript, holds exactly.
constexpr int64_t kMaxSafeInteger = INT64_C(1) << 53;

enum class CartEvent { kNone, kProductAdded, kProductRemoved, kCartReplaced, kOrderCompleted };

// As views, the names compare their lengths first (std::string == const char* calls strlen).
CartEvent Classify(std::string_view event) {
  if (event == "Product Added") return CartEvent::kProductAdded;
  if (event == "Product Removed") return CartEvent::kProductRemoved;
  // Both carry the whole cart in `products`, which is then more accurate than our fold.
  if (event == "Cart Viewed" || event == "Checkout Started") return CartEvent::kCartReplaced;
  if (event == "Order Completed") return CartEvent::kOrderCompleted;
  return CartEvent::kNone;
}

// The readers below take a nlohmann object, by name, or a scanned one (FlatProperties), by
// field number: the track path folds a "Product Added" into the cart without building a DOM.
bool IsObject(const Json& value) { return value.is_object(); }

const Json* Member(const Json& object, const char* key) { return Find(object, key); }
const Json* Member(const Json& object, SpecField field) { return Find(object, SpecFieldName(field)); }
const FlatMember* Member(const FlatProperties& object, SpecField field) { return object.Find(field); }

// A string member's text: the nlohmann one, or decoded into `scratch`.
const std::string* Text(const Json* value, std::string*) {
  return value && value->is_string() ? value->get_ptr<const std::string*>() : nullptr;
}
const std::string* Text(const FlatMember* member, std::string* scratch) {
  if (!member || member->value.kind != JsonKind::kString) return nullptr;
  DecodeJsonString(member->value.raw, scratch);
  return scratch;
}

bool Number(const Json* value, double* out) {
  if (!value || !value->is_number()) return false;
  *out = value->get<double>();
  return true;
}
bool Number(const FlatMember* member, double* out) {
  if (!member || member->value.kind != JsonKind::kNumber) return false;
  *out = member->number;
  return true;
}

template <typename Object, typename Key>
std::optional<std::string> ReadString(const Object& object, Key key) {
  std::string scratch;
  const std::string* value = Text(Member(object, key), &scratch);
  if (!value || value->size() > kMaxFieldBytes) return std::nullopt;
  if (value == &scratch) return std::optional<std::string>(std::move(scratch));  // Decoded: moved, not copied.
  return *value;
}

// An id is usable only when non-empty: "" would make unrelated products one line.
template <typename Object, typename Key>
std::optional<std::string> ReadId(const Object& object, Key key) {
  std::optional<std::string> value = ReadString(object, key);
  if (value && value->empty()) return std::nullopt;
  return value;
}

template <typename Object, typename Key>
std::optional<double> ReadAmount(const Object& object, Key key) {
  double value = 0;
  if (!Number(Member(object, key), &value) || !std::isfinite(value) || std::fabs(value) > kMaxPrice) return std::nullopt;
  return value;
}

template <typename Object>
bool ReadInteger(const Object& object, int64_t min, int64_t max, int64_t* out) {
  double value = 0;
  return Number(Member(object, SpecField::kQuantity), &value) && IntegerInRange(value, min, max, out);
}

// A quantity that is not an integer >= 1 is treated as absent: the event still says a
// product was added (or removed), and a malformed count must not hide that.
template <typename Object>
std::optional<int64_t> ReadQuantity(const Object& object) {
  int64_t value = 0;
  if (!ReadInteger(object, 1, kMaxSafeInteger, &value)) return std::nullopt;
  return std::min(value, Cart::kMaxLineQuantity);
}

// The item an event (or an element of `products`) describes; nullopt without a key.
template <typename Object>
std::optional<CartItem> ReadItem(const Object& object) {
  if (!IsObject(object)) return std::nullopt;
  CartItem item;
  item.product_id = ReadId(object, SpecField::kProductId);
  item.sku = ReadId(object, SpecField::kSku);
  if (!item.product_id && !item.sku) return std::nullopt;
  item.quantity = ReadQuantity(object).value_or(1);
  item.name = ReadString(object, SpecField::kName);
  item.price = ReadAmount(object, SpecField::kPrice);
  item.currency = ReadString(object, SpecField::kCurrency);
  item.image_url = ReadString(object, SpecField::kImageUrl);
  item.url = ReadString(object, SpecField::kUrl);
  item.category = ReadString(object, SpecField::kCategory);
  item.variant = ReadString(object, SpecField::kVariant);
  item.brand = ReadString(object, SpecField::kBrand);
  return item;
}

// The same from a scanned call, its strings left in the input (cart_scanned.h).
bool ReadItem(const FlatProperties& object, ScannedItem* item) {
  ReadScannedText(object, SpecField::kProductId, kMaxFieldBytes, true, &item->product_id);
  ReadScannedText(object, SpecField::kSku, kMaxFieldBytes, true, &item->sku);
  if (!item->product_id.text && !item->sku.text) return false;
  item->quantity = ReadQuantity(object).value_or(1);
  ReadScannedText(object, SpecField::kName, kMaxFieldBytes, false, &item->name);
  item->price = ReadAmount(object, SpecField::kPrice);
  ReadScannedText(object, SpecField::kCurrency, kMaxFieldBytes, false, &item->currency);
  ReadScannedText(object, SpecField::kImageUrl, kMaxFieldBytes, false, &item->image_url);
  ReadScannedText(object, SpecField::kUrl, kMaxFieldBytes, false, &item->url);
  ReadScannedText(object, SpecField::kCategory, kMaxFieldBytes, false, &item->category);
  ReadScannedText(object, SpecField::kVariant, kMaxFieldBytes, false, &item->variant);
  ReadScannedText(object, SpecField::kBrand, kMaxFieldBytes, false, &item->brand);
  return true;
}

bool ReadItem(const Json& object, CartItem* item) {
  std::optional<CartItem> read = ReadItem(object);
  if (read) *item = std::move(*read);
  return read.has_value();
}

// What ApplyFrom reads an event's item into.
template <typename Object>
using ItemOf = std::conditional_t<std::is_same_v<Object, Json>, CartItem, ScannedItem>;

// Lines are one product when their product_ids match, or, when either lacks one, their
// skus: a "Product Removed" that names only the sku still finds its line.
bool SameProduct(const CartItem& a, const CartItem& b) {
  if (a.product_id && b.product_id) return *a.product_id == *b.product_id;
  return a.sku && b.sku && *a.sku == *b.sku;
}

// The latest event that states a field wins; one that omits it keeps the old value. True
// when the value changed.
template <typename T>
bool Overwrite(const std::optional<T>& from, std::optional<T>* to) {
  if (!from || *from == *to) return false;
  *to = from;
  return true;
}

// Compares as it merges: copying a line to compare it after cost more than the merge.
template <typename Item>
bool MergeInto(const Item& from, CartItem* line) {
  const int64_t quantity = std::min(line->quantity + from.quantity, Cart::kMaxLineQuantity);
  bool changed = quantity != line->quantity;
  line->quantity = quantity;
  changed |= Overwrite(from.product_id, &line->product_id);
  changed |= Overwrite(from.sku, &line->sku);
  changed |= Overwrite(from.name, &line->name);
  changed |= Overwrite(from.price, &line->price);
  changed |= Overwrite(from.currency, &line->currency);
  changed |= Overwrite(from.image_url, &line->image_url);
  changed |= Overwrite(from.url, &line->url);
  changed |= Overwrite(from.category, &line->category);
  changed |= Overwrite(from.variant, &line->variant);
  changed |= Overwrite(from.brand, &line->brand);
  return changed;
}

// Appends to (or merges into) `lines`; new lines beyond kMaxLines are dropped. True when
// `lines` changed.
const CartItem& Own(const CartItem& item) { return item; }

template <typename Item>
bool AddTo(const Item& item, std::vector<CartItem>* lines) {
  for (CartItem& line : *lines) {
    if (SameProduct(line, item)) return MergeInto(item, &line);
  }
  if (lines->size() >= Cart::kMaxLines) return false;
  lines->push_back(Own(item));
  return true;
}

// Sets the cart's id or currency from `field` when the event states another; true if it did.
bool SetId(const Json& object, SpecField field, std::optional<std::string>* to) {
  std::optional<std::string> value = ReadId(object, field);
  if (!value || value == *to) return false;
  *to = std::move(value);
  return true;
}
bool SetId(const FlatProperties& object, SpecField field, std::optional<std::string>* to) {
  ScannedText value;
  ReadScannedText(object, field, kMaxFieldBytes, true, &value);
  return Overwrite(value, to);
}

Error Corrupt(const std::string& what, std::string path = "") {
  return MakeError(ErrorCode::kCorruptSnapshot, what, std::move(path));
}

// Decoding helpers: absent or null leaves *out empty; false when present with another type.
bool DecodeString(const Json& object, const char* key, std::optional<std::string>* out) {
  const Json* value = Find(object, key);
  if (!value || value->is_null()) return true;
  *out = ReadString(object, key);
  return out->has_value();
}

bool DecodeMillis(const Json& object, const char* key, std::optional<Millis>* out) {
  const Json* value = Find(object, key);
  if (!value || value->is_null()) return true;
  int64_t millis = 0;
  if (!FindInteger(object, key, -kMaxSafeInteger, kMaxSafeInteger, &millis)) return false;
  *out = millis;
  return true;
}

bool DecodeAmount(const Json& object, const char* key, std::optional<double>* out) {
  const Json* value = Find(object, key);
  if (!value || value->is_null()) return true;
  *out = ReadAmount(object, key);
  return out->has_value();
}

}  // namespace

bool CartItem::operator==(const CartItem& other) const {
  return product_id == other.product_id && sku == other.sku && name == other.name && price == other.price &&
         quantity == other.quantity && currency == other.currency && image_url == other.image_url &&
         url == other.url && category == other.category && variant == other.variant && brand == other.brand;
}

bool Cart::Apply(const std::string& event, const Json& properties, Millis now) {
  return ApplyFrom(event, properties, now);
}

bool Cart::ApplyScanned(const std::string& event, const FlatProperties& properties, Millis now) {
  return ApplyFrom(event, properties, now);
}

template <typename Object>
bool Cart::ApplyFrom(const std::string& event, const Object& properties, Millis now) {
  const CartEvent kind = Classify(event);
  if (kind == CartEvent::kNone) return false;
  bool changed = false;
  // A quantity of 0 (allowed by the spec's types) adds or removes nothing, rather than
  // counting as "no quantity" (one item added, or the whole line removed).
  int64_t zero = -1;
  if (ReadInteger(properties, 0, 0, &zero) &&
      (kind == CartEvent::kProductAdded || kind == CartEvent::kProductRemoved)) {
    return false;
  }
  switch (kind) {
    case CartEvent::kProductAdded:
      if (ItemOf<Object> item; ReadItem(properties, &item)) {
        changed = AddTo(item, &items_);
      }
      break;
    case CartEvent::kProductRemoved:
      if (ItemOf<Object> item; ReadItem(properties, &item)) {
        const auto line = std::find_if(items_.begin(), items_.end(),
                                       [&](const CartItem& candidate) { return SameProduct(candidate, item); });
        if (line == items_.end()) break;
        // Without a quantity, "removed" means the whole line, as a cart's delete button does.
        const std::optional<int64_t> quantity = ReadQuantity(properties);
        if (quantity && *quantity < line->quantity) {
          line->quantity -= *quantity;
        } else {
          items_.erase(line);
        }
        changed = true;
      }
      break;
    case CartEvent::kCartReplaced: {
      // Scanned properties never hold `products`: those take the nlohmann path.
      if constexpr (std::is_same_v<Object, Json>) {
        const Json* products = Member(properties, SpecField::kProducts);
        if (!products || !products->is_array()) break;
        std::vector<CartItem> lines;
        for (const Json& product : *products) {
          if (const std::optional<CartItem> item = ReadItem(product)) AddTo(*item, &lines);
        }
        changed = lines != items_;
        items_ = std::move(lines);
      }
      break;
    }
    case CartEvent::kOrderCompleted: {
      items_.clear();
      CartOrder order;
      order.order_id = ReadId(properties, SpecField::kOrderId);
      order.total = ReadAmount(properties, SpecField::kTotal);
      if (!order.total) order.total = ReadAmount(properties, SpecField::kRevenue);
      last_order_ = order;
      last_order_at_ = now;
      changed = true;
      break;
    }
    case CartEvent::kNone:
      break;
  }
  changed |= SetId(properties, SpecField::kCartId, &id_);
  changed |= SetId(properties, SpecField::kCurrency, &currency_);
  if (changed) {
    last_change_at_ = now;
    revision_ = NextRevision();
  }
  return changed;
}

int64_t Cart::Quantity() const {
  int64_t total = 0;
  for (const CartItem& item : items_) total += item.quantity;
  return total;
}

double Cart::Value() const {
  double total = 0;
  for (const CartItem& item : items_) {
    if (item.price) total += *item.price * static_cast<double>(item.quantity);
  }
  // Rounded once, on the sum: 3 x 19.99 is 59.97, not 59.970000000000006.
  return std::round(total * 100) / 100;
}

Result<Cart> Cart::Decode(const std::string& text) {
  const Json root = Json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return Corrupt("stored cart is not a JSON object");
  int64_t version = 0;
  if (!FindInteger(root, "v", 1, 1000, &version) || version != kVersion) {
    return Corrupt("stored cart has an unknown version", "v");
  }
  Cart cart;
  if (!DecodeString(root, "id", &cart.id_)) return Corrupt("stored cart id is not a string", "id");
  if (!DecodeString(root, "currency", &cart.currency_)) {
    return Corrupt("stored cart currency is not a string", "currency");
  }
  if (!DecodeMillis(root, "lastChangeAt", &cart.last_change_at_)) {
    return Corrupt("stored cart lastChangeAt is not a time", "lastChangeAt");
  }
  if (!DecodeMillis(root, "lastOrderAt", &cart.last_order_at_)) {
    return Corrupt("stored cart lastOrderAt is not a time", "lastOrderAt");
  }
  if (const Json* order = Find(root, "lastOrder"); order && !order->is_null()) {
    CartOrder last;
    if (!order->is_object() || !DecodeString(*order, "order_id", &last.order_id) ||
        !DecodeAmount(*order, "total", &last.total)) {
      return Corrupt("stored cart lastOrder is not an order", "lastOrder");
    }
    cart.last_order_ = last;
  }
  const Json* items = Find(root, "items");
  if (!items || !items->is_array() || items->size() > kMaxLines) {
    return Corrupt("stored cart items are not an array of at most 200 lines", "items");
  }
  size_t index = 0;
  for (const Json& stored : *items) {
    const std::optional<CartItem> item = ReadItem(stored);
    // Encode always writes the quantity: a line without one was not written by us.
    if (!item || !ReadQuantity(stored)) {
      return Corrupt("stored cart line is not a product", "items[" + std::to_string(index) + "]");
    }
    AddTo(*item, &cart.items_);
    ++index;
  }
  return cart;
}

}  // namespace parcours
