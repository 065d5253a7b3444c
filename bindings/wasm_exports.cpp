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

std::string& LastOutput() {
  static std::string output;
  return output;
}

size_t& LastJsonLength() {
  static size_t length = 0;
  return length;
}

}  // namespace

extern "C" {

// Memory for the shell to write an input into; released with parcours_free.
EMSCRIPTEN_KEEPALIVE void* parcours_alloc(size_t bytes) { return std::malloc(bytes); }

EMSCRIPTEN_KEEPALIVE void parcours_free(void* pointer) { std::free(pointer); }

// Handles one input of `length` UTF-8 bytes; returns the address of the output JSON, which
// stays valid until the next call (its length comes from parcours_output_length).
EMSCRIPTEN_KEEPALIVE const char* parcours_handle(const char* input, size_t length) {
  LastOutput() = parcours::HandleJson(TheCore(), std::string_view(input, length));
  return LastOutput().data();
}

EMSCRIPTEN_KEEPALIVE size_t parcours_output_length() { return LastOutput().size(); }

// The same, with batch bodies and stored values as raw slices after the JSON (see
// EncodeOutput): the shell decodes them straight from memory, nothing escaped.
EMSCRIPTEN_KEEPALIVE const char* parcours_handle_sliced(const char* input, size_t length) {
  LastOutput() = parcours::HandleJson(TheCore(), std::string_view(input, length), &LastJsonLength());
  return LastOutput().data();
}

// Bytes of the JSON part of the last sliced output.
EMSCRIPTEN_KEEPALIVE size_t parcours_output_json_length() { return LastJsonLength(); }

}  // extern "C"
