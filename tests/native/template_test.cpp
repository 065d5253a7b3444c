// Content templates: placeholders, value formatting, every filter, compile errors, literal
// braces and the rendered-size cap (semantics in sdk/include/parcours/rules/template.h).
#include <boost/test/unit_test.hpp>

#include <string>

#include "parcours/json_access.h"
#include "parcours/rules/template.h"

using namespace parcours;
using namespace parcours::rules;

namespace {

const Json& Doc() {
  static const Json doc = Json::parse(R"({
    "user": {"traits": {"first_name": "ada", "last_name": "", "nick": null, "vip": true,
                         "city": "\u00e9vry", "score": 0, "flag": false, "ltv": "1234.5",
                         "tags": ["a", "b", "c"], "big": 12345678901234567890, "neg": -42}},
    "cart": {"value": 32.5, "currency": "EUR", "count": 3,
             "items": [{"name": "Blue <b>mug</b>", "price": 12}, {"name": "Tea", "price": 20.5}]},
    "page": {"title": "Caf\u00e9 \u00d7 \u00f7", "0": "zero-key"},
    "numbers": {"tenth": 0.1, "third": 0.30000000000000004, "float_int": 3.0, "half": 2.5,
                "neg_half": -2.5, "pi": 3.14159, "huge": 1e21, "tiny": 1e-12, "neg_zero": -0.0},
    "now": 1763800000000
  })", nullptr, false);
  return doc;
}

Json WithCurrency(const Json& currency, double value) {
  Json doc = Json::object();
  doc["cart"] = Json::object();
  doc["cart"]["currency"] = currency;
  doc["cart"]["value"] = value;
  return doc;
}

std::string Render(const std::string& text, const Json& doc = Doc()) {
  Result<Template> compiled = Template::Compile(text);
  BOOST_TEST_REQUIRE(compiled.ok(), text << ": " << (compiled.ok() ? "" : compiled.error().message));
  return compiled.value().Render(doc);
}

