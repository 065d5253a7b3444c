// Numbers as text without printf: the shortest digits that read back as the same double
// (Grisu2, the algorithm nlohmann's serializer already ships in the module) and fixed-point
// formatting on top of them. printf would pull a second formatter and long-double
// arithmetic into the WASM module, and counts as I/O for the core's purity rule.
#pragma once

#include <string>

namespace parcours {

// value = 0.d1 d2 ... d(count) × 10^point, for a finite value > 0.
struct DecimalDigits {
  char digits[18] = {};
  int count = 0;
  int point = 0;
};
DecimalDigits ShortestDigits(double positive);

// "1234.50" for (1234.5, 2): `decimals` (0 to 17) digits after the point, rounded half away
// from zero on the shortest digits; "-" for negatives that do not round to zero; "" when
// the value is not finite.
std::string FormatFixed(double value, int decimals);

}  // namespace parcours
