// UTF-8 helpers shared by compiling (template_compile.cpp) and rendering (template.cpp)
// templates. Private to sdk/src/rules.
#pragma once

#include <cstddef>
#include <string_view>

namespace parcours::rules {

inline bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

inline size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (const char c : text) count += IsContinuation(c) ? 0 : 1;
  return count;
}

// The longest prefix of at most `max_bytes` that does not end inside a UTF-8 sequence.
inline size_t CutPoint(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  size_t cut = max_bytes;
  for (int back = 0; back < 3 && cut > 0 && IsContinuation(text[cut]); ++back) --cut;
  return cut;
}

}  // namespace parcours::rules
