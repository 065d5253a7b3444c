// Entry point of the native Boost.Test module.
#define BOOST_TEST_MODULE parcours_native
#include <boost/test/unit_test.hpp>
