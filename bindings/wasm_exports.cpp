// The whole WASM boundary: a few plain C exports around one long-lived Core. JSON strings
// in and out, no embind (its JS glue costs ~9 KB gzip against none for plain exports), no
// 64-bit integers (emcc 3.1.6 would turn them into BigInt), no callbacks into JS.
#include <emscripten/emscripten.h>

#include <cstddef>
#include <cstdlib>
#include <string>

#include "parcours/core.h"
#include "parcours/json_protocol.h"

namespace {

parcours::Core& TheCore() {
  static parcours::Core core(PARCOURS_VERSION);
  return core;
}

// The last answer, kept until the next call: its JSON and, for the in-place path, the
// output whose large strings that JSON points at.
std::string& LastOutput() {
  static std::string output;
  return output;
}

parcours::Output& LastEffects() {
  static parcours::Output effects;
  return effects;
}

// The shell has read the previous answer by now: its effects are freed before the next
// answer is built, and its JSON buffer is written over (kept, not reallocated per call), so
// two answers never take room in linear memory (which grows, never shrinks) at once. Measured
// with the burst bench: 1,000 queued events fit in the module's first megabyte this way.
void ForgetLastAnswer() {
  LastOutput().clear();
  LastEffects() = parcours::Output();
}

}  // namespace

extern "C" {

// Memory for the shell to write an input into; released with parcours_free.
EMSCRIPTEN_KEEPALIVE void* parcours_alloc(size_t bytes) { return std::malloc(bytes); }

EMSCRIPTEN_KEEPALIVE void parcours_free(void* pointer) { std::free(pointer); }

// Handles one input of `length` UTF-8 bytes; returns the address of the output JSON, which
// stays valid until the next call (its length comes from parcours_output_length).
EMSCRIPTEN_KEEPALIVE const char* parcours_handle(const char* input, size_t length) {
  // Built beside the previous answer, then swapped: for this path's single-event inputs,
  // dlmalloc fragments less this way (6,000 queued events: 4.0 MB of linear memory, 4.8 MB
  // when the previous answer is freed first).
  LastEffects() = parcours::Output();
  LastOutput() = parcours::HandleJson(TheCore(), std::string_view(input, length));
  return LastOutput().data();
}

EMSCRIPTEN_KEEPALIVE size_t parcours_output_length() { return LastOutput().size(); }

// The same, with batch bodies and stored values left in place (see EncodeOutputInPlace):
// the JSON gives their address and length, and the shell decodes them straight from memory,
// nothing escaped or copied. Valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* parcours_handle_sliced(const char* input, size_t length) {
  ForgetLastAnswer();
  LastEffects() = parcours::HandleInput(TheCore(), std::string_view(input, length));
  parcours::AppendOutputInPlace(LastEffects(), &LastOutput());
  return LastOutput().data();
}

}  // extern "C"
