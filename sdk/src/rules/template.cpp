// Rendering content templates against the context document: lookups, filters, output caps.
// The syntax is in template.h; compiling is template_compile.cpp.
#include "parcours/rules/template.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "parcours/number_text.h"
#include "template_text.h"

namespace parcours::rules {
namespace {

using FilterKind = Template::FilterKind;

// ASCII and Latin-1 (U+00C0-U+00FE, whose cases differ by 0x20 in the second UTF-8 byte,
// except × and ÷): enough for the languages offers are mostly written in, without tables.
void ChangeCase(std::string* text, bool upper, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text->size() && chars < max_chars; ++i) {
    char& c = (*text)[i];
    if (IsContinuation(c)) continue;
    ++chars;
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (static_cast<unsigned char>(c) != 0xC3 || i + 1 >= text->size()) continue;
    const auto next = static_cast<unsigned char>((*text)[i + 1]);
    if (upper && next >= 0xA0 && next <= 0xBE && next != 0xB7) (*text)[i + 1] = static_cast<char>(next - 0x20);
    if (!upper && next >= 0x80 && next <= 0x9E && next != 0x97) (*text)[i + 1] = static_cast<char>(next + 0x20);
  }
}

std::string Truncate(const std::string& text, size_t max_chars) {
  if (CountCodePoints(text) <= max_chars) return text;
  size_t end = 0, kept = 0;
  while (end < text.size() && (kept < max_chars - 1 || IsContinuation(text[end]))) {
    if (!IsContinuation(text[end])) ++kept;
    ++end;
  }
  // `end` is where character max_chars starts: everything before it is kept.
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\n')) --end;
  return text.substr(0, end) + "\xE2\x80\xA6";  // …
}

std::string FormatNumber(double number) {
  if (!std::isfinite(number)) return "";
  std::string text = FormatFixed(number, std::floor(number) == number ? 0 : 10);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

// The value flowing through a placeholder's filters.
struct Value {
  enum class Kind { kMissing, kText, kNumber, kBool, kStructured } kind = Kind::kMissing;
  std::string text;            // kText, kBool; for a JSON integer its exact digits (a double stops at 2^53)
  double number = 0;           // kNumber
  const Json* node = nullptr;  // kStructured

  static Value Of(const Json* json) {
    Value value;
    if (!json || json->is_null()) return value;
    if (const auto* s = json->get_ptr<const std::string*>()) {
      value.kind = Kind::kText;
      value.text = *s;
    } else if (const auto* b = json->get_ptr<const bool*>()) {
      value.kind = Kind::kBool;
      value.text = *b ? "true" : "false";
    } else if (json->is_number()) {
      value.kind = Kind::kNumber;
      value.number = json->get<double>();
      if (json->is_number_integer()) value.text = json->dump();
    } else if (json->is_structured()) {
      value.kind = Kind::kStructured;
      value.node = json;
    }
    return value;
  }
  static Value Number(double number) { return std::isfinite(number) ? Value{Kind::kNumber, "", number} : Value(); }
  static Value Text(std::string text) { return Value{Kind::kText, std::move(text)}; }

  std::string Render() const {
    switch (kind) {
      case Kind::kText:
      case Kind::kBool: return text;
      case Kind::kNumber: return text.empty() ? FormatNumber(number) : text;
      default: return "";
    }
  }
  // What money and round work on: a number, or a string holding a JSON number.
  bool AsNumber(double* out) const {
    if (kind == Kind::kNumber) {
      *out = number;
      return true;
    }
    if (kind != Kind::kText || text.empty() || text.size() > 64) return false;
    if (text[0] != '-' && (text[0] < '0' || text[0] > '9')) return false;
    const Json parsed = Json::parse(text, nullptr, false);
    if (!parsed.is_number()) return false;
    *out = parsed.get<double>();
    return std::isfinite(*out);
  }
};

const Json* Lookup(const Json& doc, const std::vector<Template::Segment>& segments) {
  const Json* node = &doc;
  for (const Template::Segment& segment : segments) {
    if (node->is_object()) {
      const auto it = node->find(segment.key);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (const auto* array = node->get_ptr<const Json::array_t*>()) {
      if (segment.index < 0 || static_cast<uint64_t>(segment.index) >= array->size()) return nullptr;
      node = &(*array)[static_cast<size_t>(segment.index)];
    } else {
      return nullptr;
    }
  }
  return node;
}

std::string Money(double amount, const Json& doc) {
  const std::string digits = FormatFixed(std::fabs(amount), 2);
  const size_t dot = digits.find('.');
  std::string grouped;
  for (size_t i = 0; i < dot; ++i) {
    if (i > 0 && (dot - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  grouped += digits.substr(dot);
  const bool negative = amount < 0 && grouped != "0.00";

  std::string code;
  const Json* cart = Find(doc, "cart");
  const std::string* currency = cart ? FindString(*cart, "currency") : nullptr;
  if (currency && currency->size() == 3) {
    for (char c : *currency) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (c < 'A' || c > 'Z') return (negative ? "-" : "") + grouped;
      code.push_back(c);
    }
  }
  const char* symbol = code == "EUR" ? "\xE2\x82\xAC" : code == "USD" ? "$" : code == "GBP" ? "\xC2\xA3" : nullptr;
  std::string out = negative ? "-" : "";
  if (symbol) return out + symbol + grouped;
  out += grouped;
  if (!code.empty()) out += " " + code;
  return out;
}

Value Apply(const Template::Filter& filter, Value value, const Json& doc) {
  using Kind = Value::Kind;
  double number = 0;
  switch (filter.kind) {
    case FilterKind::kDefault:
      if (!value.Render().empty()) return value;
      return Value::Of(&filter.argument);
    case FilterKind::kMoney:
      return value.AsNumber(&number) ? Value::Text(Money(number, doc)) : Value();
    case FilterKind::kRound: {
      if (!value.AsNumber(&number)) return Value();
      const int digits = filter.argument.is_number() ? filter.argument.get<int>() : 0;
      const double scale = std::pow(10.0, digits);
      const double rounded = std::round(number * scale) / scale;
      return Value::Number(std::isfinite(rounded) ? rounded : number);
    }
    case FilterKind::kCount:
      if (value.kind == Kind::kMissing) return Value::Number(0);
      if (value.kind == Kind::kStructured) return Value::Number(static_cast<double>(value.node->size()));
      if (value.kind == Kind::kText) return Value::Number(static_cast<double>(CountCodePoints(value.text)));
      return Value();
    default:
      break;
  }
  // Text filters.
  if (value.kind == Kind::kMissing || value.kind == Kind::kStructured) return Value();
  std::string text = value.Render();
  switch (filter.kind) {
    case FilterKind::kUpper: ChangeCase(&text, true, text.size()); break;
    case FilterKind::kLower: ChangeCase(&text, false, text.size()); break;
    case FilterKind::kCapitalize: ChangeCase(&text, true, 1); break;
    case FilterKind::kTruncate: text = Truncate(text, filter.argument.get<size_t>()); break;
    default: break;
  }
  return Value::Text(std::move(text));
}

// Appends what fits of `piece`; false once the output is full.
bool AppendCapped(std::string* out, std::string_view piece) {
  const size_t room = kMaxRenderedBytes - out->size();
  if (piece.size() <= room) {
    out->append(piece);
    return true;
  }
  out->append(piece.substr(0, CutPoint(piece, room)));
  return false;
}

// Parses the inside of one `{{ ... }}`; `offset` is where it starts in the template.
}  // namespace

Template::Template(const Template&) = default;
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(const Template&) = default;
Template& Template::operator=(Template&&) noexcept = default;
Template::~Template() = default;

std::string Template::Render(const Json& doc) const {
  std::string out;
  for (size_t k = 0; k < literals_.size(); ++k) {
    if (!AppendCapped(&out, literals_[k])) break;
    if (k == placeholders_.size()) break;
    const Placeholder& placeholder = placeholders_[k];
    Value value = Value::Of(Lookup(doc, placeholder.segments));
    for (const Filter& filter : placeholder.filters) value = Apply(filter, std::move(value), doc);
    if (!AppendCapped(&out, value.Render())) break;
  }
  return out;
}

}  // namespace parcours::rules
