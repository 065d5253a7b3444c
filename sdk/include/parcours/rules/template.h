// Content templates: campaign text (title, body, CTA label, coupon, image alt...) with
// {{ path | filter }} placeholders, compiled once when a ruleset loads and rendered against
// the context document for every decision. Rendering never fails and its output is bounded.
//
// The syntax and semantics below are the contract (docs/RULES.md carries a copy):
//
// Placeholders
//   `{{ path }}`, spaces optional: `{{cart.items.0.name}}`. A path is dotted; each segment
//   is an object key, or an array index when it is a non-negative decimal without leading
//   zeros (`0`, `12`), the same lookup as GrowthBook conditions. A path is at most 256 bytes
//   and 16 segments and may not contain spaces, `|`, `"`, `:`, `\`, `{`, `}`, `[` or `]`;
//   so `cart.items[0]` is an error (write `cart.items.0`).
//   The context document is one object: user, session, cart, page, event, device, consent,
//   now.
//
// Values become plain text
//   string: as is. number: integers without a decimal point (`3`, not `3.0`); other numbers
//   with at most 10 decimals and no trailing zeros (`32.5`, `0.1 + 0.2` gives `0.3`).
//   true/false: `true`/`false`. missing, null, object, array: `` (empty; see `default`).
//   No HTML is produced or interpreted: `<b>` in a value or in the template is text, and
//   escaping it for the page is the renderer's job (it inserts text, never markup).
//
// Filters, applied left to right: `{{ user.traits.first_name | default: "there" | capitalize }}`
//   default: ARG      the argument (a "string" or a number) when the value renders empty:
//                     missing, null, "", an object or an array. 0 and false are kept.
//   money             a number with 2 decimals and comma-grouped thousands: `1,234.50`, in
//                     the currency of `cart.currency` (case-insensitive): EUR `€1,234.50`,
//                     USD `$1,234.50`, GBP `£1,234.50`; any other 3-letter code as a suffix,
//                     `1,234.50 CHF`; no currency or a malformed one: `1,234.50`. Negative:
//                     `-€3.00`. Rounded half up on the shortest decimal form of the number (as
//                     Intl.NumberFormat does): 1.005 gives `1.01`.
//   round             a number rounded to an integer, half away from zero (2.5 gives 3).
//   round: N          to N decimals, 0 <= N <= 6, then printed as any number (no trailing
//                     zeros: 3.04 | round: 1 gives `3`). Binary doubles again: 1.005 | round: 2
//                     gives `1`, not `1.01`.
//   upper, lower      letter case of ASCII and Latin-1 letters (é/É); others unchanged.
//   capitalize        uppercases the first character (ASCII or Latin-1) and keeps the rest
//                     (`mcDonald` gives `McDonald`; `lower | capitalize` lowercases the rest).
//   truncate: N       at most N characters (1 <= N <= 1000): a longer text keeps N - 1
//                     characters, trailing whitespace dropped, then `…`. Characters are Unicode
//                     code points, so a UTF-8 sequence is never cut (a multi-code-point emoji
//                     or an accent written as a combining mark can still be split).
//   count             elements of an array or object, characters of a string, 0 for a
//                     missing or null value.
//   money and round also accept a string holding a JSON number (`"32.5"`); applied to
//   anything else (text, true, an object...) they make the value missing, so a following
//   `default` applies. upper, lower, capitalize and truncate turn a number or boolean into
//   its text first; count makes a number or boolean missing.
//   Arguments follow a colon: a number (`-?digits(.digits)?`) or a double-quoted string
//   where `\"` is a quote and `\\` a backslash (no other escapes). A placeholder has at
//   most 8 filters.
//
// Literal text
//   Everything outside `{{ ... }}` is copied as is. Only `{{` opens a placeholder; it closes
//   at the first `}}` that is not inside a quoted argument. `{%`, `{#`, `${x}` and a lone `}}`
//   are plain text. In a run of three or more `{`, the last two open the placeholder and the
//   others are text: `{{{name}}}` renders `{Ada}`. (There is no raw-HTML triple brace.)
//
// Compile errors (rules.invalid_template, naming the problem and its byte offset; the
//   ruleset is refused): text over 8 KB, more than 64 placeholders, an unclosed `{{`, an empty
//   placeholder, a bad path, an unknown filter, a missing or bad filter argument.
// Rendering: a rendered field is at most 4 KB; longer output is cut at a UTF-8 character
//   boundary (no ellipsis). The work is linear in the template and the values it reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/error.h"
#include "parcours/json_access.h"

namespace parcours::rules {

inline constexpr size_t kMaxTemplateBytes = 8 * 1024;
inline constexpr size_t kMaxPlaceholders = 64;
inline constexpr size_t kMaxTemplatePathBytes = 256;
inline constexpr size_t kMaxTemplatePathSegments = 16;
inline constexpr size_t kMaxFiltersPerPlaceholder = 8;
inline constexpr size_t kMaxTruncateLength = 1000;
inline constexpr int kMaxRoundDigits = 6;
// Per rendered field: an offer's text is shown in a small card; 4 KB is pages of it.
inline constexpr size_t kMaxRenderedBytes = 4 * 1024;

class Template {
 public:
  // The compiled form, public only so that the implementation's helpers can name it.
  enum class FilterKind { kDefault, kMoney, kUpper, kLower, kCapitalize, kRound, kTruncate, kCount };
  struct Filter {
    FilterKind kind = FilterKind::kDefault;
    Json argument;  // null when the filter has none; a string or a number otherwise
  };
  struct Segment {
    std::string key;
    int64_t index = -1;  // the array index this segment denotes, -1 when it denotes none
  };
  struct Placeholder {
    std::string path;  // as written, e.g. "cart.items.0.name"
    std::vector<Segment> segments;
    std::vector<Filter> filters;
  };

  // An empty template: renders "".
  Template() = default;
  // Out of line: inlined, moving and destroying the nested vectors is a lot of WASM code at
  // every place that moves a Content.
  Template(const Template&);
  Template(Template&&) noexcept;
  Template& operator=(const Template&);
  Template& operator=(Template&&) noexcept;
  ~Template();

  // kInvalidTemplate with a message naming the problem and its byte offset.
  static Result<Template> Compile(std::string_view text);

  // Never fails; at most kMaxRenderedBytes bytes of valid UTF-8 when the template and the
  // document's strings are valid UTF-8.
  std::string Render(const Json& doc) const;

  bool HasPlaceholders() const { return !placeholders_.empty(); }
  // The dotted paths the template reads, each once, in order of appearance; "cart.currency"
  // is listed when a `money` filter reads it. For explanations and debugging.
  const std::vector<std::string>& Paths() const { return paths_; }

 private:
  // literals_[0] placeholders_[0] literals_[1] ... placeholders_[n-1] literals_[n]
  std::vector<std::string> literals_{std::string()};
  std::vector<Placeholder> placeholders_;
  std::vector<std::string> paths_;
};

}  // namespace parcours::rules
