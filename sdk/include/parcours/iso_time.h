// Formats the shell-supplied clock (milliseconds since the Unix epoch) as ISO 8601 UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parcours {

// Milliseconds since 1970-01-01T00:00:00Z. Always handed in by the shell, never read here.
using Millis = int64_t;

// "2026-11-22T09:30:00.123Z". Pure arithmetic: no clock library, no libc time zone tables.
std::string FormatIso8601(Millis ms);

// Reads "2026-11-22", "2026-11-22T09:30:00Z", "2026-11-22T09:30:00.123+01:00" (a date alone
// is midnight UTC); nullopt for anything else.
std::optional<Millis> ParseIso8601(std::string_view text);

// The wall clock at `ms` shifted by `utc_offset_minutes` (the site's time zone, from the shell).
struct LocalTime {
  int64_t day_number = 0;  // days since 1970-01-01 in that zone: a "per day" cap's key
  int weekday = 1;         // ISO 8601: 1 = Monday ... 7 = Sunday
  int hour = 0;
  int minute = 0;
};
LocalTime ToLocalTime(Millis ms, int utc_offset_minutes);

}  // namespace parcours
