// Pure validation of Segment-style batch envelopes and events; no I/O so it can be unit-tested and reused.

export const EVENT_TYPES = Object.freeze(['track', 'page', 'screen', 'identify', 'alias', 'group']);
export const MAX_MESSAGE_ID_LENGTH = 200;

const TYPE_SET = new Set(EVENT_TYPES);
// Date.parse alone accepts things like "March 7" or "1"; require an ISO-8601 shape first.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

export function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isNonEmptyString(value) {
  return typeof value === 'string' && value.length > 0;
}

export function isIsoTimestamp(value) {
  return typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value));
}

/** Checks the `{ batch: [...] }` wrapper; returns an error object or null. */
export function validateBatchEnvelope(body) {
  if (!isPlainObject(body)) {
    return { code: 'invalid_batch', message: 'Body must be a JSON object like { "batch": [ ...events ] }.' };
  }
  if (!Array.isArray(body.batch)) {
    return { code: 'invalid_batch', message: 'Body must have a "batch" array of events.', path: 'batch' };
  }
  if (body.batch.length === 0) {
    return { code: 'invalid_batch', message: 'The "batch" array is empty; send at least one event.', path: 'batch' };
  }
  return null;
}

function invalid(index, field, message) {
  return {
    index,
    code: 'invalid_event',
    message,
    path: field ? `batch[${index}].${field}` : `batch[${index}]`,
  };
}

/** Validates one event; returns a rejection `{ index, code, message, path }` or null when it is fine. */
export function validateEvent(event, index) {
  if (!isPlainObject(event)) return invalid(index, null, 'Each event must be a JSON object.');

  if (!TYPE_SET.has(event.type)) {
    return invalid(index, 'type', `"type" must be one of ${EVENT_TYPES.join(', ')}.`);
  }
  if (!isNonEmptyString(event.messageId)) {
    return invalid(index, 'messageId', '"messageId" must be a non-empty string (it is used to drop duplicates).');
  }
  if (event.messageId.length > MAX_MESSAGE_ID_LENGTH) {
    return invalid(index, 'messageId', `"messageId" must be at most ${MAX_MESSAGE_ID_LENGTH} characters.`);
  }

  const hasAnon = isNonEmptyString(event.anonymousId);
  const hasUser = isNonEmptyString(event.userId);
  if (!hasAnon && !hasUser) {
    const field = event.userId !== undefined && event.anonymousId === undefined ? 'userId' : 'anonymousId';
    return invalid(index, field, 'Every event needs a non-empty string "anonymousId" or "userId".');
  }
  for (const field of ['anonymousId', 'userId']) {
    const value = event[field];
    if (value !== undefined && value !== null && !isNonEmptyString(value)) {
      return invalid(index, field, `"${field}", when present, must be a non-empty string.`);
    }
  }

  if (event.timestamp !== undefined && !isIsoTimestamp(event.timestamp)) {
    return invalid(index, 'timestamp', '"timestamp" must be an ISO-8601 date string such as 2024-05-01T12:00:00.000Z.');
  }
  if (event.type === 'track' && !isNonEmptyString(event.event)) {
    return invalid(index, 'event', 'A track call needs a non-empty string "event" name.');
  }
  for (const field of ['properties', 'traits', 'context']) {
    if (event[field] !== undefined && !isPlainObject(event[field])) {
      return invalid(index, field, `"${field}", when present, must be a JSON object.`);
    }
  }
  return null;
}

/** Splits a batch so one bad event never costs the good ones their place in the log. */
export function partitionBatch(batch) {
  const valid = [];
  const rejected = [];
  batch.forEach((event, index) => {
    const problem = validateEvent(event, index);
    if (problem) rejected.push(problem); else valid.push(event);
  });
  return { valid, rejected };
}
