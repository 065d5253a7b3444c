// GrowthBook-compatible hashing and bucket ranges, and the campaign variant/holdout assignment.
#include "parcours/rules/bucketing.h"

#include <cmath>
#include <string>

namespace parcours::rules {
namespace {

constexpr uint32_t kFnvOffsetBasis = 0x811c9dc5u;
constexpr uint32_t kFnvPrime = 16777619u;

void Mix(uint32_t* hash, uint32_t unit) {
  *hash ^= unit;
  *hash *= kFnvPrime;  // Unsigned: wraps modulo 2^32 exactly as the JS shifts-and-adds do.
}

// JS `charCodeAt` walks UTF-16 code units, so a code point above U+FFFF hashes as its two
// surrogates. Invalid input follows the WHATWG decoder: each maximal invalid subpart is one
// U+FFFD and the byte that broke a sequence is read again as a new lead.
uint32_t HashUtf16Units(std::string_view text) {
  uint32_t hash = kFnvOffsetBasis;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      Mix(&hash, lead);
      ++i;
      continue;
    }
    size_t needed = 0;
    uint32_t code_point = 0;
    unsigned char lower = 0x80, upper = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      needed = 1;
      code_point = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      needed = 2;
      code_point = lead & 0x0Fu;
      if (lead == 0xE0) lower = 0xA0;  // overlong
      if (lead == 0xED) upper = 0x9F;  // surrogates are not scalar values
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      needed = 3;
      code_point = lead & 0x07u;
      if (lead == 0xF0) lower = 0x90;  // overlong
      if (lead == 0xF4) upper = 0x8F;  // above U+10FFFF
    } else {
      Mix(&hash, 0xFFFD);
      ++i;
      continue;
    }
    size_t j = i + 1;
    bool complete = true;
    for (size_t k = 0; k < needed; ++k, ++j) {
      if (j >= text.size()) {
        complete = false;
        break;
      }
      const auto byte = static_cast<unsigned char>(text[j]);
      if (byte < lower || byte > upper) {
        complete = false;
        break;
      }
      lower = 0x80;
      upper = 0xBF;
      code_point = (code_point << 6) | (byte & 0x3Fu);
    }
    i = j;
    if (!complete) {
      Mix(&hash, 0xFFFD);
    } else if (code_point >= 0x10000) {
      const uint32_t offset = code_point - 0x10000;
      Mix(&hash, 0xD800 + (offset >> 10));
      Mix(&hash, 0xDC00 + (offset & 0x3FF));
    } else {
      Mix(&hash, code_point);
    }
  }
  return hash;
}

std::vector<double> EqualWeights(size_t n) {
  return n == 0 ? std::vector<double>() : std::vector<double>(n, 1.0 / static_cast<double>(n));
}

}  // namespace

uint32_t Fnv1a32(std::string_view bytes) {
  uint32_t hash = kFnvOffsetBasis;
  for (const char c : bytes) Mix(&hash, static_cast<unsigned char>(c));
  return hash;
}

uint32_t GrowthBookFnv32a(std::string_view utf8) { return HashUtf16Units(utf8); }

std::optional<double> GrowthBookHash(std::string_view seed, std::string_view value, int version) {
  if (version == 2) {
    std::string joined(seed);
    joined.append(value);
    const std::string inner = std::to_string(GrowthBookFnv32a(joined));
    return static_cast<double>(GrowthBookFnv32a(inner) % 10000u) / 10000.0;
  }
  if (version == 1) {
    std::string joined(value);
    joined.append(seed);
    return static_cast<double>(GrowthBookFnv32a(joined) % 1000u) / 1000.0;
  }
  return std::nullopt;
}

std::vector<std::pair<double, double>> BucketRanges(size_t variations, double coverage,
                                                    const std::vector<double>& weights) {
  if (std::isnan(coverage)) coverage = 1;
  if (coverage < 0) coverage = 0;
  if (coverage > 1) coverage = 1;

  const std::vector<double>* chosen = &weights;
  const std::vector<double> equal = EqualWeights(variations);
  if (weights.size() != variations) chosen = &equal;
  double total = 0;
  for (const double w : *chosen) total += w;
  // GrowthBook's tolerance, so weights typed as 0.3334/0.3333/0.3333 are accepted as is.
  if (!std::isfinite(total) || total < 0.99 || total > 1.01) chosen = &equal;

  std::vector<std::pair<double, double>> ranges;
  ranges.reserve(chosen->size());
  double cumulative = 0;
  for (const double w : *chosen) {
    const double start = cumulative;
    cumulative += w;
    ranges.emplace_back(start, start + coverage * w);
  }
  return ranges;
}

int ChooseVariation(double n, const std::vector<std::pair<double, double>>& ranges) {
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (n >= ranges[i].first && n < ranges[i].second) return static_cast<int>(i);
  }
  return -1;
}

Assignment Assign(std::string_view seed, std::string_view unit_id, const std::vector<double>& weights,
                  double holdout_share) {
  Assignment result;
  result.hash = *GrowthBookHash(seed, unit_id, 2);
  std::string holdout_seed(seed);
  holdout_seed += "|holdout";
  const double n_holdout = *GrowthBookHash(holdout_seed, unit_id, 2);
  if (n_holdout < holdout_share) {
    result.holdout = true;
    return result;
  }

  double total = 0;
  bool usable = true;
  for (const double w : weights) {
    if (!std::isfinite(w) || w < 0) usable = false;
    total += w;
  }
  std::vector<double> normalized;  // Empty: BucketRanges falls back to equal weights.
  if (usable && total > 0 && std::isfinite(total)) {
    normalized.reserve(weights.size());
    for (const double w : weights) normalized.push_back(w / total);
  }
  result.variant = ChooseVariation(result.hash, BucketRanges(weights.size(), 1.0, normalized));
  return result;
}

}  // namespace parcours::rules