// The compile error's message, "" when it compiled.
std::string ErrorOf(const std::string& text) {
  Result<Template> compiled = Template::Compile(text);
  if (compiled.ok()) return "";
  BOOST_TEST(std::string(ErrorId(compiled.error().code)) == "rules.invalid_template");
  BOOST_TEST(compiled.error().message.rfind("[parcours.rules.invalid_template] ", 0) == 0u);
  return compiled.error().message;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool EndsOnCharacterBoundary(const std::string& text) {
  size_t i = text.size();
  size_t continuation = 0;
  while (i > 0 && (static_cast<unsigned char>(text[i - 1]) & 0xC0) == 0x80) --i, ++continuation;
  if (i == 0) return continuation == 0;
  const auto lead = static_cast<unsigned char>(text[i - 1]);
  const size_t expected = lead < 0x80 ? 0 : lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
  return continuation == expected;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(templates)

BOOST_AUTO_TEST_CASE(plain_text_and_paths) {
  const Result<Template> plain = Template::Compile("Free shipping today");
  BOOST_TEST_REQUIRE(plain.ok());
  BOOST_TEST(!plain.value().HasPlaceholders());
  BOOST_TEST(plain.value().Render(Doc()) == "Free shipping today");
  BOOST_TEST(Template().Render(Doc()) == "");

  BOOST_TEST(Render("Hi {{user.traits.first_name}}!") == "Hi ada!");
  BOOST_TEST(Render("Hi {{   user.traits.first_name\t}}!") == "Hi ada!");
  BOOST_TEST(Render("{{cart.items.0.name}} / {{ cart.items.1.name }}") == "Blue <b>mug</b> / Tea");
  BOOST_TEST(Render("[{{cart.items.2.name}}]") == "[]");        // past the end
  BOOST_TEST(Render("[{{cart.items.01.name}}]") == "[]");       // "01" is a key, not an index
  BOOST_TEST(Render("[{{cart.items.first.name}}]") == "[]");    // a key on an array
  BOOST_TEST(Render("[{{page.0}}]") == "[zero-key]");           // a digit key on an object
  BOOST_TEST(Render("[{{user.traits.first_name.x}}]") == "[]");  // through a string
  BOOST_TEST(Render("[{{nobody.home}}]") == "[]");
  BOOST_TEST(Render("[{{user.traits.nick}}][{{user.traits.tags}}][{{cart}}]") == "[][][]");
  BOOST_TEST(Render("[{{cart.value}}]", Json("not an object")) == "[]");
  // No HTML is produced or interpreted: the renderer escapes.
  BOOST_TEST(Render("<p>{{cart.items.0.name}}</p>") == "<p>Blue <b>mug</b></p>");
}

BOOST_AUTO_TEST_CASE(values_become_plain_text) {
  BOOST_TEST(Render("{{cart.count}} {{cart.value}} {{numbers.float_int}}") == "3 32.5 3");
  BOOST_TEST(Render("{{numbers.tenth}} {{numbers.third}} {{numbers.pi}}") == "0.1 0.3 3.14159");
  BOOST_TEST(Render("{{numbers.huge}}|{{numbers.tiny}}|{{numbers.neg_zero}}") == "1000000000000000000000|0|0");
  BOOST_TEST(Render("{{user.traits.big}} {{user.traits.neg}} {{now}}") == "12345678901234567890 -42 1763800000000");
  BOOST_TEST(Render("{{user.traits.vip}}/{{user.traits.flag}}") == "true/false");
}

BOOST_AUTO_TEST_CASE(default_filter) {
  BOOST_TEST(Render(R"({{user.traits.nickname | default: "there"}})") == "there");  // missing
  BOOST_TEST(Render(R"({{user.traits.nick | default: "there"}})") == "there");      // null
  BOOST_TEST(Render(R"({{user.traits.last_name | default: "friend"}})") == "friend");  // ""
  BOOST_TEST(Render(R"({{user.traits.tags | default: "-"}})") == "-");              // array
  BOOST_TEST(Render(R"({{user.traits.score | default: "none"}})") == "0");          // 0 kept
  BOOST_TEST(Render(R"({{user.traits.flag | default: "none"}})") == "false");       // false kept
  BOOST_TEST(Render(R"({{user.traits.first_name | default: "there"}})") == "ada");
  BOOST_TEST(Render("{{cart.discount | default: 0}}|{{x | default: -1.50}}") == "0|-1.5");
  BOOST_TEST(Render(R"({{x | default: "say \"hi\" \\o/"}})") == R"(say "hi" \o/)");
  BOOST_TEST(Render(R"({{x | default: "}} {{ |"}})") == "}} {{ |");
}

BOOST_AUTO_TEST_CASE(money_filter) {
  BOOST_TEST(Render("{{cart.value | money}}") == "\xE2\x82\xAC" "32.50");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("USD", 1234.5)) == "$1,234.50");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("GBP", 0.5)) == "\xC2\xA3" "0.50");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("eur", 1234567.891)) == "\xE2\x82\xAC" "1,234,567.89");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("CHF", 32.5)) == "32.50 CHF");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("jpy", 999)) == "999.00 JPY");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("EURO", 100)) == "100.00");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("E1R", 100)) == "100.00");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency(nullptr, 100)) == "100.00");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("EUR", -3)) == "-\xE2\x82\xAC" "3.00");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("CHF", -1000)) == "-1,000.00 CHF");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("USD", -0.001)) == "$0.00");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("USD", 100)) == "$100.00");
  // Rounded on the shortest decimal form, as Intl.NumberFormat does: 1.005 is 1.01.
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("USD", 1.005)) == "$1.01");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("USD", 2.675)) == "$2.68");
  BOOST_TEST(Render("{{cart.value | money}}", WithCurrency("USD", 999.995)) == "$1,000.00");
  BOOST_TEST(Render("{{user.traits.ltv | money}}") == "\xE2\x82\xAC" "1,234.50");  // numeric string
  BOOST_TEST(Render(R"({{user.traits.first_name | money | default: "?"}})") == "?");
  BOOST_TEST(Render(R"({{cart.items | money | default: "?"}})") == "?");
}

