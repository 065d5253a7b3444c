// parcours: a WebAssembly client SDK for Segment-compatible tracking and on-device decisions.
import { Client } from './client.js';
import type { Parcours, ParcoursOptions } from './types.js';

export type * from './types.js';
export { ERROR_CODES } from './generated/error-codes.js';
export { MemoryStore } from './storage.js';

/**
 * Creates a parcours client. Calls can be made at once; they are queued until the WASM core
 * has loaded and replayed in order.
 *
 * @example
 * const parcours = createParcours({ writeKey: 'wk_live_123', host: 'https://collect.example.com' });
 * parcours.track('Product Added', { product_id: 'sku-1', price: 19.9, currency: 'EUR' });
 */
export function createParcours(options: ParcoursOptions): Parcours {
  return new Client(options);
}
