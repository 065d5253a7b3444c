// The cart folded from e-commerce events: lines keyed by product_id (else sku), the
// authoritative `products` of Cart Viewed / Checkout Started, orders emptying it, the
// 200-line bound, and persistence that survives corrupt storage; the scanned track path
// (ApplyScanned, strings compared in the input) folds exactly as the nlohmann one.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "parcours/cart.h"
#include "parcours/flat_properties.h"

using namespace parcours;

BOOST_AUTO_TEST_SUITE(cart)

BOOST_AUTO_TEST_CASE(product_added_creates_a_line_with_its_fields) {
  Cart cart;
  BOOST_TEST(cart.empty());
  const Json added = {{"product_id", "p1"}, {"sku", "S-1"},        {"name", "Mug"},     {"price", 12.5},
                      {"quantity", 2},      {"currency", "EUR"},   {"image_url", "i"},  {"url", "u"},
                      {"category", "Home"}, {"variant", "blue"},   {"brand", "Acme"},   {"coupon", "X"}};
  BOOST_TEST(cart.Apply("Product Added", added, 1000));
  const Json out = cart.ToJson();
  BOOST_TEST_REQUIRE(out["items"].size() == 1u);
  const Json& line = out["items"][0];
  BOOST_TEST(line["product_id"] == "p1");
  BOOST_TEST(line["sku"] == "S-1");
  BOOST_TEST(line["name"] == "Mug");
  BOOST_TEST(line["price"] == 12.5);
  BOOST_TEST(line["quantity"] == 2);
  BOOST_TEST(line["currency"] == "EUR");
  BOOST_TEST(line["image_url"] == "i");
  BOOST_TEST(line["url"] == "u");
  BOOST_TEST(line["category"] == "Home");
  BOOST_TEST(line["variant"] == "blue");
  BOOST_TEST(line["brand"] == "Acme");
  BOOST_TEST(line.contains("coupon") == false);  // Not a line field.
  BOOST_TEST(out["itemCount"] == 1);
  BOOST_TEST(out["quantity"] == 2);
  BOOST_TEST(out["value"] == 25.0);
  BOOST_TEST(out["currency"] == "EUR");
  BOOST_TEST(out["lastChangeAt"] == 1000);
  BOOST_TEST(out["lastOrderAt"].is_null());
  BOOST_TEST(out["lastOrder"].is_null());
  BOOST_TEST(out["id"].is_null());
}

BOOST_AUTO_TEST_CASE(adding_the_same_product_again_adds_to_its_line) {
  Cart cart;
  cart.Apply("Product Added", {{"product_id", "p1"}, {"price", 10}}, 1);
  BOOST_TEST(cart.Apply("Product Added", {{"product_id", "p1"}, {"quantity", 3}, {"price", 9}}, 2));
  BOOST_TEST_REQUIRE(cart.items().size() == 1u);
  BOOST_TEST(cart.items()[0].quantity == 4);
  BOOST_TEST(*cart.items()[0].price == 9.0);  // The latest price wins.
  BOOST_TEST(cart.Value() == 36.0);
}

BOOST_AUTO_TEST_CASE(sku_keys_a_line_without_product_id_and_nothing_else_does) {
  Cart cart;
  BOOST_TEST(cart.Apply("Product Added", {{"sku", "S-9"}}, 1));
  BOOST_TEST(cart.Apply("Product Added", {{"sku", "S-9"}, {"product_id", "p9"}}, 2));
  BOOST_TEST(cart.items().size() == 1u);
  BOOST_TEST(cart.items()[0].quantity == 2);
  BOOST_TEST(cart.Apply("Product Added", {{"name", "No key"}, {"price", 3}}, 3) == false);
  BOOST_TEST(cart.Apply("Product Added", {{"product_id", ""}}, 3) == false);
  BOOST_TEST(cart.Apply("Product Added", {{"product_id", 42}}, 3) == false);
  BOOST_TEST(cart.Apply("Product Added", Json(nullptr), 3) == false);
  BOOST_TEST(cart.items().size() == 1u);
  BOOST_TEST(*cart.last_change_at() == 2);
}

