// The visit as events see it: context.session (same id within the timeout, a new one after
// it or when a new campaign lands, carrying the landing campaign), the cart kept from
// e-commerce events, typed e-commerce checks on track, and a reset that starts over.
#include <boost/test/unit_test.hpp>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

Json VisitConfig() { return {{"writeKey", "k"}, {"maxBatchEvents", 100}, {"flushIntervalMs", 86400000}}; }
constexpr Millis kMinute = 60 * 1000;

Json Landing() {
  return {{"page", {{"url", "https://s.test/?utm_source=mail"}, {"path", "/"}}},
          {"campaign", {{"source", "mail"}, {"name", "spring"}}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(visit)

BOOST_AUTO_TEST_CASE(sessions_follow_inactivity_and_campaigns) {
  CoreHarness h;
  h.Init(VisitConfig(), Landing());
  h.Track("Landed");
  h.now += 10 * kMinute;
  h.Send({{"type", "context"}, {"context", {{"page", {{"path", "/p/2"}}}}}});  // No campaign on page 2.
  h.Track("Second Page");
  h.now += 30 * kMinute;  // Exactly the timeout.
  h.Track("Came Back");
  h.Send({{"type", "context"}, {"context", {{"campaign", {{"source", "ads"}, {"gclid", "g1"}}}}}});
  h.now += kMinute;
  h.Track("New Campaign");
  const std::vector<Json> events = FlushedEvents(h);
  const Json& first = events[0]["context"]["session"];
  const Json& second = events[1]["context"]["session"];
  BOOST_TEST(first["isNew"] == true);
  BOOST_TEST(first["count"] == 1);
  BOOST_TEST(second["id"] == first["id"]);
  BOOST_TEST(second["isNew"] == false);
  BOOST_TEST(second["campaign"]["name"] == "spring");  // The landing campaign stays with the session.
  BOOST_TEST(events[2]["context"]["session"]["id"] != first["id"]);
  BOOST_TEST(events[2]["context"]["session"]["count"] == 2);
  BOOST_TEST(events[2]["context"]["session"].contains("campaign") == false);
  BOOST_TEST(events[3]["context"]["session"]["count"] == 3);
  BOOST_TEST(events[3]["context"]["session"]["campaign"]["gclid"] == "g1");
}

BOOST_AUTO_TEST_CASE(a_session_survives_a_reload_within_the_timeout) {
  CoreHarness first;
  first.Init(VisitConfig(), Landing());
  first.Track("Before Reload");
  const std::string id = FlushedEvents(first)[0]["context"]["session"]["id"];
  CoreHarness second = first.Reload(5 * kMinute);
  second.Init(VisitConfig());
  BOOST_TEST(second.Send({{"type", "inspect"}})["result"]["session"]["id"] == id);
  second.Track("After Reload");
  const Json session = second.Send({{"type", "inspect"}})["result"]["session"];
  BOOST_TEST(session["id"] == id);
  BOOST_TEST(session["campaign"]["name"] == "spring");
}

BOOST_AUTO_TEST_CASE(the_cart_follows_ecommerce_events_and_survives_a_reload) {
  CoreHarness first;
  first.Init(VisitConfig());
  first.Track("Product Added", {{"product_id", "p1"}, {"name", "Tote"}, {"price", 39}, {"quantity", 2},
                                {"currency", "EUR"}});
  first.Track("Product Added", {{"product_id", "p2"}, {"price", 10}});
  first.Track("Product Removed", {{"product_id", "p2"}});
  CoreHarness second = first.Reload(kMinute);
  second.Init(VisitConfig());
  const Json cart = second.Send({{"type", "inspect"}})["result"]["cart"];
  BOOST_TEST(cart["itemCount"] == 1);
  BOOST_TEST(cart["quantity"] == 2);
  BOOST_TEST(cart["value"] == 78);
  BOOST_TEST(cart["currency"] == "EUR");
  BOOST_TEST(cart["lastChangeAt"] == kStart);
  second.Track("Order Completed", {{"order_id", "o1"}, {"total", 78}});
  const Json after = second.Send({{"type", "inspect"}})["result"]["cart"];
  BOOST_TEST(after["itemCount"] == 0);
  BOOST_TEST(after["lastOrder"]["order_id"] == "o1");
}

BOOST_AUTO_TEST_CASE(ecommerce_properties_are_type_checked_on_track) {
  CoreHarness h;
  h.Init(VisitConfig());
  const Json bad = h.Track("Product Added", {{"product_id", "p1"}, {"price", "39 EUR"}});
  BOOST_TEST(bad["ok"] == false);
  BOOST_TEST(bad["error"]["path"] == "properties.price");
  const Json nested = h.Track("Order Completed", {{"order_id", "o"}, {"products", {{{"quantity", -1}}}}});
  BOOST_TEST(nested["error"]["path"] == "properties.products[0].quantity");
  BOOST_TEST(h.Send({{"type", "inspect"}})["result"]["cart"]["itemCount"] == 0);
  BOOST_TEST(h.Track("Custom Event", {{"price", "free"}})["ok"] == true);  // Not an e-commerce event.
}

BOOST_AUTO_TEST_CASE(reset_empties_the_cart_and_starts_a_new_session) {
  CoreHarness h;
  h.Init(VisitConfig());
  h.Track("Product Added", {{"product_id", "p1"}, {"price", 5}});
  const std::string session = h.Send({{"type", "inspect"}})["result"]["session"]["id"];
  h.Send({{"type", "reset"}});
  BOOST_TEST(h.storage.count("cart") == 0u);
  h.Track("After Logout");
  const Json state = h.Send({{"type", "inspect"}})["result"];
  BOOST_TEST(state["cart"]["itemCount"] == 0);
  BOOST_TEST(state["session"]["id"] != session);
  BOOST_TEST(state["userId"].is_null());
}

BOOST_AUTO_TEST_SUITE_END()
