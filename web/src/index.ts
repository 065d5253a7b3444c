// parcours: a WebAssembly client SDK for Segment-compatible tracking and on-device decisions.
import { Client } from './client.js';
import { CoreBridge } from './core-bridge.js';
import type { Parcours, ParcoursOptions } from './types.js';
import type { WasmSource } from './wasm-source.js';

export type * from './types.js';
export { ERROR_CODES } from './generated/error-codes.js';
export { MemoryStore } from './storage.js';
export { simulate, type SimulationOptions, type SimulationResult, type SimulatedDecision } from './simulate.js';

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

/** A bare core: the boundary protocol of docs/ARCHITECTURE.md, one JSON input in, one JSON output out. */
export interface RawCore {
  /** Handles one input; never throws (a malformed input answers `{"ok":false,...}`). */
  handleJson(input: string): string;
  /** Bytes of WASM linear memory in use. */
  memoryBytes(): number;
}

/**
 * Loads a fresh core without any shell: no storage, network or timers. For replaying an
 * input log ("what would this have sent?") and for benchmarks; sites want createParcours.
 */
export function loadCore(source: WasmSource = {}): Promise<RawCore> {
  return CoreBridge.load(source);
}