BOOST_AUTO_TEST_CASE(fields_of_the_wrong_type_are_not_copied) {
  Cart cart;
  cart.Apply("Product Added", {{"product_id", "p"}, {"price", "19.99"}, {"name", 5}, {"brand", Json::array()}}, 1);
  const Json line = cart.ToJson()["items"][0];
  BOOST_TEST(line["price"].is_null());
  BOOST_TEST(line["name"].is_null());
  BOOST_TEST(line.contains("brand") == false);
  BOOST_TEST(cart.ToJson()["value"] == 0.0);  // Lines without a price count 0.
}

// Regression: quantity 0 passes the e-commerce type check (an integer >= 0) but was read as
// "no quantity": Product Added with 0 added one item, Product Removed with 0 removed the line.
BOOST_AUTO_TEST_CASE(a_quantity_of_zero_changes_nothing) {
  Cart cart;
  BOOST_TEST(cart.Apply("Product Added", {{"product_id", "p"}, {"quantity", 0}}, 1) == false);
  BOOST_TEST(cart.empty());
  cart.Apply("Product Added", {{"product_id", "p"}, {"quantity", 2}}, 2);
  BOOST_TEST(cart.Apply("Product Removed", {{"product_id", "p"}, {"quantity", 0}}, 3) == false);
  BOOST_TEST(cart.items()[0].quantity == 2);
}

BOOST_AUTO_TEST_CASE(a_quantity_that_is_not_an_integer_of_at_least_one_counts_as_one) {
  for (const Json& quantity : {Json(-2), Json(1.5), Json("3"), Json(nullptr)}) {
    Cart cart;
    cart.Apply("Product Added", {{"product_id", "p"}, {"quantity", quantity}}, 1);
    BOOST_TEST_REQUIRE(cart.items().size() == 1u);
    BOOST_TEST(cart.items()[0].quantity == 1);
  }
  Cart huge;
  huge.Apply("Product Added", {{"product_id", "p"}, {"quantity", 1e15}}, 1);
  huge.Apply("Product Added", {{"product_id", "p"}, {"quantity", 1e15}}, 1);
  BOOST_TEST(huge.items()[0].quantity == Cart::kMaxLineQuantity);  // Saturates.
}

BOOST_AUTO_TEST_CASE(product_removed_decrements_and_drops_the_line_at_zero) {
  Cart cart;
  cart.Apply("Product Added", {{"product_id", "p1"}, {"quantity", 5}}, 1);
  BOOST_TEST(cart.Apply("Product Removed", {{"product_id", "p1"}, {"quantity", 2}}, 2));
  BOOST_TEST(cart.items()[0].quantity == 3);
  BOOST_TEST(cart.Apply("Product Removed", {{"product_id", "p1"}, {"quantity", 3}}, 3));
  BOOST_TEST(cart.empty());
  BOOST_TEST(*cart.last_change_at() == 3);
}

BOOST_AUTO_TEST_CASE(product_removed_without_quantity_removes_the_whole_line) {
  Cart cart;
  cart.Apply("Product Added", {{"product_id", "p1"}, {"sku", "S1"}, {"quantity", 4}}, 1);
  cart.Apply("Product Added", {{"product_id", "p2"}, {"quantity", 1}}, 1);
  BOOST_TEST(cart.Apply("Product Removed", {{"sku", "S1"}}, 2));  // Found by sku.
  BOOST_TEST_REQUIRE(cart.items().size() == 1u);
  BOOST_TEST(*cart.items()[0].product_id == "p2");
  BOOST_TEST(cart.Apply("Product Removed", {{"product_id", "p2"}, {"quantity", 9}}, 3));  // More than held.
  BOOST_TEST(cart.empty());
}

BOOST_AUTO_TEST_CASE(removing_an_unknown_product_changes_nothing) {
  Cart cart;
  cart.Apply("Product Added", {{"product_id", "p1"}}, 1);
  BOOST_TEST(cart.Apply("Product Removed", {{"product_id", "other"}}, 2) == false);
  BOOST_TEST(cart.Apply("Product Removed", Json::object(), 2) == false);
  BOOST_TEST(cart.items().size() == 1u);
  BOOST_TEST(*cart.last_change_at() == 1);
}

