// Deterministic variant and holdout assignment for campaigns. The hashing is GrowthBook's
// (packages/sdk-js/src/util.ts), checked against their cases.json, so a seed and a unit id
// land in the same bucket here as in any GrowthBook SDK and experiments mean the same thing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace parcours::rules {

// FNV-1a, 32 bits, over the bytes of `bytes` (offset basis 0x811c9dc5, prime 16777619).
uint32_t Fnv1a32(std::string_view bytes);

// GrowthBook's fnv32a: FNV-1a over the UTF-16 code units of the text (JS charCodeAt), which
// is what their SDKs hash. `utf8` is decoded first; for ASCII this equals Fnv1a32. A byte
// that is not valid UTF-8 counts as U+FFFD, as a browser's TextDecoder would read it.
uint32_t GrowthBookFnv32a(std::string_view utf8);

// GrowthBook's hash, a number in [0, 1):
//   version 1: (fnv(value + seed) % 1000) / 1000        (their original, biased one)
//   version 2: (fnv(decimal(fnv(seed + value))) % 10000) / 10000
// any other version: nullopt.
std::optional<double> GrowthBookHash(std::string_view seed, std::string_view value, int version);

// GrowthBook's getBucketRanges: one [start, end) range per variation. Coverage is clamped
// to [0, 1] (NaN counts as 1, like a missing coverage); weights that are missing (empty),
// of the wrong length or that do not sum to 1 +/- 0.01 are replaced by equal weights.
// Variation i covers [sum of earlier weights, that + coverage * weight i).
std::vector<std::pair<double, double>> BucketRanges(size_t variations, double coverage,
                                                    const std::vector<double>& weights);

// Index of the first range with start <= n < end, -1 when none holds n.
int ChooseVariation(double n, const std::vector<std::pair<double, double>>& ranges);

struct Assignment {
  bool holdout = false;  // in the control group: tracked, shown nothing
  int variant = -1;      // -1 when held out (or when there is no variant to choose)
  double hash = 0;       // the variant hash, in [0, 1), reported in explanations
};

// The parcours campaign assignment, a pure function of its arguments:
//   hash    = GrowthBookHash(seed, unit_id, 2)
//   n_h     = GrowthBookHash(seed + "|holdout", unit_id, 2)
//   holdout = n_h < holdout_share
//   variant = holdout ? -1 : ChooseVariation(hash, BucketRanges(k, 1.0, normalized weights))
// The holdout uses its own hash so that editing variant weights never moves anyone in or
// out of the control group, and the control group is an unbiased slice of every variant.
// Weights are relative: they are divided by their sum first, so [1, 1, 2] means 25/25/50;
// weights with a negative or non-finite entry, or summing to 0, mean equal weights.
// `unit_id` is the userId when one is known, else the anonymousId: the caller decides, and
// should not bucket a visitor with neither (everyone with an empty id shares one bucket).
// Note that a login changes the unit id and can therefore change the assignment.
Assignment Assign(std::string_view seed, std::string_view unit_id, const std::vector<double>& weights,
                  double holdout_share);

}  // namespace parcours::rules
