// Civil-from-days after Howard Hinnant's public-domain algorithm: exact for the proleptic
// Gregorian calendar, no tables, no libc.
#include "parcours/iso_time.h"


namespace parcours {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;
  const int64_t era = FloorDiv(days, 146097);
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int64_t>(yoe) + era * 400 + (*month <= 2);
}

void AppendPadded(std::string* out, int64_t value, int width) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && n < 24);
  for (int i = n; i < width; ++i) out->push_back('0');
  while (n > 0) out->push_back(digits[--n]);
}

}  // namespace

std::string FormatIso8601(Millis ms) {
  const int64_t days = FloorDiv(ms, 86400000);
  const int64_t in_day = ms - days * 86400000;
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  // Years before 0 or after 9999 cannot come from a sane clock; clamp rather than emit invalid ISO.
  if (year < 0) year = 0;
  if (year > 9999) year = 9999;
  std::string out;
  out.reserve(24);
  AppendPadded(&out, year, 4);
  out.push_back('-');
  AppendPadded(&out, month, 2);
  out.push_back('-');
  AppendPadded(&out, day, 2);
  out.push_back('T');
  AppendPadded(&out, in_day / 3600000, 2);
  out.push_back(':');
  AppendPadded(&out, in_day / 60000 % 60, 2);
  out.push_back(':');
  AppendPadded(&out, in_day / 1000 % 60, 2);
  out.push_back('.');
  AppendPadded(&out, in_day % 1000, 3);
  out.push_back('Z');
  return out;
}

}  // namespace parcours
