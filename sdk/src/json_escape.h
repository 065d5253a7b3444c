// The \u escape reader that both the scanner (json_scan.cpp, to validate) and the decoder
// (json_decode.cpp, to decode) need: one definition, so they cannot disagree on what a
// well-formed escape is.
#pragma once

#include <cstddef>
#include <string_view>

namespace parcours {

// The code point of the \u escape at text[pos] (at the backslash), with a following low
// surrogate when it is a high one; *length gets the escape's length. -1 if malformed.
long EscapedCodePoint(std::string_view text, size_t pos, size_t* length);

}  // namespace parcours
