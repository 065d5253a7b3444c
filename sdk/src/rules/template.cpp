// Compiling and rendering content templates; the syntax and semantics are in template.h.
#include "parcours/rules/template.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "parcours/number_text.h"

namespace parcours::rules {
namespace {

using FilterKind = Template::FilterKind;

// In FilterKind order.
constexpr const char* kFilterNames[] = {"default", "money", "upper", "lower", "capitalize", "round", "truncate", "count"};

// -?digits(.digits)?; nlohmann then refuses leading zeros, as JSON does.
bool IsDecimal(std::string_view token) {
  size_t i = token.empty() || token[0] != '-' ? 0 : 1;
  const auto digits = [&] {
    const size_t from = i;
    while (i < token.size() && token[i] >= '0' && token[i] <= '9') ++i;
    return i > from;
  };
  if (!digits()) return false;
  if (i < token.size() && token[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  return i == token.size();
}

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (const char c : text) count += IsContinuation(c) ? 0 : 1;
  return count;
}

// The longest prefix of at most `max_bytes` that does not end inside a UTF-8 sequence.
size_t CutPoint(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  size_t cut = max_bytes;
  for (int back = 0; back < 3 && cut > 0 && IsContinuation(text[cut]); ++back) --cut;
  return cut;
}

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
class PlaceholderParser {
 public:
  PlaceholderParser(std::string_view text, size_t offset) : text_(text), offset_(offset) {}

  Result<Template::Placeholder> Parse() {
    Template::Placeholder placeholder;
    SkipSpaces();
    const size_t path_start = pos_;
    while (pos_ < text_.size() && !IsSpace(text_[pos_]) && text_[pos_] != '|') ++pos_;
    placeholder.path = std::string(text_.substr(path_start, pos_ - path_start));
    if (auto error = ParsePath(&placeholder)) return *error;
    SkipSpaces();
    while (pos_ < text_.size()) {
      if (text_[pos_] != '|') return Fail("expected | or }}, found '" + std::string(1, text_[pos_]) + "'");
      ++pos_;
      if (placeholder.filters.size() == kMaxFiltersPerPlaceholder) return Fail("more than 8 filters");
      Result<Template::Filter> filter = ParseFilter();
      if (!filter.ok()) return filter.error();
      placeholder.filters.push_back(std::move(filter.value()));
      SkipSpaces();
    }
    return placeholder;
  }

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void SkipSpaces() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }
  Error Fail(const std::string& detail) const {
    std::string source(text_.substr(0, CutPoint(text_, 60)));
    return MakeError(ErrorCode::kInvalidTemplate,
                     detail + " in {{" + source + "}} at byte " + std::to_string(offset_ - 2));
  }

  std::optional<Error> ParsePath(Template::Placeholder* placeholder) const {
    const std::string& path = placeholder->path;
    if (path.empty()) return Fail("empty placeholder: expected a path such as cart.items.0.name");
    if (path.size() > kMaxTemplatePathBytes) return Fail("path longer than 256 bytes");
    for (const char c : path) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x21 || byte == 0x7F || std::string_view("|\":\\{}[]").find(c) != std::string_view::npos) {
        return Fail(std::string("bad character '") + c + "' in path '" + path +
                    "'; paths are dotted, e.g. cart.items.0.name");
      }
    }
    size_t start = 0;
    while (true) {
      const size_t dot = std::min(path.find('.', start), path.size());
      if (dot == start) return Fail("empty segment in path '" + path + "'");
      if (placeholder->segments.size() == kMaxTemplatePathSegments) return Fail("path has more than 16 segments");
      Template::Segment segment;
      segment.key = path.substr(start, dot - start);
      const bool digits = segment.key.find_first_not_of("0123456789") == std::string::npos;
      // Like a JS property key: "01" is a key, not index 1. Nine digits bound the value.
      if (digits && segment.key.size() <= 9 && (segment.key == "0" || segment.key[0] != '0')) {
        segment.index = 0;
        for (const char c : segment.key) segment.index = segment.index * 10 + (c - '0');
      }
      placeholder->segments.push_back(std::move(segment));
      if (dot == path.size()) return std::nullopt;
      start = dot + 1;
    }
  }

  static bool EndsName(char c) { return IsSpace(c) || c == ':' || c == '|'; }

