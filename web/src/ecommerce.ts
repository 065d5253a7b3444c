// Typed helpers for Segment's e-commerce v2 spec, so shop events reach warehouses and
// destinations with the names and property names they expect.
// https://segment.com/docs/connections/spec/ecommerce/v2/

/** A product, as every e-commerce event describes it. Extra members are sent as they are. */
export interface Product {
  product_id?: string;
  sku?: string;
  name?: string;
  /** Unit price, in `currency` (an ISO 4217 code such as `EUR`). */
  price?: number;
  quantity?: number;
  category?: string;
  brand?: string;
  variant?: string;
  currency?: string;
  coupon?: string;
  /** Position in a list or grid, from 1. */
  position?: number;
  url?: string;
  image_url?: string;
  [key: string]: unknown;
}

/** Amounts and contents shared by checkouts and orders. */
export interface OrderAmounts {
  checkout_id?: string;
  affiliation?: string;
  /** Total after discounts, shipping and tax. */
  total?: number;
  /** Revenue without shipping and tax. */
  revenue?: number;
  subtotal?: number;
  shipping?: number;
  tax?: number;
  discount?: number;
  coupon?: string;
  /** ISO 4217 code, such as `EUR`. */
  currency?: string;
  products?: Product[];
  [key: string]: unknown;
}

/** A placed order. */
export interface Order extends OrderAmounts {
  order_id: string;
}

/** Properties of "Product List Viewed". */
export interface ProductListProperties {
  list_id?: string;
  category?: string;
  products: Product[];
  [key: string]: unknown;
}

/** Properties of "Product Added" and "Product Removed". */
export interface CartProductProperties extends Product {
  cart_id?: string;
}

/** Properties of "Cart Viewed". */
export interface CartProperties {
  cart_id?: string;
  products: Product[];
  [key: string]: unknown;
}

/** Properties of "Checkout Started": an order not placed yet, so its id is optional. */
export interface CheckoutStartedProperties extends OrderAmounts {
  order_id?: string;
  /** Revenue with discounts and coupons applied. */
  value?: number;
}

/** Properties of "Checkout Step Completed". */
export interface CheckoutStepProperties {
  checkout_id?: string;
  /** The step's number, from 1. */
  step: number;
  shipping_method?: string;
  payment_method?: string;
  [key: string]: unknown;
}

/** Properties of "Payment Info Entered". */
export interface PaymentInfoProperties {
  checkout_id?: string;
  order_id?: string;
  step?: number;
  shipping_method?: string;
  payment_method?: string;
  [key: string]: unknown;
}

/** Properties of "Order Refunded": the whole order, or some of its products. */
export interface OrderRefundedProperties {
  order_id: string;
  total?: number;
  currency?: string;
  products?: Product[];
  [key: string]: unknown;
}

/** Properties of "Coupon Applied". */
export interface CouponProperties {
  coupon_id?: string;
  coupon_name?: string;
  order_id?: string;
  cart_id?: string;
  /** Amount taken off, in the order's currency. */
  discount?: number;
  [key: string]: unknown;
}

/** Properties of "Promotion Viewed" and "Promotion Clicked". */
export interface PromotionProperties {
  promotion_id?: string;
  /** The creative shown, such as `summer_banner_2`. */
  creative?: string;
  name?: string;
  /** Where it was shown, such as `home_banner_top`. */
  position?: string;
  [key: string]: unknown;
}

/** The 13 spec event names the helpers send, in the order a purchase usually meets them. */
export const ECOMMERCE_EVENTS = [
  'Product List Viewed', 'Promotion Viewed', 'Promotion Clicked', 'Product Viewed', 'Product Added',
  'Product Removed', 'Cart Viewed', 'Checkout Started', 'Checkout Step Completed', 'Payment Info Entered',
  'Coupon Applied', 'Order Completed', 'Order Refunded',
] as const;

/** One of {@link ECOMMERCE_EVENTS}. */
export type EcommerceEvent = (typeof ECOMMERCE_EVENTS)[number];

/** The track function the helpers send through, such as `(e, p) => parcours.track(e, p)`. */
export type TrackFunction<T> = (event: string, properties?: Record<string, unknown>) => Promise<T>;

/** The helpers {@link createEcommerce} returns; each answers what `track` answers. */
export interface Ecommerce<T> {
  /** "Product Viewed": a product's details were shown. */
  productViewed(product: Product): Promise<T>;
  /** "Product List Viewed": a category or list of products was shown. */
  productListViewed(list: ProductListProperties): Promise<T>;
  /** "Product Added": a product went into the cart. */
  productAdded(product: CartProductProperties): Promise<T>;
  /** "Product Removed": a product left the cart. */
  productRemoved(product: CartProductProperties): Promise<T>;
  /** "Cart Viewed": the cart was shown. */
  cartViewed(cart: CartProperties): Promise<T>;
  /** "Checkout Started": the customer began to check out. */
  checkoutStarted(checkout: CheckoutStartedProperties): Promise<T>;
  /** "Checkout Step Completed": one step of the checkout was done. */
  checkoutStepCompleted(step: CheckoutStepProperties): Promise<T>;
  /** "Payment Info Entered": payment details were given. */
  paymentInfoEntered(payment: PaymentInfoProperties): Promise<T>;
  /** "Order Completed": the order was placed — the event revenue is counted from. */
  orderCompleted(order: Order): Promise<T>;
  /** "Order Refunded": all or part of an order was refunded. */
  orderRefunded(refund: OrderRefundedProperties): Promise<T>;
  /** "Coupon Applied": a coupon was accepted. */
  couponApplied(coupon: CouponProperties): Promise<T>;
  /** "Promotion Viewed": an internal promotion (banner, tile) was shown. */
  promotionViewed(promotion: PromotionProperties): Promise<T>;
  /** "Promotion Clicked": an internal promotion was clicked. */
  promotionClicked(promotion: PromotionProperties): Promise<T>;
}

/**
 * E-commerce helpers that send through `track`: each calls `track('<Spec Event Name>',
 * properties)` with the properties exactly as given, and returns its promise. The methods
 * need no `this`, so they can be destructured.
 *
 * @example
 * ```ts
 * const shop = createEcommerce((event, properties) => parcours.track(event, properties));
 * await shop.orderCompleted({ order_id: 'A-1042', total: 54.9, currency: 'EUR', products: [{ sku: 'TS-M', quantity: 2 }] });
 * ```
 */
export function createEcommerce<T>(track: TrackFunction<T>): Ecommerce<T> {
  if (typeof track !== 'function') throw new TypeError('[parcours] createEcommerce needs a track function');
  const send = (event: EcommerceEvent) => (properties: Record<string, unknown>): Promise<T> => track(event, properties);
  return {
    productViewed: send('Product Viewed'),
    productListViewed: send('Product List Viewed'),
    productAdded: send('Product Added'),
    productRemoved: send('Product Removed'),
    cartViewed: send('Cart Viewed'),
    checkoutStarted: send('Checkout Started'),
    checkoutStepCompleted: send('Checkout Step Completed'),
    paymentInfoEntered: send('Payment Info Entered'),
    orderCompleted: send('Order Completed'),
    orderRefunded: send('Order Refunded'),
    couponApplied: send('Coupon Applied'),
    promotionViewed: send('Promotion Viewed'),
    promotionClicked: send('Promotion Clicked'),
  };
}
