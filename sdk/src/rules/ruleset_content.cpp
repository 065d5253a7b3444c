// Reads a campaign's content and variants (ruleset_read.h): every text field compiled as a
// template, products taken from a document path, weights normalized for bucketing.
#include <algorithm>
#include <utility>

#include "ruleset_read.h"

namespace parcours::rules {

const char* ContentKindName(ContentKind kind) {
  switch (kind) {
    case ContentKind::kOffer: return "offer";
    case ContentKind::kEmailCapture: return "emailCapture";
    case ContentKind::kPushOptIn: return "pushOptIn";
  }
  return "offer";
}

}  // namespace parcours::rules

namespace parcours::rules::read {
namespace {

std::vector<std::string> SplitPath(const std::string& dotted) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= dotted.size()) {
    const size_t dot = dotted.find('.', start);
    parts.push_back(dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

bool ReadContent(const Json& json, const std::string& at, Content* content, Error* error) {
  if (!json.is_object()) {
    *error = Invalid(at, "must be an object of text fields");
    return false;
  }
  static const char* const kFields[] = {"title",  "body",    "image",       "imageAlt", "cta",    "ctaUrl",
                                        "coupon", "dismiss", "placeholder", "consent",  "success"};
  for (const auto& item : json.items()) {
    const std::string& key = item.key();
    const Json& value = item.value();
    if (key == "products") continue;
    if (key == "kind") {
      const std::string* name = value.get_ptr<const std::string*>();
      int found = -1;
      for (int k = 0; name && k < 3; ++k) {
        if (*name == ContentKindName(static_cast<ContentKind>(k))) found = k;
      }
      if (found < 0) {
        *error = Invalid(at + ".kind", "must be \"offer\", \"emailCapture\" or \"pushOptIn\"");
        return false;
      }
      content->kind = static_cast<ContentKind>(found);
      continue;
    }
    if (std::find_if(std::begin(kFields), std::end(kFields), [&](const char* f) { return key == f; }) ==
        std::end(kFields)) {
      *error = Invalid(at + "." + key, "unknown content field (allowed: kind, title, body, image, imageAlt, cta, "
                                       "ctaUrl, coupon, dismiss, placeholder, consent, success, products)");
      return false;
    }
    const std::string* text = value.get_ptr<const std::string*>();
    if (!text) {
      *error = Invalid(at + "." + key, MakeError(ErrorCode::kInvalidTemplate, "must be a string").message);
      return false;
    }
    auto compiled = Template::Compile(*text);
    if (!compiled.ok()) {
      *error = Invalid(at + "." + key, compiled.error().message);
      return false;
    }
    content->fields.emplace(key, std::move(compiled.value()));
  }
  if (const Json* products = Find(json, "products")) {
    const std::string* from = FindString(*products, "from");
    int64_t limit = 3;
    if (!from || from->empty() || from->size() > 200) {
      *error = Invalid(at + ".products.from", "must be a dotted path such as \"cart.items\"");
      return false;
    }
    if (!ReadInt(*products, "limit", 1, kMaxProductsShown, at + ".products", &limit, error)) return false;
    content->products.path = SplitPath(*from);
    content->products.limit = static_cast<size_t>(limit);
  }
  return true;
}

}  // namespace

bool ReadVariants(const Json& campaign, const std::string& path, Campaign* out, Error* error) {
  const Json* variants = Find(campaign, "variants");
  const Json* content = Find(campaign, "content");
  if ((variants == nullptr) == (content == nullptr)) {
    *error = Invalid(path, "needs either \"content\" or \"variants\" (not both)");
    return false;
  }
  if (content) {
    Variant single{"default", 1, {}};
    if (!ReadContent(*content, At(path, "content"), &single.content, error)) return false;
    out->variants.push_back(std::move(single));
  } else {
    const std::string at = At(path, "variants");
    if (!variants->is_array() || variants->empty() || variants->size() > kMaxVariants) {
      *error = Invalid(at, "must be an array of 1 to " + std::to_string(kMaxVariants) + " variants");
      return false;
    }
    for (size_t i = 0; i < variants->size(); ++i) {
      const Json& json = (*variants)[i];
      const std::string vat = at + "." + std::to_string(i);
      Variant variant;
      double weight = 1;
      if (!ReadId(json, "id", vat, true, &variant.id, error)) return false;
      if (Find(json, "weight") && (!FindNumber(json, "weight", &weight) || !(weight >= 0) || weight > 1e6)) {
        *error = Invalid(vat + ".weight", "must be a number from 0 to 1000000");
        return false;
      }
      variant.weight = weight;
      const Json* variant_content = Find(json, "content");
      if (!variant_content) {
        *error = Invalid(vat + ".content", "is required");
        return false;
      }
      if (!ReadContent(*variant_content, vat + ".content", &variant.content, error)) return false;
      for (const Variant& other : out->variants) {
        if (other.id == variant.id) {
          *error = Invalid(vat + ".id", "\"" + variant.id + "\" is used twice");
          return false;
        }
      }
      out->variants.push_back(std::move(variant));
    }
  }
  double total = 0;
  for (const Variant& variant : out->variants) total += variant.weight;
  if (!(total > 0)) {
    *error = Invalid(At(path, "variants"), "the weights add up to 0");
    return false;
  }
  // Normalized, because bucketing takes shares of the unit interval.
  for (const Variant& variant : out->variants) out->weights.push_back(variant.weight / total);
  return true;
}

}  // namespace parcours::rules::read
