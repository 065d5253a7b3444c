// Sessions: started by the first event, by inactivity of at least the timeout, or by a new
// campaign; immune to a clock that goes backwards; persisted across page loads.
#include <boost/test/unit_test.hpp>

#include <limits>

#include "parcours/session.h"

using namespace parcours;

namespace {

constexpr Millis kMinute = 60 * 1000;
constexpr Millis kStart = 1763800000000;

}  // namespace

BOOST_AUTO_TEST_SUITE(session)

BOOST_AUTO_TEST_CASE(the_first_event_starts_a_session) {
  SessionTracker sessions;
  Random random({1, 2, 3, 4});
  BOOST_TEST(sessions.ToJson().is_null());
  BOOST_TEST(sessions.ExpiresAt() == -1);
  BOOST_TEST(sessions.Touch(kStart, "", &random));
  const Json out = sessions.ToJson();
  Random same({1, 2, 3, 4});
  BOOST_TEST(out["id"] == same.UuidV4());  // From the seeded generator: replayable.
  BOOST_TEST(out["count"] == 1);
  BOOST_TEST(out["startedAt"] == kStart);
  BOOST_TEST(out["isNew"] == true);
  BOOST_TEST(out.contains("campaign") == false);  // Kept internal.
  BOOST_TEST(sessions.ExpiresAt() == kStart + 30 * kMinute);
}

BOOST_AUTO_TEST_CASE(events_within_the_timeout_continue_the_session_and_clear_is_new) {
  SessionTracker sessions;
  Random random;
  sessions.Touch(kStart, "", &random);
  const std::string id = sessions.id();
  // Each event pushes the expiry: 29 minutes apart, ten times, is still one session.
  for (int i = 1; i <= 10; ++i) BOOST_TEST(sessions.Touch(kStart + i * 29 * kMinute, "", &random) == false);
  BOOST_TEST(sessions.id() == id);
  BOOST_TEST(sessions.count() == 1);
  BOOST_TEST(sessions.started_at() == kStart);
  BOOST_TEST(sessions.ToJson()["isNew"] == false);
  BOOST_TEST(sessions.ExpiresAt() == kStart + 290 * kMinute + 30 * kMinute);
}

BOOST_AUTO_TEST_CASE(exactly_the_timeout_of_inactivity_starts_a_new_session) {
  SessionTracker sessions(30 * kMinute);
  Random random;
  sessions.Touch(kStart, "", &random);
  const std::string first = sessions.id();
  BOOST_TEST(sessions.Touch(kStart + 30 * kMinute - 1, "", &random) == false);  // One ms short.
  BOOST_TEST(sessions.Touch(kStart + 60 * kMinute - 1, "", &random));         // Exactly 30 min later.
  BOOST_TEST(sessions.id() != first);
  BOOST_TEST(sessions.count() == 2);
  BOOST_TEST(sessions.started_at() == kStart + 60 * kMinute - 1);
  BOOST_TEST(sessions.ToJson()["isNew"] == true);
}

BOOST_AUTO_TEST_CASE(the_timeout_is_configurable) {
  SessionTracker sessions(1000);
  Random random;
  sessions.Touch(0, "", &random);
  BOOST_TEST(sessions.Touch(999, "", &random) == false);
  BOOST_TEST(sessions.Touch(1999, "", &random));
  BOOST_TEST(sessions.ExpiresAt() == 2999);
  // A timeout that would start a session per event falls back to 30 minutes.
  BOOST_TEST(SessionTracker(0).timeout_ms() == kDefaultSessionTimeoutMs);
  BOOST_TEST(SessionTracker(-5).timeout_ms() == kDefaultSessionTimeoutMs);
}

BOOST_AUTO_TEST_CASE(a_new_campaign_starts_a_new_session) {
  SessionTracker sessions;
  Random random;
  BOOST_TEST(sessions.Touch(kStart, "google/cpc/spring", &random));
  BOOST_TEST(sessions.Touch(kStart + 1000, "google/cpc/spring", &random) == false);  // Same campaign.
  BOOST_TEST(sessions.Touch(kStart + 2000, "", &random) == false);  // No campaign info: same visit.
  BOOST_TEST(sessions.Touch(kStart + 3000, "newsletter/email/may", &random));
  BOOST_TEST(sessions.count() == 2);
  BOOST_TEST(sessions.Touch(kStart + 4000, "newsletter/email/may", &random) == false);
  // A direct visit after a campaign session keeps it; a campaign after a direct one starts one.
  SessionTracker direct;
  direct.Touch(kStart, "", &random);
  BOOST_TEST(direct.Touch(kStart + 1000, "ads/cpc/x", &random));
}

