// The typed fields of the Segment e-commerce v2 spec, as numbers: the scanned track path
// recognizes each property key once (SpecFieldOf), and the e-commerce checks and the cart
// then look fields up by number instead of by name. The fields' types are in
// ecommerce_spec.cpp, which defines these functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace parcours {

enum class SpecField : uint8_t {
  kProductId, kSku, kName, kCategory, kBrand, kVariant, kCurrency, kOrderId, kCheckoutId, kCartId,
  kCoupon, kCouponId, kPromotionId, kCreative, kPosition, kListId, kUrl, kImageUrl, kPaymentMethod,
  kShippingMethod, kPrice, kTotal, kRevenue, kValue, kShipping, kTax, kDiscount, kSubtotal, kStep,
  kQuantity, kProducts,
  kNone,  // Any other key.
};
inline constexpr size_t kSpecFieldCount = static_cast<size_t>(SpecField::kNone);

// The field's key, e.g. "product_id" (not for kNone).
const char* SpecFieldName(SpecField field);
// The field named by a raw (unescaped) key, kNone for any other key.
SpecField SpecFieldOf(std::string_view key);

}  // namespace parcours
