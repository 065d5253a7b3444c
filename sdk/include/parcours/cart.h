// The visitor's cart, derived from the Segment e-commerce v2 events the page tracks, so
// the rules engine can ask "what is in the cart, and since when" without the page keeping
// a second copy of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parcours/error.h"
#include "parcours/flat_properties.h"
#include "parcours/iso_time.h"
#include "parcours/json_access.h"

namespace parcours {

// One line of the cart. Optional fields are absent when no event gave them a value of the
// right type.
struct CartItem {
  std::optional<std::string> product_id;
  std::optional<std::string> sku;
  std::optional<std::string> name;
  std::optional<double> price;
  int64_t quantity = 1;
  std::optional<std::string> currency;
  std::optional<std::string> image_url;
  std::optional<std::string> url;
  std::optional<std::string> category;
  std::optional<std::string> variant;
  std::optional<std::string> brand;

  bool operator==(const CartItem& other) const;
  bool operator!=(const CartItem& other) const { return !(*this == other); }
};

// What the last "Order Completed" said about the order.
struct CartOrder {
  std::optional<std::string> order_id;
  std::optional<double> total;  // `total`, else `revenue`.
};

class Cart {
 public:
  // The page (or anyone who can run script on it) controls the events, and the cart is
  // persisted and re-read on every page load: without a bound, a loop of "Product Added"
  // with fresh ids would grow storage and every rule evaluation without limit. No real
  // cart has 200 distinct lines.
  static constexpr size_t kMaxLines = 200;
  // A line's quantity saturates here, so sums stay exact in a double and never overflow.
  static constexpr int64_t kMaxLineQuantity = 1000000;

  // Updates the cart from one tracked event; true when it changed (a line, the id, the
  // currency, or an order was recorded), and then last_change_at is `now`. Events other
  // than Product Added, Product Removed, Cart Viewed, Checkout Started and Order Completed
  // are ignored, and so are fields of the wrong type: the cart is a best-effort view,
  // never a reason to refuse an event.
  bool Apply(const std::string& event, const Json& properties, Millis now);
  // The same from a scanned object (the track path); it must not hold `products`.
  bool ApplyScanned(const std::string& event, const FlatProperties& properties, Millis now);

  // {"id": string|null, "items": [...], "itemCount", "quantity", "value", "currency":
  //  string|null, "lastChangeAt": ms|null, "lastOrderAt": ms|null,
  //  "lastOrder": {"order_id": string|null, "total": number|null}|null}
  Json ToJson() const;

  // Persistence. Decode answers kCorruptSnapshot for anything Encode did not write.
  std::string Encode() const;
  static Result<Cart> Decode(const std::string& text);

  bool empty() const { return items_.empty(); }
  const std::vector<CartItem>& items() const { return items_; }
  // Sum of the lines' quantities.
  int64_t Quantity() const;
  // Sum of price * quantity, rounded to cents; lines without a price count 0.
  double Value() const;

  const std::optional<std::string>& id() const { return id_; }
  const std::optional<std::string>& currency() const { return currency_; }
  std::optional<Millis> last_change_at() const { return last_change_at_; }
  // Changes whenever the content does, unique to this content in the process (a copy shares
  // it, a new or decoded cart gets a new one): a key for what is derived from the cart.
  uint64_t revision() const { return revision_; }
  std::optional<Millis> last_order_at() const { return last_order_at_; }
  const std::optional<CartOrder>& last_order() const { return last_order_; }

 private:
  // The stored format's version: Encode writes it, Decode refuses any other.
  static constexpr int kVersion = 1;

  template <typename Object>
  bool ApplyFrom(const std::string& event, const Object& properties, Millis now);

  std::optional<std::string> id_;
  std::vector<CartItem> items_;  // In the order the lines were first added.
  std::optional<std::string> currency_;
  std::optional<Millis> last_change_at_;
  std::optional<Millis> last_order_at_;
  std::optional<CartOrder> last_order_;
  uint64_t revision_ = NextRevision();

  static uint64_t NextRevision() {
    static uint64_t last = 0;
    return ++last;
  }
};

}  // namespace parcours