BOOST_AUTO_TEST_CASE(cart_viewed_products_replace_the_lines) {
  Cart cart;
  cart.Apply("Product Added", {{"product_id", "old"}}, 1);
  const Json viewed = {{"cart_id", "c-7"},
                       {"products",
                        {{{"product_id", "a"}, {"price", 19.99}, {"quantity", 3}},
                         {{"sku", "b"}, {"price", 1}},
                         {{"product_id", "a"}, {"quantity", 1}},  // Merged into "a".
                         "not an object",
                         {{"name", "no key"}}}}};
  BOOST_TEST(cart.Apply("Cart Viewed", viewed, 5));
  const Json out = cart.ToJson();
  BOOST_TEST(out["id"] == "c-7");
  BOOST_TEST_REQUIRE(out["items"].size() == 2u);
  BOOST_TEST(out["items"][0]["product_id"] == "a");
  BOOST_TEST(out["items"][0]["quantity"] == 4);
  BOOST_TEST(out["items"][1]["sku"] == "b");
  BOOST_TEST(out["quantity"] == 5);
  BOOST_TEST(out["value"] == 80.96);  // 4 x 19.99 + 1, rounded to cents.
  BOOST_TEST(cart.Apply("Cart Viewed", viewed, 6) == false);  // Same cart: no change.
  BOOST_TEST(*cart.last_change_at() == 5);
}

BOOST_AUTO_TEST_CASE(checkout_started_with_empty_products_empties_and_without_products_keeps) {
  Cart cart;
  cart.Apply("Product Added", {{"product_id", "p"}}, 1);
  BOOST_TEST(cart.Apply("Checkout Started", {{"order_id", "o"}}, 2) == false);
  BOOST_TEST(cart.Apply("Checkout Started", {{"products", "oops"}}, 2) == false);
  BOOST_TEST(cart.items().size() == 1u);
  BOOST_TEST(cart.Apply("Checkout Started", {{"products", Json::array()}}, 3));
  BOOST_TEST(cart.empty());
}

BOOST_AUTO_TEST_CASE(order_completed_empties_the_cart_and_records_the_order) {
  Cart cart;
  cart.Apply("Product Added", {{"product_id", "p"}, {"price", 5}}, 1);
  BOOST_TEST(cart.Apply("Order Completed", {{"order_id", "o-1"}, {"total", 27.5}, {"revenue", 25}}, 9));
  BOOST_TEST(cart.empty());
  const Json out = cart.ToJson();
  BOOST_TEST(out["lastOrderAt"] == 9);
  BOOST_TEST(out["lastOrder"] == Json({{"order_id", "o-1"}, {"total", 27.5}}));
  BOOST_TEST(out["lastChangeAt"] == 9);
  BOOST_TEST(out["value"] == 0.0);
  // Without total, revenue stands in; without either, the order is still recorded.
  cart.Apply("Order Completed", {{"order_id", "o-2"}, {"revenue", 25}}, 10);
  BOOST_TEST(cart.last_order()->total.value() == 25.0);
  cart.Apply("Order Completed", Json(nullptr), 11);
  BOOST_TEST(cart.ToJson()["lastOrder"] == Json({{"order_id", nullptr}, {"total", nullptr}}));
  BOOST_TEST(*cart.last_order_at() == 11);
}

BOOST_AUTO_TEST_CASE(cart_id_and_currency_come_from_the_latest_event_that_has_them) {
  Cart cart;
  BOOST_TEST(cart.Apply("Product Added", {{"product_id", "p"}, {"cart_id", "c1"}, {"currency", "USD"}}, 1));
  BOOST_TEST(cart.Apply("Product Removed", {{"product_id", "nope"}, {"cart_id", "c2"}}, 2));  // Only the id.
  BOOST_TEST(cart.Apply("Cart Viewed", {{"currency", "EUR"}}, 3));
  BOOST_TEST(cart.Apply("Cart Viewed", {{"currency", "EUR"}, {"cart_id", "c2"}}, 4) == false);
  BOOST_TEST(*cart.id() == "c2");
  BOOST_TEST(*cart.currency() == "EUR");
  BOOST_TEST(*cart.last_change_at() == 3);
}

BOOST_AUTO_TEST_CASE(other_events_leave_the_cart_alone) {
  Cart cart;
  BOOST_TEST(cart.Apply("Product Viewed", {{"product_id", "p"}, {"cart_id", "c"}}, 1) == false);
  BOOST_TEST(cart.Apply("product added", {{"product_id", "p"}}, 1) == false);
  BOOST_TEST(cart.ToJson()["lastChangeAt"].is_null());
  BOOST_TEST(cart.ToJson()["id"].is_null());
}

