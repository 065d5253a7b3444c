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

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = FloorDiv(year, 400);
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Reads exactly `width` digits at *pos.
bool ReadDigits(std::string_view text, size_t* pos, int width, int64_t* value) {
  if (*pos + width > text.size()) return false;
  *value = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    *value = *value * 10 + (c - '0');
  }
  *pos += width;
  return true;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

}  // namespace

std::optional<Millis> ParseIso8601(std::string_view text) {
  size_t pos = 0;
  int64_t year, month, day, hour = 0, minute = 0, second = 0, millis = 0;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') || !ReadDigits(text, &pos, 2, &month) ||
      !Expect(text, &pos, '-') || !ReadDigits(text, &pos, 2, &day) || month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  static const int kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDaysInMonth[month - 1] || (month == 2 && day == 29 && !leap)) return std::nullopt;
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    if (!Expect(text, &pos, 'T') || !ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') ||
        !ReadDigits(text, &pos, 2, &minute) || !Expect(text, &pos, ':') || !ReadDigits(text, &pos, 2, &second) ||
        hour > 23 || minute > 59 || second > 60) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (digits++ < 3) millis = millis * 10 + (text[pos] - '0');
        ++pos;
      }
      if (digits == 0) return std::nullopt;
      for (; digits < 3; ++digits) millis *= 10;
    }
    if (Expect(text, &pos, 'Z')) {
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos++] == '-' ? -1 : 1;
      int64_t oh, om;
      if (!ReadDigits(text, &pos, 2, &oh) || !Expect(text, &pos, ':') || !ReadDigits(text, &pos, 2, &om)) {
        return std::nullopt;
      }
      offset_minutes = sign * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
  }
  const int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return ((days * 24 + hour) * 60 + minute - offset_minutes) * 60000 + second * 1000 + millis;
}

LocalTime ToLocalTime(Millis ms, int utc_offset_minutes) {
  const Millis local = ms + static_cast<Millis>(utc_offset_minutes) * 60000;
  LocalTime time;
  time.day_number = FloorDiv(local, 86400000);
  const int64_t in_day = local - time.day_number * 86400000;
  time.hour = static_cast<int>(in_day / 3600000);
  time.minute = static_cast<int>(in_day / 60000 % 60);
  // 1970-01-01 was a Thursday (ISO weekday 4).
  time.weekday = static_cast<int>(((time.day_number % 7) + 7 + 3) % 7) + 1;
  return time;
}

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
