// POSTs a batch body the core built and reports the outcome in the core's terms: an HTTP
// status (0 for a network error or timeout), Retry-After and the collector's error text.
export interface DeliveryOutcome {
  status: number;
  retryAfterMs?: number;
  error?: string;
}

// Browsers refuse keepalive requests whose bodies add up to more than 64 KB.
const KEEPALIVE_MAX_BYTES = 65536;

export function basicAuth(writeKey: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${writeKey}:`)) binary += String.fromCharCode(byte);
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

export async function postBatch(
  url: string,
  body: string,
  writeKey: string,
  options: { fetch: typeof fetch; timeoutMs: number; now: () => number },
): Promise<DeliveryOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await options.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(writeKey) },
      body,
      keepalive: new TextEncoder().encode(body).length <= KEEPALIVE_MAX_BYTES,
      signal: controller.signal,
    });
    if (response.ok) return { status: response.status };
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
  }
}