BOOST_AUTO_TEST_CASE(the_cart_holds_at_most_200_lines) {
  Cart cart;
  for (int i = 0; i < 250; ++i) cart.Apply("Product Added", {{"product_id", "p" + std::to_string(i)}}, i);
  BOOST_TEST(cart.items().size() == Cart::kMaxLines);
  BOOST_TEST(*cart.last_change_at() == 199);  // Refused lines are no change.
  // Lines already held still grow.
  BOOST_TEST(cart.Apply("Product Added", {{"product_id", "p0"}}, 300));
  BOOST_TEST(cart.items()[0].quantity == 2);
  // The same bound holds for a replacing `products`.
  Json products = Json::array();
  for (int i = 0; i < 300; ++i) products.push_back({{"sku", "s" + std::to_string(i)}});
  cart.Apply("Cart Viewed", {{"products", products}}, 400);
  BOOST_TEST(cart.items().size() == Cart::kMaxLines);
  BOOST_TEST(*cart.items().back().sku == "s199");
}

BOOST_AUTO_TEST_CASE(overlong_strings_and_absurd_prices_are_dropped) {
  Cart cart;
  const std::string long_text(5000, 'x');
  BOOST_TEST(cart.Apply("Product Added", {{"product_id", long_text}}, 1) == false);
  cart.Apply("Product Added", {{"product_id", "p"}, {"name", long_text}, {"price", 1e300}, {"quantity", 1e6}}, 1);
  const Json out = cart.ToJson();
  BOOST_TEST(out["items"][0]["name"].is_null());
  BOOST_TEST(out["items"][0]["price"].is_null());
  BOOST_TEST(out["value"] == 0.0);
}

// The scanned path reads strings as views of the input and decodes only escaped ones: a
// field whose text differs only by escapes is the same value, and one that decodes to
// another is a change, exactly as Apply sees it.
BOOST_AUTO_TEST_CASE(scanned_properties_fold_as_parsed_ones_do) {
  const std::string long_name = "\"" + std::string(2047, 'x') + "\\u00e9\"";  // 2049 bytes decoded: dropped.
  const std::vector<std::pair<std::string, std::string>> steps = {
      {"Product Added", R"({"product_id":"a\"b","name":"Caf\u00e9","currency":"EUR","price":4.5})"},
      {"Product Added", R"({"product_id":"a\u0022b","name":"Café","currency":"\u0045UR"})"},  // Same text: quantity only.
      {"Product Added", R"({"product_id":"a\"b","name":"Caf\u00e8","variant":"x\ny","price":4.5})"},
      {"Product Added", R"({"product_id":"a\"b","variant":"x\ny","name":)" + long_name + "}"},
      {"Product Added", R"({"sku":"s\/1","product_id":"","brand":"\ud83d\ude00","url":3,"price":"1"})"},
      {"Product Added", R"({"sku":"s/1","brand":"\ud83d\ude00","cart_id":"c\u0031","category":"Sh\"irts"})"},
      {"Product Added", R"({"sku":"s/1","cart_id":"c1","currency":"","image_url":"https://i/\u00e9"})"},
      {"Product Removed", R"({"product_id":"a\u0022b","quantity":2})"},
      {"Product Removed", R"({"sku":"s\/1"})"},
      {"Product Added", R"({"product_id":"p","quantity":0,"name":"n"})"},
      {"Order Completed", R"({"order_id":"o\"1","total":10,"cart_id":"c2"})"},
  };
  Cart parsed, scanned;
  std::vector<FlatMember> list;
  Millis now = 1;
  for (const auto& step : steps) {
    BOOST_TEST_CONTEXT(step.second) {
      JsonCursor cursor(step.second);
      FlatProperties flat;
      list.clear();
      BOOST_TEST_REQUIRE(ScanFlatProperties(&cursor, step.second, &list, &flat));
      const bool changed = parsed.Apply(step.first, Json::parse(step.second), now);
      BOOST_TEST(scanned.ApplyScanned(step.first, flat, now) == changed);
      BOOST_TEST(scanned.Encode() == parsed.Encode());
      BOOST_TEST(scanned.ToJson().dump() == parsed.ToJson().dump());
    }
    if (now == 3) BOOST_TEST(scanned.items()[0].name.value_or("") == "Caf\xc3\xa8");
    ++now;
  }
  const Json out = parsed.ToJson();  // The steps got as far as the order.
  BOOST_TEST(out["lastOrder"]["order_id"] == "o\"1");
  BOOST_TEST(out["id"] == "c2");
}