BOOST_AUTO_TEST_CASE(round_filter) {
  BOOST_TEST(Render("{{numbers.half | round}} {{numbers.neg_half | round}} {{numbers.pi | round}}") == "3 -3 3");
  BOOST_TEST(Render("{{numbers.pi | round: 1}} {{numbers.pi | round: 3}} {{numbers.pi | round: 0}}") == "3.1 3.142 3");
  BOOST_TEST(Render("{{cart.count | round: 2}} {{user.traits.ltv | round}}") == "3 1235");
  BOOST_TEST(Render(R"({{user.traits.vip | round | default: "n/a"}})") == "n/a");
  BOOST_TEST(Render("{{numbers.pi | round: 2 | money}}") == "\xE2\x82\xAC" "3.14");
  BOOST_TEST(Render("{{cart.value | round: 2}}", WithCurrency("USD", 1.005)) == "1");  // binary rounding
}

BOOST_AUTO_TEST_CASE(case_filters) {
  BOOST_TEST(Render("{{user.traits.first_name | upper}}") == "ADA");
  BOOST_TEST(Render("{{page.title | upper}}") == "CAF\xC3\x89 \xC3\x97 \xC3\xB7");  // × ÷ unchanged
  BOOST_TEST(Render("{{page.title | lower}}") == "caf\xC3\xA9 \xC3\x97 \xC3\xB7");
  BOOST_TEST(Render("{{user.traits.city | capitalize}}") == "\xC3\x89vry");
  BOOST_TEST(Render(R"({{x | default: "mcDonald" | capitalize}})") == "McDonald");
  BOOST_TEST(Render(R"({{x | default: "mcDONALD" | lower | capitalize}})") == "Mcdonald");
  BOOST_TEST(Render(R"({{x | default: "ÉLODIE" | lower}})") == "\xC3\xA9lodie");
  BOOST_TEST(Render("{{user.traits.vip | upper}} {{cart.value | upper}}") == "TRUE 32.5");
  BOOST_TEST(Render(R"({{x | upper | default: "none"}})") == "none");
}

