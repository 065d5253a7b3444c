// Consent: until analytics consent nothing is stored or sent (memory only); granting stores
// and sends what waited; denying refuses calls; withdrawing erases the unsent queue and the
// stored identity. Every event carries the decision.
#include <boost/test/unit_test.hpp>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

Json WithConsent(Json categories) {
  return {{"writeKey", "k"}, {"maxBatchEvents", 100}, {"flushIntervalMs", 1000}, {"consent", categories}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(consent)

BOOST_AUTO_TEST_CASE(pending_consent_keeps_everything_in_memory) {
  CoreHarness h;
  const Json init = h.Init(WithConsent({{"analytics", nullptr}}));
  BOOST_TEST(Effects(init, "persist").empty());
  h.Track("Before Consent");
  h.Send({{"type", "identify"}, {"userId", "u1"}});
  h.now += 60000;
  BOOST_TEST(Effects(h.Tick(), "send").empty());
  BOOST_TEST(Effects(h.Send({{"type", "unload"}}), "send").empty());
  BOOST_TEST(h.storage.empty());

  const Json granted = h.Send({{"type", "consent"}, {"categories", {{"analytics", true}}}});
  BOOST_TEST(StoredEvents(h) == 2u);
  BOOST_TEST(h.storage.count("state") == 1u);
  const auto sends = Effects(granted, "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  const Json events = BatchEvents(sends[0]);
  BOOST_TEST(events.size() == 2u);
  // Stamped with the decision in force when it was recorded.
  BOOST_TEST(events[0]["context"]["consent"]["categoryPreferences"]["analytics"].is_null());
}

BOOST_AUTO_TEST_CASE(denied_consent_refuses_calls) {
  CoreHarness h;
  h.Init(WithConsent({{"analytics", false}}));
  const Json refused = h.Track("Not Allowed");
  BOOST_TEST(refused["ok"] == false);
  BOOST_TEST(refused["error"]["code"] == "consent.denied");
  BOOST_TEST(h.Send({{"type", "identify"}, {"userId", "u"}})["error"]["code"] == "consent.denied");
  BOOST_TEST(refused["queue"]["pending"] == 0);
  BOOST_TEST(h.storage.empty());
}

BOOST_AUTO_TEST_CASE(withdrawing_analytics_purges_the_queue_and_the_stored_identity) {
  CoreHarness h;
  const std::string anonymous_id = h.Init(WithConsent({{"analytics", true}}))["result"]["anonymousId"];
  h.Send({{"type", "identify"}, {"userId", "u1"}});
  h.Track("Unsent 1");
  h.Track("Unsent 2");
  BOOST_TEST(StoredEvents(h) == 3u);
  const Json withdrawn = h.Send({{"type", "consent"}, {"categories", {{"analytics", false}}}});
  BOOST_TEST(withdrawn["queue"]["pending"] == 0);
  BOOST_TEST(h.storage.empty());  // Queue entries and the identity are gone.
  BOOST_TEST(h.Send({{"type", "stats"}})["result"]["dropped"]["consent"] == 3);
  // Granted again later: a new anonymous identity, unrelated to the withdrawn one.
  h.Send({{"type", "consent"}, {"categories", {{"analytics", true}}}});
  h.Track("After Regrant");
  const auto sends = Effects(h.Flush(), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  const Json event = BatchEvents(sends[0])[0];
  BOOST_TEST(event["anonymousId"] != anonymous_id);
  BOOST_TEST(event.contains("userId") == false);
}

BOOST_AUTO_TEST_CASE(categories_are_stamped_and_validated) {
  CoreHarness h;
  h.Init(WithConsent({{"analytics", true}, {"marketing", false}}));
  const Json updated = h.Send({{"type", "consent"}, {"categories", {{"personalization", true}, {"ads_vendor_x", false}}}});
  BOOST_TEST(updated["result"]["categoryPreferences"]["marketing"] == false);
  BOOST_TEST(updated["result"]["categoryPreferences"]["necessary"] == true);
  BOOST_TEST(h.Send({{"type", "consent"}, {"categories", {{"analytics", "yes"}}}})["error"]["path"] ==
             "consent.analytics");
  BOOST_TEST(h.Send({{"type", "consent"}, {"categories", 3}})["error"]["code"] == "consent.invalid");
  h.Track("E");
  const Json event = BatchEvents(Effects(h.Flush(), "send")[0])[0];
  const Json preferences = event["context"]["consent"]["categoryPreferences"];
  BOOST_TEST(preferences["analytics"] == true);
  BOOST_TEST(preferences["personalization"] == true);
  BOOST_TEST(preferences["ads_vendor_x"] == false);
  CoreHarness fresh;
  BOOST_TEST(fresh.Init(WithConsent({{"analytics", "maybe"}}))["error"]["code"] == "consent.invalid");
}

BOOST_AUTO_TEST_CASE(no_consent_option_means_everything_granted) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}});
  h.Track("E");
  BOOST_TEST(StoredEvents(h) == 1u);
  const Json event = BatchEvents(Effects(h.Flush(), "send")[0])[0];
  BOOST_TEST(event["context"]["consent"]["categoryPreferences"]["marketing"] == true);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(consent_regressions)

// Regression: on a site without a consent option, the first consent.set({marketing: false})
// turned consent management on and left analytics pending: sending silently stopped.
BOOST_AUTO_TEST_CASE(setting_one_category_leaves_the_others_as_they_were) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}});
  const Json set = h.Send({{"type", "consent"}, {"categories", {{"marketing", false}}}});
  BOOST_TEST(set["result"]["categoryPreferences"]["analytics"] == true);
  BOOST_TEST(set["result"]["categoryPreferences"]["marketing"] == false);
  h.Track("Still Sent");
  BOOST_TEST(Effects(h.Flush(), "send").size() == 1u);
}

BOOST_AUTO_TEST_CASE(necessary_cannot_be_denied) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}});
  const Json refused = h.Send({{"type", "consent"}, {"categories", {{"necessary", false}, {"analytics", false}}}});
  BOOST_TEST(refused["error"]["path"] == "consent.necessary");
  BOOST_TEST(h.Track("Unchanged")["ok"] == true);  // All or nothing: analytics was not denied.
}

// Regression: a paused queue (no consent yet) never looked settled, so flush() never resolved.
BOOST_AUTO_TEST_CASE(a_queue_waiting_for_consent_reports_paused) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"consent", {{"analytics", nullptr}}}});
  const Json out = h.Track("Waiting");
  BOOST_TEST(out["queue"]["pending"] == 1);
  BOOST_TEST(out["queue"]["paused"] == true);
  BOOST_TEST(h.Send({{"type", "consent"}, {"categories", {{"analytics", true}}}})["queue"]["paused"] == false);
}

BOOST_AUTO_TEST_SUITE_END()
