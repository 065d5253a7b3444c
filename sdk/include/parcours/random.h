// Deterministic randomness: a xoshiro128** generator seeded by the shell.
// The core never draws entropy itself, so a seed and an input log replay byte for byte.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace parcours {

class Random {
 public:
  // The shell seeds from crypto.getRandomValues; an all-zero seed is remapped because
  // xoshiro's state must never be all zero.
  explicit Random(const std::array<uint32_t, 4>& seed = {0, 0, 0, 0});

  uint32_t NextU32();
  // Uniform in [0, 1).
  double NextUnit();
  // RFC 4122 version 4 UUID, lower-case hex with dashes.
  std::string UuidV4();
  // The same, appended to `out` (an event's members: no string of its own).
  void AppendUuidV4(std::string* out);

 private:
  std::array<uint32_t, 4> state_;
};

}  // namespace parcours
