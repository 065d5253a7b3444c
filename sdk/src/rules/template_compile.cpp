// Compiling content templates: splitting literal text from {{ placeholders }} and parsing
// each placeholder's path and filters; the syntax is in template.h, rendering in template.cpp.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "parcours/rules/template.h"
#include "template_text.h"

namespace parcours::rules {
namespace {

using FilterKind = Template::FilterKind;
using Filter = Template::Filter;
using Placeholder = Template::Placeholder;

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

}  // namespace parcours::rules
