// FlatProperties answers a lookup by field as nlohmann reads the same object: the last of
// duplicate keys wins, whether the members fit its one-byte index or not, and views
// bound to a shared list (a batch's) see their own members only.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "parcours/cart.h"
#include "parcours/flat_properties.h"

using namespace parcours;

namespace {

std::string Text(const FlatMember* member) { return member ? std::string(member->value.raw) : "absent"; }

}  // namespace

BOOST_AUTO_TEST_SUITE(flat_properties)

BOOST_AUTO_TEST_CASE(the_last_of_duplicate_keys_is_found) {
  const std::string text = R"({"price":1,"x":{"price":9},"sku":"a","price":2,"sku":null,"name":"n","price":"3"})";
  JsonCursor cursor(text);
  std::vector<FlatMember> list;
  FlatProperties flat;
  BOOST_TEST_REQUIRE(ScanFlatProperties(&cursor, text, &list, &flat));
  BOOST_TEST(flat.count == 6u);
  BOOST_TEST(Text(flat.Find(SpecField::kPrice)) == "\"3\"");
  BOOST_TEST(Text(flat.Find(SpecField::kSku)) == "null");
  BOOST_TEST(Text(flat.Find(SpecField::kName)) == "\"n\"");
  BOOST_TEST(Text(flat.Find(SpecField::kProductId)) == "absent");
  BOOST_TEST(!flat.Has(SpecField::kProducts));
}

// Past kIndexed members the byte index wraps: lookups search instead, with the same answers.
BOOST_AUTO_TEST_CASE(objects_with_more_members_than_the_index_holds_are_searched) {
  for (const size_t repeats : {FlatProperties::kIndexed - 2, FlatProperties::kIndexed - 1,
                               FlatProperties::kIndexed, FlatProperties::kIndexed + 300}) {
    BOOST_TEST_CONTEXT(repeats) {
      std::string text = R"({"sku":"first","quantity":0)";
      for (size_t i = 0; i < repeats; ++i) text += R"(,"price":)" + std::to_string(i);
      text += R"(,"product_id":"p","name":"last"})";
      JsonCursor cursor(text);
      std::vector<FlatMember> list;
      FlatProperties flat;
      BOOST_TEST_REQUIRE(ScanFlatProperties(&cursor, text, &list, &flat));
      BOOST_TEST(flat.count == repeats + 4);
      BOOST_TEST(Text(flat.Find(SpecField::kPrice)) == std::to_string(repeats - 1));
      BOOST_TEST(Text(flat.Find(SpecField::kSku)) == "\"first\"");
      BOOST_TEST(Text(flat.Find(SpecField::kQuantity)) == "0");
      BOOST_TEST(Text(flat.Find(SpecField::kProductId)) == "\"p\"");
      BOOST_TEST(Text(flat.Find(SpecField::kName)) == "\"last\"");
      BOOST_TEST(Text(flat.Find(SpecField::kBrand)) == "absent");
      // And the cart reads it as it reads the parsed object.
      Cart parsed, scanned;
      BOOST_TEST(scanned.ApplyScanned("Product Added", flat, 1) == parsed.Apply("Product Added", Json::parse(text), 1));
      BOOST_TEST(scanned.Encode() == parsed.Encode());
    }
  }
}

BOOST_AUTO_TEST_CASE(views_into_a_shared_list_see_their_own_members) {
  const std::string a = R"({"sku":"a","price":1})", b = R"({"name":"b","price":2,"sku":"b"})";
  std::vector<FlatMember> list;
  FlatProperties first, second;
  JsonCursor ca(a), cb(b);
  BOOST_TEST_REQUIRE(ScanFlatProperties(&ca, a, &list, &first));
  BOOST_TEST_REQUIRE(ScanFlatProperties(&cb, b, &list, &second));
  first.Bind(list);  // The list may have moved as it grew.
  BOOST_TEST(Text(first.Find(SpecField::kSku)) == "\"a\"");
  BOOST_TEST(Text(first.Find(SpecField::kName)) == "absent");
  BOOST_TEST(Text(second.Find(SpecField::kSku)) == "\"b\"");
  BOOST_TEST(Text(second.Find(SpecField::kPrice)) == "2");
}

BOOST_AUTO_TEST_SUITE_END()
