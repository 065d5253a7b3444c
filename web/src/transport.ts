// POSTs a batch body the core built and reports the outcome in the core's terms: an HTTP
// status (0 for a network error or timeout), Retry-After and the collector's error text.
// Also owns the page's keepalive budget, gzip, and the sendBeacon fallback for unloads.
export interface DeliveryOutcome {
  status: number;
  retryAfterMs?: number;
  error?: string;
}

export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  now: () => number;
  gzip: boolean;
}

// Browsers refuse keepalive requests (and beacons) past 64 KB in flight per page, together.
const KEEPALIVE_MAX_BYTES = 65536;
const encoder = new TextEncoder();

/** Tracks the bytes of keepalive requests in flight, so a new one is only made if it fits. */
export class KeepaliveBudget {
  private used = 0;
  fits(bytes: number): boolean {
    return this.used + bytes <= KEEPALIVE_MAX_BYTES;
  }
  reserve(bytes: number): boolean {
    if (this.used + bytes > KEEPALIVE_MAX_BYTES) return false;
    this.used += bytes;
    return true;
  }
  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

export function basicAuth(writeKey: string): string {
  let binary = '';
  for (const byte of encoder.encode(`${writeKey}:`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function collectorError(response: Response): Promise<string> {
  try {
    const text = await response.text();
    try {
      const parsed = JSON.parse(text) as { error?: { message?: string } | string };
      const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message;
      if (message) return message;
    } catch {
      // Not JSON: report the text itself.
    }
    return text.slice(0, 300);
  } catch {
    return '';
  }
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function canGzip(): boolean {
  return typeof CompressionStream === 'function';
}

/**
 * A normal delivery. The request is started before the first await when no compression is
 * asked for, so a send begun during pagehide leaves before the page does.
 */
export async function postBatch(
  url: string,
  body: string,
  writeKey: string,
  budget: KeepaliveBudget,
  options: TransportOptions,
): Promise<DeliveryOutcome> {
  let payload: Uint8Array = encoder.encode(body);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Authorization: basicAuth(writeKey) };
  if (options.gzip && canGzip()) {
    payload = await gzip(payload);
    headers['Content-Encoding'] = 'gzip';
  }
  const keepalive = budget.reserve(payload.length);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await options.fetch(url, {
      method: 'POST',
      headers,
      body: payload as BodyInit,
      keepalive,
      signal: controller.signal,
    });
    if (response.ok) {
      // Chromium counts a keepalive request against the page's 64 KB until its response is
      // read; an unread body made every later keepalive request fail ("Failed to fetch").
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status };
    }
    return {
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), options.now()),
      error: await collectorError(response),
    };
  } catch (error) {
    const timedOut = controller.signal.aborted;
    return { status: 0, error: timedOut ? `no answer within ${options.timeoutMs} ms` : (error as Error).message };
  } finally {
    clearTimeout(timer);
    if (keepalive) budget.release(payload.length);
  }
}

/**
 * Hands a body to navigator.sendBeacon, for an unload when the keepalive budget is spent.
 * text/plain keeps it a "simple" request (no CORS preflight); the write key is in the body.
 */
export function sendBeacon(url: string, body: string): boolean {
  if (typeof navigator === 'undefined' || typeof navigator.sendBeacon !== 'function') return false;
  try {
    return navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' }));
  } catch {
    return false;
  }
}
