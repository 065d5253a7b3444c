// Shortest digits and fixed-point text (number_text.h).
#include "parcours/number_text.h"

#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

namespace parcours {

DecimalDigits ShortestDigits(double positive) {
  DecimalDigits result;
  char buffer[32];
  int length = 0;
  int exponent = 0;
  nlohmann::detail::dtoa_impl::grisu2(buffer, length, exponent, positive);
  length = length > 17 ? 17 : length;
  std::memcpy(result.digits, buffer, static_cast<size_t>(length));
  result.count = length;
  result.point = length + exponent;
  return result;
}

std::string FormatFixed(double value, int decimals) {
  if (!std::isfinite(value)) return "";
  if (decimals < 0) decimals = 0;
  if (decimals > 17) decimals = 17;
  const bool negative = value < 0;
  const double magnitude = std::fabs(value);
  // Digits of the integer and fraction parts, most significant first, before rounding.
  std::string digits;
  int point = 1;  // How many of `digits` are before the decimal point.
  if (magnitude == 0) {
    digits = "0";
  } else {
    const DecimalDigits shortest = ShortestDigits(magnitude);
    digits.assign(shortest.digits, static_cast<size_t>(shortest.count));
    point = shortest.point;
    if (point <= 0) {
      digits.insert(0, static_cast<size_t>(1 - point), '0');
      point = 1;
    }
  }
  const size_t wanted = static_cast<size_t>(point + decimals);
  if (digits.size() < wanted) digits.append(wanted - digits.size(), '0');
  if (digits.size() > wanted) {
    const bool round_up = digits[wanted] >= '5';
    digits.resize(wanted);
    for (size_t i = wanted; round_up; --i) {
      if (i == 0) {
        digits.insert(digits.begin(), '1');
        ++point;
        break;
      }
      if (digits[i - 1] == '9') {
        digits[i - 1] = '0';
      } else {
        ++digits[i - 1];
        break;
      }
    }
  }
  std::string text = digits.substr(0, static_cast<size_t>(point));
  if (decimals > 0) text += "." + digits.substr(static_cast<size_t>(point));
  if (negative && digits.find_first_not_of('0') != std::string::npos) text.insert(0, "-");
  return text;
}

}  // namespace parcours