  Result<Template::Filter> ParseFilter() {
    SkipSpaces();
    const size_t name_start = pos_;
    while (pos_ < text_.size() && !EndsName(text_[pos_])) ++pos_;
    const std::string name(text_.substr(name_start, pos_ - name_start));
    if (name.empty()) return Fail("expected a filter name after |");
    const auto known = std::find(std::begin(kFilterNames), std::end(kFilterNames), name);
    if (known == std::end(kFilterNames)) {
      return Fail("unknown filter '" + name + "' (known: default, money, round, upper, lower, capitalize, truncate, count)");
    }
    Template::Filter filter;
    filter.kind = static_cast<FilterKind>(known - std::begin(kFilterNames));
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == ':') {
      ++pos_;
      SkipSpaces();
      if (auto error = ParseArgument(&filter.argument, name)) return *error;
    }
    if (auto error = CheckArgument(filter, name)) return *error;
    return filter;
  }

  std::optional<Error> ParseArgument(Json* out, const std::string& filter) {
    if (pos_ < text_.size() && text_[pos_] == '"') {
      std::string value;
      for (++pos_; pos_ < text_.size() && text_[pos_] != '"'; ++pos_) {
        if (text_[pos_] == '\\') {
          const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
          if (next != '"' && next != '\\') return Fail("bad argument for " + filter + R"(: only \" and \\ are escapes)");
          ++pos_;
        }
        value.push_back(text_[pos_]);
      }
      if (pos_ >= text_.size()) return Fail("unterminated string argument for " + filter);
      ++pos_;
      *out = std::move(value);
      return std::nullopt;
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && std::string_view("-.0123456789").find(text_[pos_]) != std::string_view::npos) ++pos_;
    const std::string token(text_.substr(start, pos_ - start));
    const bool well_formed = IsDecimal(token);
    const Json number = well_formed ? Json::parse(token, nullptr, false) : Json();
    if (!number.is_number()) return Fail("bad argument for " + filter + ": expected a number or a \"quoted string\"");
    *out = number;
    return std::nullopt;
  }

  std::optional<Error> CheckArgument(const Template::Filter& filter, const std::string& name) const {
    const Json& arg = filter.argument;
    switch (filter.kind) {
      case FilterKind::kDefault:
        if (arg.is_null()) return Fail("default needs an argument, e.g. default: \"there\"");
        return std::nullopt;
      case FilterKind::kRound:
        if (arg.is_null()) return std::nullopt;
        if (!arg.is_number_integer() || arg.get<int64_t>() < 0 || arg.get<int64_t>() > kMaxRoundDigits) {
          return Fail("bad argument for round: expected a whole number of decimals from 0 to 6");
        }
        return std::nullopt;
      case FilterKind::kTruncate:
        if (!arg.is_number_integer() || arg.get<int64_t>() < 1 || arg.get<int64_t>() > static_cast<int64_t>(kMaxTruncateLength)) {
          return Fail("bad argument for truncate: expected a whole number of characters from 1 to 1000");
        }
        return std::nullopt;
      default:
        if (!arg.is_null()) return Fail("filter " + name + " takes no argument");
        return std::nullopt;
    }
  }

  std::string_view text_;
  size_t offset_;
  size_t pos_ = 0;
};

}  // namespace

Template::Template(const Template&) = default;
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(const Template&) = default;
Template& Template::operator=(Template&&) noexcept = default;
Template::~Template() = default;

Result<Template> Template::Compile(std::string_view text) {
  if (text.size() > kMaxTemplateBytes) {
    return MakeError(ErrorCode::kInvalidTemplate,
                     "template is " + std::to_string(text.size()) + " bytes; the limit is 8192");
  }
  Template compiled;
  compiled.literals_.clear();
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("{{", i);
    if (open == std::string_view::npos) {
      literal.append(text.substr(i));
      break;
    }
    while (open + 2 < text.size() && text[open + 2] == '{') ++open;  // "{{{x}}}": the last two open
    literal.append(text.substr(i, open - i));
    size_t close = open + 2;
    bool in_string = false;
    for (; close < text.size(); ++close) {
      const char c = text[close];
      if (in_string && c == '\\') {
        ++close;
      } else if (c == '"') {
        in_string = !in_string;
      } else if (!in_string && c == '}' && close + 1 < text.size() && text[close + 1] == '}') {
        break;
      }
    }
    if (close >= text.size()) {
      return MakeError(ErrorCode::kInvalidTemplate, "unclosed {{ at byte " + std::to_string(open) +
                                                        (in_string ? " (a quoted argument is not closed)" : ""));
    }
    if (compiled.placeholders_.size() == kMaxPlaceholders) {
      return MakeError(ErrorCode::kInvalidTemplate, "more than 64 placeholders");
    }
    Result<Placeholder> placeholder = PlaceholderParser(text.substr(open + 2, close - open - 2), open + 2).Parse();
    if (!placeholder.ok()) return placeholder.error();
    compiled.literals_.push_back(std::move(literal));
    literal.clear();
    compiled.placeholders_.push_back(std::move(placeholder.value()));
    i = close + 2;
  }
  compiled.literals_.push_back(std::move(literal));

  std::vector<std::string>& paths = compiled.paths_;
  const auto add = [&paths](const std::string& path) {
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  };
  for (const Placeholder& placeholder : compiled.placeholders_) {
    add(placeholder.path);
    for (const Filter& filter : placeholder.filters) {
      if (filter.kind == FilterKind::kMoney) add("cart.currency");
    }
  }
  return compiled;
}

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
