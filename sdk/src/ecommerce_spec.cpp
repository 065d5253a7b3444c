// The e-commerce v2 field table and the checks it drives. One table for every event: a
// field has the same type wherever the spec uses it.
#include "parcours/ecommerce_spec.h"

#include <array>
#include <cmath>
#include <iterator>
#include <optional>
#include <string_view>

namespace parcours {
namespace {

enum class FieldType { kString, kStringOrNumber, kNumber, kCount, kCurrency, kProducts };

struct FieldRule {
  const char* name;
  FieldType type;
};

// Views: a name's length rules most of them out before any byte is compared.
constexpr std::string_view kEcommerceEvents[] = {
    "Product Viewed",     "Product List Viewed",     "Product Added",        "Product Removed",
    "Cart Viewed",        "Checkout Started",        "Checkout Step Completed", "Payment Info Entered",
    "Order Completed",    "Order Refunded",          "Coupon Applied",       "Promotion Viewed",
    "Promotion Clicked",
};

// In SpecField's order (spec_fields.h).
constexpr FieldRule kFields[] = {
    {"product_id", FieldType::kString},
    {"sku", FieldType::kString},
    {"name", FieldType::kString},
    {"category", FieldType::kString},
    {"brand", FieldType::kString},
    {"variant", FieldType::kString},
    {"currency", FieldType::kCurrency},
    {"order_id", FieldType::kString},
    {"checkout_id", FieldType::kString},
    {"cart_id", FieldType::kString},
    {"coupon", FieldType::kString},
    {"coupon_id", FieldType::kString},
    {"promotion_id", FieldType::kString},
    {"creative", FieldType::kString},
    // Segment documents a number, but slot names ("top_banner") are common in the wild.
    {"position", FieldType::kStringOrNumber},
    {"list_id", FieldType::kString},
    {"url", FieldType::kString},
    {"image_url", FieldType::kString},
    {"payment_method", FieldType::kString},
    {"shipping_method", FieldType::kString},
    {"price", FieldType::kNumber},
    {"total", FieldType::kNumber},
    {"revenue", FieldType::kNumber},
    {"value", FieldType::kNumber},
    {"shipping", FieldType::kNumber},
    {"tax", FieldType::kNumber},
    {"discount", FieldType::kNumber},
    {"subtotal", FieldType::kNumber},
    {"step", FieldType::kNumber},
    {"quantity", FieldType::kCount},
    {"products", FieldType::kProducts},
};

const char* Expected(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "a string";
    case FieldType::kStringOrNumber:
      return "a string or a finite number";
    case FieldType::kNumber:
      return "a finite number";
    case FieldType::kCount:
      return "an integer >= 0";
    case FieldType::kCurrency:
      return "a 3-letter currency code such as \"USD\"";
    case FieldType::kProducts:
      return "an array of objects";
  }
  return "?";
}

bool IsFiniteNumber(const Json& value) { return value.is_number() && std::isfinite(value.get<double>()); }

bool IsCurrencyCode(std::string_view text) {
  if (text.size() != 3) return false;
  for (const char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

// Products are checked after this call, element by element, to name the offending index.
bool Matches(FieldType type, const Json& value) {
  switch (type) {
    case FieldType::kString:
      return value.is_string();
    case FieldType::kStringOrNumber:
      return value.is_string() || IsFiniteNumber(value);
    case FieldType::kNumber:
      return IsFiniteNumber(value);
    case FieldType::kCount: {
      if (!IsFiniteNumber(value)) return false;
      const double number = value.get<double>();
      return number >= 0 && std::floor(number) == number;
    }
    case FieldType::kCurrency:
      return value.is_string() && IsCurrencyCode(value.get_ref<const std::string&>());
    case FieldType::kProducts:
      return value.is_array();
  }
  return false;
}

// What the value is, for the message: "got string", or "got 2.5" where the type was right.
std::string Described(const Json& value) {
  if (value.is_number() && !std::isfinite(value.get<double>())) return "a non-finite number";
  if (value.is_number()) return DumpJson(value);
  if (value.is_string() && value.get_ref<const std::string&>().size() <= 16) return DumpJson(value);
  return value.type_name();
}

Error Invalid(const std::string& path, FieldType type, const Json& value) {
  return MakeError(ErrorCode::kInvalidProperty,
                   path + " must be " + Expected(type) + ", got " + Described(value), path);
}

// Checks the table's fields of one object; `products` only at the top level (the spec does
// not nest products, so a "products" inside a product is an unknown field).
std::optional<Error> CheckFields(const Json& object, const std::string& prefix, bool top_level) {
  for (const FieldRule& rule : kFields) {
    if (rule.type == FieldType::kProducts && !top_level) continue;
    const Json* value = Find(object, rule.name);
    if (!value || value->is_null()) continue;
    const std::string path = prefix + rule.name;
    if (!Matches(rule.type, *value)) return Invalid(path, rule.type, *value);
    if (rule.type != FieldType::kProducts) continue;
    size_t index = 0;
    for (const Json& product : *value) {
      const std::string product_path = path + "[" + std::to_string(index) + "]";
      if (!product.is_object()) {
        return MakeError(ErrorCode::kInvalidProperty,
                         product_path + " must be an object, got " + product.type_name(), product_path);
      }
      if (std::optional<Error> error = CheckFields(product, product_path + ".", false)) return error;
      ++index;
    }
  }
  return std::nullopt;
}

// Where SpecFieldOf looks a key up: a perfect hash of the field names (no two share a slot,
// checked below), so a key costs a few instructions and one comparison.
constexpr size_t SlotOf(std::string_view key) {
  return (static_cast<unsigned char>(key[0]) * 9u + static_cast<unsigned char>(key[1]) * 2u +
          static_cast<unsigned char>(key[key.size() - 1]) * 10u + key.size()) & 63u;
}

constexpr std::array<SpecField, 64> kSlots = [] {
  std::array<SpecField, 64> slots{};
  for (SpecField& slot : slots) slot = SpecField::kNone;
  for (size_t i = 0; i < std::size(kFields); ++i) slots[SlotOf(kFields[i].name)] = static_cast<SpecField>(i);
  return slots;
}();

constexpr bool EveryFieldHasItsSlot() {
  for (size_t i = 0; i < std::size(kFields); ++i) {
    if (kSlots[SlotOf(kFields[i].name)] != static_cast<SpecField>(i)) return false;
  }
  return std::size(kFields) == kSpecFieldCount;
}
static_assert(EveryFieldHasItsSlot(), "two spec fields share a slot: change SlotOf's factors");

// The names with their lengths, for SpecFieldOf's one comparison.
constexpr std::array<std::string_view, std::size(kFields)> kNames = [] {
  std::array<std::string_view, std::size(kFields)> names{};
  for (size_t i = 0; i < std::size(kFields); ++i) names[i] = kFields[i].name;
  return names;
}();

// Matches() for a scanned value; numbers in scanned text are always finite.
bool FlatMatches(FieldType type, const FlatMember& member) {
  const ScannedValue& value = member.value;
  const JsonKind kind = value.kind;
  switch (type) {
    case FieldType::kString:
      return kind == JsonKind::kString;
    case FieldType::kStringOrNumber:
      return kind == JsonKind::kString || kind == JsonKind::kNumber;
    case FieldType::kNumber:
      return kind == JsonKind::kNumber;
    case FieldType::kCount: {
      int64_t count = 0;
      return kind == JsonKind::kNumber && IntegerInRange(member.number, 0, INT64_C(1) << 62, &count);
    }
    case FieldType::kCurrency: {
      std::string scratch;
      return kind == JsonKind::kString && IsCurrencyCode(StringText(value, &scratch));
    }
    case FieldType::kProducts:
      return false;
  }
  return false;
}

}  // namespace

const char* SpecFieldName(SpecField field) { return kFields[static_cast<size_t>(field)].name; }

SpecField SpecFieldOf(std::string_view key) {
  if (key.size() < 3 || key.size() > 15) return SpecField::kNone;
  const SpecField field = kSlots[SlotOf(key)];
  return field != SpecField::kNone && key == kNames[static_cast<size_t>(field)] ? field : SpecField::kNone;
}

bool EcommerceFieldsValid(const std::string& event, const FlatProperties& properties) {
  if (!IsEcommerceEvent(event)) return true;
  if (!properties.exact) return false;
  // Every occurrence is checked, where nlohmann keeps the last of duplicate keys: a wrong
  // earlier one only sends the call the DOM way, which answers exactly.
  for (const FlatMember& member : properties) {
    if (member.value.kind == JsonKind::kNull) continue;
    if (!FlatMatches(kFields[static_cast<size_t>(member.field)].type, member)) return false;
  }
  return true;
}

bool IsEcommerceEvent(const std::string& event) {
  for (const std::string_view known : kEcommerceEvents) {
    if (std::string_view(event) == known) return true;
  }
  return false;
}

Result<bool> ValidateEcommerce(const std::string& event, const Json& properties) {
  if (!properties.is_object() || !IsEcommerceEvent(event)) return true;
  if (std::optional<Error> error = CheckFields(properties, "properties.", true)) return *std::move(error);
  return true;
}

}  // namespace parcours
