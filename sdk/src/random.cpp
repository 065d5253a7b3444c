// xoshiro128** (Blackman & Vigna): 32-bit operations only, cheap in WASM.
#include "parcours/random.h"

namespace parcours {
namespace {

uint32_t RotateLeft(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

}  // namespace

Random::Random(const std::array<uint32_t, 4>& seed) : state_(seed) {
  if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_ = {0x9E3779B9u, 0x243F6A88u, 0xB7E15162u, 0x1u};
}

uint32_t Random::NextU32() {
  const uint32_t result = RotateLeft(state_[1] * 5, 7) * 9;
  const uint32_t t = state_[1] << 9;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = RotateLeft(state_[3], 11);
  return result;
}

double Random::NextUnit() { return static_cast<double>(NextU32()) / 4294967296.0; }

std::string Random::UuidV4() {
  std::string out;
  AppendUuidV4(&out);
  return out;
}

void Random::AppendUuidV4(std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  uint8_t bytes[16];
  for (int i = 0; i < 16; i += 4) {
    const uint32_t word = NextU32();
    for (int j = 0; j < 4; ++j) bytes[i + j] = static_cast<uint8_t>(word >> (8 * j));
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char text[36];
  size_t at = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[at++] = '-';
    text[at++] = kHex[bytes[i] >> 4];
    text[at++] = kHex[bytes[i] & 0x0F];
  }
  out->append(text, sizeof text);
}

}  // namespace parcours