BOOST_AUTO_TEST_CASE(a_clock_going_backwards_is_no_inactivity) {
  SessionTracker sessions;
  Random random;
  sessions.Touch(kStart, "", &random);
  const std::string id = sessions.id();
  for (int i = 1; i <= 100; ++i) BOOST_TEST(sessions.Touch(kStart - i * kMinute, "", &random) == false);
  BOOST_TEST(sessions.id() == id);
  BOOST_TEST(sessions.last_activity_at() == kStart - 100 * kMinute);
  // Inactivity is then measured from the last (earlier) time.
  BOOST_TEST(sessions.Touch(kStart - 70 * kMinute, "", &random));
  // Extreme times neither overflow nor crash.
  BOOST_TEST(sessions.Touch(std::numeric_limits<Millis>::max(), "", &random));
  BOOST_TEST(sessions.ExpiresAt() == std::numeric_limits<Millis>::max());
  BOOST_TEST(sessions.Touch(std::numeric_limits<Millis>::min(), "", &random) == false);
  BOOST_TEST(sessions.Touch(std::numeric_limits<Millis>::max(), "", &random));
}

BOOST_AUTO_TEST_CASE(encode_and_decode_round_trip) {
  SessionTracker sessions(5 * kMinute);
  Random random;
  sessions.Touch(kStart, "campaign", &random);
  sessions.Touch(kStart + kMinute, "", &random);
  const Result<SessionTracker> decoded = SessionTracker::Decode(sessions.Encode(), 5 * kMinute);
  BOOST_TEST_REQUIRE(decoded.ok());
  SessionTracker restored = decoded.value();
  BOOST_TEST(restored.ToJson() == sessions.ToJson());
  BOOST_TEST(restored.Encode() == sessions.Encode());
  BOOST_TEST(restored.ExpiresAt() == kStart + 6 * kMinute);
  // The campaign key survived: the same campaign after a reload is the same visit.
  BOOST_TEST(restored.Touch(kStart + 2 * kMinute, "campaign", &random) == false);
  BOOST_TEST(restored.Touch(kStart + 3 * kMinute, "other", &random));
  BOOST_TEST(restored.count() == 2);
  // Before any event.
  const Result<SessionTracker> none = SessionTracker::Decode(SessionTracker().Encode());
  BOOST_TEST_REQUIRE(none.ok());
  BOOST_TEST(none.value().active() == false);
  BOOST_TEST(none.value().ToJson().is_null());
}

BOOST_AUTO_TEST_CASE(decode_answers_an_error_for_corrupt_input) {
  const char* corrupt[] = {
      "",
      "{",
      "null",
      "[1]",
      "{}",
      "{\"v\":9,\"count\":0}",
      "{\"v\":1}",
      "{\"v\":1,\"count\":-1}",
      "{\"v\":1,\"count\":\"1\"}",
      "{\"v\":1,\"count\":1,\"id\":5}",
      "{\"v\":1,\"count\":1,\"id\":\"\"}",
      "{\"v\":1,\"count\":0,\"id\":\"a\",\"startedAt\":1,\"lastActivityAt\":1,\"campaign\":\"\",\"isNew\":false}",
      "{\"v\":1,\"count\":1,\"id\":\"a\",\"lastActivityAt\":1,\"campaign\":\"\",\"isNew\":false}",
      "{\"v\":1,\"count\":1,\"id\":\"a\",\"startedAt\":1,\"lastActivityAt\":\"1\",\"campaign\":\"\",\"isNew\":false}",
      "{\"v\":1,\"count\":1,\"id\":\"a\",\"startedAt\":1,\"lastActivityAt\":1,\"isNew\":false}",
      "{\"v\":1,\"count\":1,\"id\":\"a\",\"startedAt\":1,\"lastActivityAt\":1,\"campaign\":\"\",\"isNew\":1}",
  };
  for (const char* text : corrupt) {
    const Result<SessionTracker> decoded = SessionTracker::Decode(text);
    BOOST_TEST_REQUIRE(!decoded.ok(), "accepted: " << text);
    BOOST_TEST(std::string(ErrorId(decoded.error().code)) == "state.corrupt_snapshot");
  }
}

BOOST_AUTO_TEST_SUITE_END()