BOOST_AUTO_TEST_CASE(encode_and_decode_round_trip) {
  Cart cart;
  cart.Apply("Product Added",
             {{"product_id", "p1"}, {"price", 0.1}, {"quantity", 3}, {"brand", "B"}, {"cart_id", "c"}}, 1);
  cart.Apply("Product Added", {{"sku", "s2"}, {"currency", "EUR"}}, 2);
  cart.Apply("Order Completed", {{"order_id", "o"}, {"total", 1.23}}, 3);
  cart.Apply("Product Added", {{"product_id", "p3"}, {"price", 19.99}}, 4);
  const Result<Cart> decoded = Cart::Decode(cart.Encode());
  BOOST_TEST_REQUIRE(decoded.ok());
  BOOST_TEST(decoded.value().ToJson() == cart.ToJson());
  BOOST_TEST(decoded.value().Encode() == cart.Encode());
  const Result<Cart> empty = Cart::Decode(Cart().Encode());
  BOOST_TEST_REQUIRE(empty.ok());
  BOOST_TEST(empty.value().ToJson() == Cart().ToJson());
}

BOOST_AUTO_TEST_CASE(decode_answers_an_error_for_corrupt_input) {
  const char* corrupt[] = {
      "",
      "not json",
      "{\"v\":1,\"items\":[",
      "[]",
      "42",
      "{}",
      "{\"v\":2,\"items\":[]}",
      "{\"v\":\"1\",\"items\":[]}",
      "{\"v\":1}",
      "{\"v\":1,\"items\":{}}",
      "{\"v\":1,\"items\":[5]}",
      "{\"v\":1,\"items\":[{\"name\":\"no key\",\"quantity\":1}]}",
      "{\"v\":1,\"items\":[{\"product_id\":\"p\"}]}",
      "{\"v\":1,\"items\":[{\"product_id\":\"p\",\"quantity\":0}]}",
      "{\"v\":1,\"items\":[],\"id\":7}",
      "{\"v\":1,\"items\":[],\"currency\":[]}",
      "{\"v\":1,\"items\":[],\"lastChangeAt\":\"yesterday\"}",
      "{\"v\":1,\"items\":[],\"lastOrderAt\":1.5}",
      "{\"v\":1,\"items\":[],\"lastOrder\":\"o\"}",
      "{\"v\":1,\"items\":[],\"lastOrder\":{\"total\":\"12\"}}",
  };
  for (const char* text : corrupt) {
    const Result<Cart> decoded = Cart::Decode(text);
    BOOST_TEST_REQUIRE(!decoded.ok(), "accepted: " << text);
    BOOST_TEST(std::string(ErrorId(decoded.error().code)) == "state.corrupt_snapshot");
    BOOST_TEST(decoded.error().message.rfind("[parcours.state.corrupt_snapshot]", 0) == 0u);
  }
  const Result<Cart> line = Cart::Decode("{\"v\":1,\"items\":[{\"product_id\":\"p\",\"quantity\":1},7]}");
  BOOST_TEST_REQUIRE(!line.ok());
  BOOST_TEST(line.error().path == "items[1]");
  // 201 stored lines were not written by Encode.
  Json items = Json::array();
  for (int i = 0; i < 201; ++i) items.push_back({{"product_id", std::to_string(i)}, {"quantity", 1}});
  BOOST_TEST(!Cart::Decode(DumpJson({{"v", 1}, {"items", items}})).ok());
  // Deeply nested input is refused without exhausting the stack.
  const std::string deep = "{\"v\":1,\"items\":[" + std::string(100000, '[') + std::string(100000, ']') + "]}";
  BOOST_TEST(!Cart::Decode(deep).ok());
}

BOOST_AUTO_TEST_SUITE_END()
