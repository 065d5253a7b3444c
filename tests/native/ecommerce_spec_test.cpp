// E-commerce v2 property checks: typed fields of the known events, products element by
// element with their index in the path, currency codes, and everything else let through.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "parcours/ecommerce_spec.h"

using namespace parcours;

namespace {

// The error's path, or "" when the properties passed.
std::string FailingPath(const std::string& event, const Json& properties) {
  const Result<bool> result = ValidateEcommerce(event, properties);
  return result.ok() ? "" : result.error().path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ecommerce_spec)

BOOST_AUTO_TEST_CASE(a_well_typed_order_passes) {
  const Json order = {{"order_id", "o-1"},   {"checkout_id", "c"}, {"total", 30.5},   {"revenue", 25},
                      {"shipping", 3},       {"tax", 2.5},         {"discount", 0},   {"subtotal", 25},
                      {"coupon", "SPRING"},  {"currency", "USD"},  {"affiliation", 7},  // Unknown: unchecked.
                      {"products",
                       {{{"product_id", "p"}, {"sku", "s"}, {"price", 12.5}, {"quantity", 2}, {"position", 1}},
                        {{"product_id", "q"}, {"position", "top"}, {"quantity", 0}}}}};
  BOOST_TEST(ValidateEcommerce("Order Completed", order).ok());
  BOOST_TEST(ValidateEcommerce("Product List Viewed", {{"list_id", "l"}, {"category", "c"}}).ok());
  BOOST_TEST(ValidateEcommerce("Checkout Step Completed", {{"step", 2}, {"shipping_method", "UPS"}}).ok());
  BOOST_TEST(ValidateEcommerce("Payment Info Entered", {{"payment_method", "card"}, {"step", 3}}).ok());
  BOOST_TEST(
      ValidateEcommerce("Promotion Clicked", {{"promotion_id", "x"}, {"creative", "c"}, {"position", "hero"}}).ok());
}

BOOST_AUTO_TEST_CASE(absent_and_null_fields_pass) {
  BOOST_TEST(ValidateEcommerce("Product Added", Json::object()).ok());
  BOOST_TEST(ValidateEcommerce("Product Added", {{"price", nullptr}, {"quantity", nullptr}, {"name", nullptr}}).ok());
  BOOST_TEST(ValidateEcommerce("Order Completed", {{"products", nullptr}}).ok());
  BOOST_TEST(ValidateEcommerce("Order Completed", {{"products", {{{"price", nullptr}}}}}).ok());
}

BOOST_AUTO_TEST_CASE(a_string_where_a_number_belongs_names_field_type_and_path) {
  const Result<bool> result = ValidateEcommerce("Product Added", {{"product_id", "p"}, {"price", "19.99"}});
  BOOST_TEST_REQUIRE(!result.ok());
  BOOST_TEST(std::string(ErrorId(result.error().code)) == "event.invalid_property");
  BOOST_TEST(result.error().path == "properties.price");
  BOOST_TEST(result.error().message ==
             "[parcours.event.invalid_property] properties.price must be a finite number, got \"19.99\"");
}

BOOST_AUTO_TEST_CASE(each_typed_field_rejects_the_wrong_type) {
  for (const char* field : {"product_id", "sku", "name", "category", "brand", "variant", "order_id", "checkout_id",
                            "cart_id", "coupon", "coupon_id", "promotion_id", "creative", "list_id", "url",
                            "image_url", "payment_method", "shipping_method"}) {
    BOOST_TEST(FailingPath("Product Viewed", {{field, 12}}) == std::string("properties.") + field);
    BOOST_TEST(FailingPath("Product Viewed", {{field, "ok"}}) == "");
  }
  for (const char* field : {"price", "total", "revenue", "value", "shipping", "tax", "discount", "subtotal", "step"}) {
    BOOST_TEST(FailingPath("Order Refunded", {{field, "1"}}) == std::string("properties.") + field);
    BOOST_TEST(FailingPath("Order Refunded", {{field, true}}) == std::string("properties.") + field);
    BOOST_TEST(FailingPath("Order Refunded", {{field, -1.25}}) == "");
  }
  BOOST_TEST(FailingPath("Promotion Viewed", {{"position", Json::object()}}) == "properties.position");
  BOOST_TEST(FailingPath("Order Completed", {{"products", Json::object()}}) == "properties.products");
  BOOST_TEST(FailingPath("Order Completed", {{"products", "p"}}) == "properties.products");
}

BOOST_AUTO_TEST_CASE(quantity_must_be_an_integer_of_at_least_zero) {
  BOOST_TEST(FailingPath("Product Added", {{"quantity", 3}}) == "");
  BOOST_TEST(FailingPath("Product Added", {{"quantity", 2.0}}) == "");
  BOOST_TEST(FailingPath("Product Added", {{"quantity", 0}}) == "");
  BOOST_TEST(FailingPath("Product Added", {{"quantity", -1}}) == "properties.quantity");
  BOOST_TEST(FailingPath("Product Added", {{"quantity", 1.5}}) == "properties.quantity");
  BOOST_TEST(FailingPath("Product Added", {{"quantity", "2"}}) == "properties.quantity");
  const Result<bool> result = ValidateEcommerce("Product Added", {{"quantity", -1}});
  BOOST_TEST(result.error().message.find("must be an integer >= 0, got -1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(numbers_must_be_finite) {
  const double infinity = std::numeric_limits<double>::infinity();
  BOOST_TEST(FailingPath("Order Completed", {{"total", infinity}}) == "properties.total");
  BOOST_TEST(FailingPath("Order Completed", {{"total", std::nan("")}}) == "properties.total");
  BOOST_TEST(FailingPath("Order Completed", {{"quantity", infinity}}) == "properties.quantity");
  BOOST_TEST(FailingPath("Promotion Viewed", {{"position", -infinity}}) == "properties.position");
  const Result<bool> result = ValidateEcommerce("Order Completed", {{"total", infinity}});
  BOOST_TEST(result.error().message.find("got a non-finite number") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(currency_must_be_a_three_letter_code) {
  BOOST_TEST(FailingPath("Order Completed", {{"currency", "EUR"}}) == "");
  BOOST_TEST(FailingPath("Order Completed", {{"currency", "usd"}}) == "");
  for (const Json& currency : {Json("US"), Json("EURO"), Json("U$D"), Json("€"), Json(""), Json(978)}) {
    BOOST_TEST(FailingPath("Order Completed", {{"currency", currency}}) == "properties.currency");
  }
  BOOST_TEST(FailingPath("Order Completed", {{"products", {{{"currency", "dollars"}}}}}) ==
             "properties.products[0].currency");
}

BOOST_AUTO_TEST_CASE(wrong_types_inside_products_name_the_index) {
  const Json checkout = {{"products",
                          {{{"product_id", "a"}, {"price", 1}},
                           {{"product_id", "b"}, {"price", 2}},
                           {{"product_id", "c"}, {"price", "3.00"}}}}};
  const Result<bool> result = ValidateEcommerce("Checkout Started", checkout);
  BOOST_TEST_REQUIRE(!result.ok());
  BOOST_TEST(result.error().path == "properties.products[2].price");
  BOOST_TEST(result.error().message.find("properties.products[2].price must be a finite number") !=
             std::string::npos);
  BOOST_TEST(FailingPath("Cart Viewed", {{"products", {{{"quantity", -3}}}}}) == "properties.products[0].quantity");
  BOOST_TEST(FailingPath("Cart Viewed", {{"products", {{{"sku", "a"}}, 5}}}) == "properties.products[1]");
  BOOST_TEST(FailingPath("Cart Viewed", {{"products", {{{"sku", "a"}}, nullptr}}}) == "properties.products[1]");
  // The spec does not nest products: a "products" inside one is an unknown field.
  BOOST_TEST(FailingPath("Cart Viewed", {{"products", {{{"products", "x"}}}}}) == "");
}

BOOST_AUTO_TEST_CASE(the_first_problem_in_table_order_is_reported) {
  BOOST_TEST(FailingPath("Order Completed", {{"total", "x"}, {"order_id", 5}}) == "properties.order_id");
}

BOOST_AUTO_TEST_CASE(unknown_events_and_non_object_properties_are_not_checked) {
  BOOST_TEST(ValidateEcommerce("Signed Up", {{"price", "free"}}).ok());
  BOOST_TEST(ValidateEcommerce("product added", {{"price", "free"}}).ok());  // Names are exact.
  BOOST_TEST(ValidateEcommerce("Product Added", Json(nullptr)).ok());
  BOOST_TEST(ValidateEcommerce("Product Added", Json::array({1, 2})).ok());
  BOOST_TEST(IsEcommerceEvent("Coupon Applied"));
  BOOST_TEST(IsEcommerceEvent("Order Refunded"));
  BOOST_TEST(!IsEcommerceEvent("Coupon Denied"));
}

BOOST_AUTO_TEST_SUITE_END()
