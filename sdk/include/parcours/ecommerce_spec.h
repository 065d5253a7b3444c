// Type checks for the typed properties of the Segment e-commerce v2 events, so that a
// "price": "19.99" is reported to the developer at the call instead of breaking revenue
// reports downstream.
#pragma once

#include <string>

#include "parcours/error.h"
#include "parcours/flat_properties.h"
#include "parcours/json_access.h"

namespace parcours {

// True when `event` is one of the e-commerce v2 events checked here (Product Viewed, Product
// List Viewed, Product Added, Product Removed, Cart Viewed, Checkout Started, Checkout Step
// Completed, Payment Info Entered, Order Completed, Order Refunded, Coupon Applied,
// Promotion Viewed, Promotion Clicked).
bool IsEcommerceEvent(const std::string& event);

// Checks the spec's typed fields of an e-commerce event's properties (and of each element
// of `products`). Absent and null fields pass; a present field of the wrong type, a
// non-finite number, a negative or fractional quantity or a currency that is not 3 letters
// is kInvalidProperty, naming the field and expected type, with a path such as
// "properties.products[2].price". The first problem found is reported. Unknown events,
// unknown fields and properties that are not an object (ValidateProperties' business) pass.
Result<bool> ValidateEcommerce(const std::string& event, const Json& properties);

// The same checks over a scanned object's top-level members, as a yes/no: on false the
// caller re-checks through ValidateEcommerce for the exact error. A `products` member (checked
// per element) always answers false.
bool EcommerceFieldsValid(const std::string& event, const FlatProperties& properties);

}  // namespace parcours
