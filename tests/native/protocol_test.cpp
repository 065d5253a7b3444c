// The JSON boundary: malformed inputs are refused with stable error ids and change nothing.
#include <boost/test/unit_test.hpp>

#include "core_harness.h"

using namespace parcours;
using namespace parcours::testing;

namespace {

Json Raw(Core& core, const std::string& input) { return Json::parse(HandleJson(core, input)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(protocol)

BOOST_AUTO_TEST_CASE(malformed_inputs_are_refused_with_stable_ids) {
  Core core("t");
  BOOST_TEST(Raw(core, "{not json")["error"]["code"] == "input.invalid_json");
  BOOST_TEST(Raw(core, "[1]")["error"]["code"] == "input.invalid");
  BOOST_TEST(Raw(core, R"({"now":1})")["error"]["path"] == "type");
  BOOST_TEST(Raw(core, R"({"type":"track","now":-5})")["error"]["path"] == "now");
  BOOST_TEST(Raw(core, R"({"type":"track","now":1.5})")["error"]["path"] == "now");
  BOOST_TEST(Raw(core, R"({"type":"dance","now":1})")["error"]["code"] == "input.unknown_type");
  BOOST_TEST(Raw(core, R"({"type":"track","now":1,"event":"E"})")["error"]["code"] == "core.not_initialized");
  BOOST_TEST(Raw(core, R"({"type":"init","now":1,"config":{"writeKey":"k"},"seed":[1,2]})")["error"]["path"] ==
             "seed");
  BOOST_TEST(core.initialized() == false);
}

BOOST_AUTO_TEST_CASE(config_errors_name_the_option) {
  CoreHarness h;
  const Json missing_key = h.Init({{"host", "x"}});
  BOOST_TEST(missing_key["error"]["code"] == "config.invalid");
  BOOST_TEST(missing_key["error"]["path"] == "writeKey");
  const Json bad_batch = h.Init({{"writeKey", "k"}, {"maxBatchEvents", 0}});
  BOOST_TEST(bad_batch["error"]["path"] == "maxBatchEvents");
  const Json too_big = h.Init({{"writeKey", "k"}, {"maxBatchBytes", 600 * 1024}});
  BOOST_TEST(too_big["error"]["path"] == "maxBatchBytes");
  BOOST_TEST(h.Init()["ok"] == true);  // A failed init leaves the core ready for a good one.
}

BOOST_AUTO_TEST_CASE(host_trailing_slashes_are_trimmed) {
  CoreHarness h;
  h.Init({{"writeKey", "k"}, {"host", "https://c.example.com//"}});
  h.Track("A");
  const auto sends = Effects(h.Flush(), "send");
  BOOST_TEST_REQUIRE(sends.size() == 1u);
  BOOST_TEST(sends[0]["url"] == "https://c.example.com/v1/batch");
}

BOOST_AUTO_TEST_CASE(delivered_input_is_validated) {
  CoreHarness h;
  h.Init();
  BOOST_TEST(h.Send({{"type", "delivered"}, {"status", 200}})["error"]["path"] == "batchId");
  BOOST_TEST(h.Send({{"type", "delivered"}, {"batchId", "b1"}, {"status", "ok"}})["error"]["path"] == "status");
  BOOST_TEST(h.Send({{"type", "delivered"}, {"batchId", "b1"}, {"status", 500}, {"retryAfterMs", -3}})["error"]["path"] ==
             "retryAfterMs");
}

BOOST_AUTO_TEST_SUITE_END()
