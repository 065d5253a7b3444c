// Durable append-only JSONL event log with messageId dedupe; every append is fsynced before it returns.
import fs from 'node:fs';
import path from 'node:path';

const NEWLINE = 0x0a;

function parseRecord(line) {
  try {
    const value = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

// Make a freshly created file's directory entry durable too (best effort: not supported everywhere).
function fsyncDirectory(dir) {
  let fd;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows and some filesystems refuse to fsync directories; the file data itself is still synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Reads the existing log. A process killed mid-write leaves a last line without newline or with
 * broken JSON; that tail is cut off (never fatal) so later appends start on a clean line.
 */
function loadLog(filePath, warn) {
  const events = [];
  const ids = new Set();
  let dropped = 0;
  if (!fs.existsSync(filePath)) return { events, ids, dropped, size: 0, created: true };

  const buf = fs.readFileSync(filePath);
  let goodEnd = buf.lastIndexOf(NEWLINE) + 1;
  if (goodEnd < buf.length) {
    warn(`[collector] ${filePath}: dropping torn last line (${buf.length - goodEnd} bytes without newline).`);
    dropped += 1;
  }
  if (goodEnd > 0) {
    const lastStart = goodEnd >= 2 ? buf.lastIndexOf(NEWLINE, goodEnd - 2) + 1 : 0;
    const lastLine = buf.subarray(lastStart, goodEnd - 1).toString('utf8');
    if (lastLine.trim() !== '' && !parseRecord(lastLine)) {
      warn(`[collector] ${filePath}: dropping torn last line (invalid JSON).`);
      dropped += 1;
      goodEnd = lastStart;
    }
  }

  const lines = buf.subarray(0, goodEnd).toString('utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const record = parseRecord(line);
    if (!record) {
      // A bad line in the middle is not a torn write; skip it but keep it on disk for inspection.
      warn(`[collector] ${filePath}: skipping unreadable line ${i + 1}.`);
      dropped += 1;
      return;
    }
    if (typeof record.messageId === 'string') {
      if (ids.has(record.messageId)) return;
      ids.add(record.messageId);
    }
    events.push(record);
  });

  if (goodEnd < buf.length) fs.truncateSync(filePath, goodEnd);
  return { events, ids, dropped, size: goodEnd, created: false };
}

/**
 * Opens (creating if needed) `${dataDir}/events.jsonl`.
 * Returns { filePath, append(events), all(), count(), subscribe(listener), stats, close() }.
 */
export function openEventStore({ dataDir, fileName = 'events.jsonl', warn = console.warn, now = () => new Date() } = {}) {
  if (typeof dataDir !== 'string' || dataDir === '') throw new TypeError('openEventStore: dataDir is required');
  fs.mkdirSync(dataDir, { recursive: true });
  const filePath = path.join(dataDir, fileName);

  const loaded = loadLog(filePath, warn);
  const { events, ids } = loaded;
  let size = loaded.size;
  let fd = fs.openSync(filePath, 'a');
  fs.fsyncSync(fd);
  if (loaded.created) fsyncDirectory(dataDir);

  const stats = { loaded: events.length, droppedLines: loaded.dropped, accepted: 0, duplicates: 0 };
  const listeners = new Set();

  function writeAll(buffer) {
    let offset = 0;
    while (offset < buffer.length) {
      offset += fs.writeSync(fd, buffer, offset, buffer.length - offset);
    }
  }

  // Listeners hear about records only once they are durable; one that throws cannot fail the append.
  function notify(records, firstIndex) {
    for (const listener of listeners) {
      try {
        listener(records, firstIndex);
      } catch (err) {
        warn('[collector] event store listener failed:', err);
      }
    }
  }

  /**
   * Stores events not seen before (by messageId). Only returns once the bytes are fsynced,
   * so a caller that answers 200 afterwards never acknowledges something a crash could lose.
   */
  function append(incoming) {
    if (fd === null) throw new Error('event store is closed');
    const receivedAt = now().toISOString();
    const fresh = [];
    const batchIds = new Set();
    let duplicates = 0;
    for (const event of incoming) {
      const id = event.messageId;
      if (ids.has(id) || batchIds.has(id)) {
        duplicates += 1;
        continue;
      }
      batchIds.add(id);
      fresh.push({ ...event, receivedAt });
    }

    if (fresh.length > 0) {
      const buffer = Buffer.from(fresh.map((record) => `${JSON.stringify(record)}\n`).join(''), 'utf8');
      try {
        writeAll(buffer);
        fs.fdatasyncSync(fd);
      } catch (err) {
        // Roll back a partial write so the next append does not glue onto a torn line.
        try { fs.ftruncateSync(fd, size); } catch { /* the startup loader will repair it */ }
        throw err;
      }
      size += buffer.length;
      for (const record of fresh) {
        ids.add(record.messageId);
        events.push(record);
      }
    }

    stats.accepted += fresh.length;
    stats.duplicates += duplicates;
    if (fresh.length > 0) notify(fresh, events.length - fresh.length);
    return { accepted: fresh.length, duplicates };
  }

  return {
    filePath,
    stats,
    append,
    all: () => events.slice(),
    count: () => events.length,
    /** `listener(records, firstIndex)` after each durable append; records[i] is all()[firstIndex + i]. Returns unsubscribe. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      if (fd === null) return;
      fs.closeSync(fd);
      fd = null;
    },
  };
}
