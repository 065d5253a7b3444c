// Which of createParcours' options are the core's configuration (checked and used in WASM)
// and which the shell keeps for itself (storage, transport, rendering, the webview bridge).
import type { ParcoursOptions } from './types.js';

// Options that belong to the shell; everything else is the core's config.
const SHELL_OPTIONS = ['storage', 'wasmUrl', 'wasmBinary', 'fetch', 'logger', 'requestTimeoutMs', 'gzip', 'autoPage', 'render',
  'webview'];
// With gzip a 450 KB body shrinks to ~25 KB: still a keepalive-sized request, under the
// collector's 500 KB limit once decompressed.
const GZIP_MAX_BATCH_BYTES = 450 * 1024;

export function coreConfig(options: ParcoursOptions): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (options.gzip === true) config.maxBatchBytes = GZIP_MAX_BATCH_BYTES;
  for (const [key, value] of Object.entries(options)) {
    if (!SHELL_OPTIONS.includes(key) && value !== undefined) config[key] = value;
  }
  return config;
}