BOOST_AUTO_TEST_CASE(truncate_filter_is_utf8_safe) {
  BOOST_TEST(Render(R"({{x | default: "Hello world" | truncate: 7}})") == "Hello\xE2\x80\xA6");
  BOOST_TEST(Render(R"({{x | default: "Hello world" | truncate: 11}})") == "Hello world");
  BOOST_TEST(Render(R"({{x | default: "Hello world" | truncate: 10}})") == "Hello wor\xE2\x80\xA6");
  BOOST_TEST(Render(R"({{x | default: "Hello" | truncate: 1}})") == "\xE2\x80\xA6");
  BOOST_TEST(Render(R"({{x | default: "ééééé" | truncate: 3}})") == "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
  BOOST_TEST(Render(R"({{x | default: "😀😀😀" | truncate: 2}})") == "\xF0\x9F\x98\x80\xE2\x80\xA6");
  BOOST_TEST(Render(R"({{x | default: "😀😀😀" | truncate: 3}})") == "😀😀😀");
  BOOST_TEST(Render("{{cart.items.0.name | truncate: 8 | upper}}") == "BLUE <B\xE2\x80\xA6");
  BOOST_TEST(Render("{{numbers.pi | truncate: 3}}") == "3.\xE2\x80\xA6");
}

BOOST_AUTO_TEST_CASE(count_filter) {
  BOOST_TEST(Render("{{cart.items | count}} {{cart | count}} {{user.traits.tags | count}}") == "2 4 3");
  BOOST_TEST(Render("{{user.traits.city | count}} {{nothing | count}} {{user.traits.nick | count}}") == "4 0 0");
  BOOST_TEST(Render(R"({{cart.value | count | default: "?"}})") == "?");
  BOOST_TEST(Render("You have {{cart.items | count}} items worth {{cart.value | money}}") ==
             "You have 2 items worth \xE2\x82\xAC" "32.50");
}

BOOST_AUTO_TEST_CASE(chains_apply_left_to_right) {
  BOOST_TEST(Render(R"({{user.traits.nickname | default: "there" | capitalize}})") == "There");
  BOOST_TEST(Render(R"({{user.traits.nickname | capitalize | default: "there"}})") == "there");
  BOOST_TEST(Render(R"({{cart.discount | default: 0 | money}})") == "\xE2\x82\xAC" "0.00");
  BOOST_TEST(Render(R"({{ cart.items.1.name|upper|truncate:2 }})") == "T\xE2\x80\xA6");
}

BOOST_AUTO_TEST_CASE(literal_braces) {
  BOOST_TEST(Render("{% if %} {# x #} ${cart} { {cart} }") == "{% if %} {# x #} ${cart} { {cart} }");
  BOOST_TEST(Render("a }} b } c {") == "a }} b } c {");
  BOOST_TEST(Render("{{{user.traits.first_name}}}") == "{ada}");
  BOOST_TEST(Render("{{{{user.traits.first_name}}}}") == "{{ada}}");
  BOOST_TEST(Render("{{user.traits.first_name}}{{user.traits.first_name}}") == "adaada");
  BOOST_TEST(Render("\"quoted\" {{ user.traits.first_name }} \"text\"") == "\"quoted\" ada \"text\"");
}

BOOST_AUTO_TEST_CASE(compile_errors_name_the_problem) {
  BOOST_TEST(Contains(ErrorOf("Hi {{user.name"), "unclosed {{ at byte 3"));
  BOOST_TEST(Contains(ErrorOf(R"({{x | default: "oops}})"), "quoted argument is not closed"));
  BOOST_TEST(Contains(ErrorOf("{{ }}"), "empty placeholder"));
  BOOST_TEST(Contains(ErrorOf("{{ | upper }}"), "empty placeholder"));
  BOOST_TEST(Contains(ErrorOf("{{user.name | uper}}"), "unknown filter 'uper'"));
  BOOST_TEST(Contains(ErrorOf("{{user.name | Upper}}"), "unknown filter 'Upper'"));
  BOOST_TEST(Contains(ErrorOf("{{user.name | }}"), "expected a filter name"));
  BOOST_TEST(Contains(ErrorOf("{{user.name | upper | }}"), "expected a filter name"));
  BOOST_TEST(Contains(ErrorOf("{{user.name upper}}"), "expected | or }}"));
  BOOST_TEST(Contains(ErrorOf("{{cart.items[0].name}}"), "bad character '['"));
  BOOST_TEST(Contains(ErrorOf("{{cart..name}}"), "empty segment"));
  BOOST_TEST(Contains(ErrorOf("{{cart.name.}}"), "empty segment"));
  BOOST_TEST(Contains(ErrorOf("{{x | default}}"), "default needs an argument"));
  BOOST_TEST(Contains(ErrorOf("{{x | default: there}}"), "bad argument for default"));
  BOOST_TEST(Contains(ErrorOf(R"({{x | default: "a\nb"}})"), "only \\\" and \\\\ are escapes"));
  BOOST_TEST(Contains(ErrorOf("{{x | truncate}}"), "bad argument for truncate"));
  BOOST_TEST(Contains(ErrorOf("{{x | truncate: 0}}"), "bad argument for truncate"));
  BOOST_TEST(Contains(ErrorOf("{{x | truncate: 1001}}"), "bad argument for truncate"));
  BOOST_TEST(Contains(ErrorOf(R"({{x | truncate: "20"}})"), "bad argument for truncate"));
  BOOST_TEST(Contains(ErrorOf("{{x | truncate: 2.5}}"), "bad argument for truncate"));
  BOOST_TEST(Contains(ErrorOf("{{x | round: 7}}"), "bad argument for round"));
  BOOST_TEST(Contains(ErrorOf("{{x | round: -1}}"), "bad argument for round"));
  BOOST_TEST(Contains(ErrorOf("{{x | round: 01}}"), "bad argument for round"));
  BOOST_TEST(Contains(ErrorOf("{{x | round: 1.}}"), "bad argument for round"));
  BOOST_TEST(Contains(ErrorOf("{{x | money: 2}}"), "filter money takes no argument"));
  BOOST_TEST(Contains(ErrorOf("{{x | upper: 2}}"), "filter upper takes no argument"));
  BOOST_TEST(Contains(ErrorOf("{{x | truncate: 5 extra}}"), "expected | or }}, found 'e'"));
  BOOST_TEST(Contains(ErrorOf("{{x|upper|upper|upper|upper|upper|upper|upper|upper|upper}}"), "more than 8 filters"));
  BOOST_TEST(ErrorOf("{{x|upper|upper|upper|upper|upper|upper|upper|upper}}") == "");
  BOOST_TEST(Contains(ErrorOf("{{" + std::string(257, 'a') + "}}"), "path longer than 256 bytes"));
  BOOST_TEST(ErrorOf("{{" + std::string(256, 'a') + "}}") == "");
  BOOST_TEST(Contains(ErrorOf("{{a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q}}"), "more than 16 segments"));
  BOOST_TEST(ErrorOf("{{a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p}}") == "");

  std::string many;
  for (int i = 0; i < 64; ++i) many += "{{a}}";
  BOOST_TEST(ErrorOf(many) == "");
  BOOST_TEST(Contains(ErrorOf(many + "{{a}}"), "more than 64 placeholders"));
  BOOST_TEST(ErrorOf(std::string(8192, 'x')) == "");
  BOOST_TEST(Contains(ErrorOf(std::string(8193, 'x')), "8193 bytes; the limit is 8192"));
}

BOOST_AUTO_TEST_CASE(paths_lists_what_the_template_reads) {
  const Result<Template> t = Template::Compile(
      "{{user.traits.first_name | default: \"x\"}} {{cart.value | money}} {{user.traits.first_name}} {{cart.items.0.name}}");
  BOOST_TEST_REQUIRE(t.ok());
  BOOST_TEST(t.value().HasPlaceholders());
  const std::vector<std::string> expected{"user.traits.first_name", "cart.value", "cart.currency", "cart.items.0.name"};
  BOOST_TEST(t.value().Paths() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(output_is_capped_on_a_character_boundary) {
  // 1 + 4,000 two-byte characters: the 4 KB cap falls inside a character.
  std::string text = "a";
  for (int i = 0; i < 4000; ++i) text += "\xC3\xA9";
  const std::string literal = Render(text);
  BOOST_TEST(literal.size() == 4095u);
  BOOST_TEST(EndsOnCharacterBoundary(literal));

  Json doc = Json::object();
  std::string long_value;
  for (int i = 0; i < 3000; ++i) long_value += "\xE2\x82\xAC";  // €, 3 bytes
  doc["long"] = long_value;
  const std::string rendered = Render("ab{{long}}{{long}}tail", doc);
  BOOST_TEST(rendered.size() <= kMaxRenderedBytes);
  BOOST_TEST(rendered.size() >= kMaxRenderedBytes - 3);
  BOOST_TEST(EndsOnCharacterBoundary(rendered));
  BOOST_TEST(rendered.substr(0, 5) == "ab\xE2\x82\xAC");
}

BOOST_AUTO_TEST_SUITE_END()
