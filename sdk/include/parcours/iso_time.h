// Formats the shell-supplied clock (milliseconds since the Unix epoch) as ISO 8601 UTC.
#pragma once

#include <cstdint>
#include <string>

namespace parcours {

// Milliseconds since 1970-01-01T00:00:00Z. Always handed in by the shell, never read here.
using Millis = int64_t;

// "2026-11-22T09:30:00.123Z". Pure arithmetic: no clock library, no libc time zone tables.
std::string FormatIso8601(Millis ms);

}  // namespace parcours
