// GET /v1/stream (server-sent events) and the dashboard's reading endpoints over HTTP: an appended
// event reaches a connected client, Last-Event-ID resumes, heartbeats flow, the number of
// streams is bounded, and the collector closes promptly with a client still connected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startCollector } from '../../demo/collector/server.mjs';
import {
  basicAuth, makeEvent, makeTempDir, postBatch, removeDir, request,
} from '../support/collector-client.mjs';

async function withCollector(fn, options = {}) {
  const dataDir = makeTempDir('parcours-stream-');
  const collector = await startCollector({ port: 0, dataDir, quiet: true, ...options });
  try {
    return await fn(collector);
  } finally {
    await collector.close();
    removeDir(dataDir);
  }
}

/**
 * Opens an SSE stream and parses it. `next(predicate)` resolves with the first message (or comment)
 * matching, failing after `timeoutMs`; `ended` resolves when the server ends the response.
 */
function openStream(baseUrl, path = '/v1/stream', headers = { Authorization: basicAuth('demo-key') }) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.get({ hostname, port, path, headers, agent: false }, (res) => {
      const messages = [];
      const waiters = [];
      let buffer = '';
      const ended = new Promise((done) => res.once('close', done));
      const check = () => {
        for (const waiter of [...waiters]) {
          const found = messages.find(waiter.predicate);
          if (found) {
            clearTimeout(waiter.timer);
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(found);
          }
        }
      };
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message = { comment: null, id: null, data: null, retry: null };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) message.comment = line.slice(1).trim();
            else if (line.startsWith('id: ')) message.id = Number(line.slice(4));
            else if (line.startsWith('data: ')) message.data = JSON.parse(line.slice(6));
            else if (line.startsWith('retry: ')) message.retry = Number(line.slice(7));
          }
          messages.push(message);
        }
        check();
      });
      resolve({
        res,
        messages,
        ended,
        next(predicate, timeoutMs = 5000) {
          return new Promise((done, fail) => {
            const waiter = { predicate, resolve: done, timer: setTimeout(() => fail(new Error('no matching SSE message in time')), timeoutMs) };
            waiters.push(waiter);
            check();
          });
        },
        close() { req.destroy(); },
      });
    });
    req.on('error', reject);
  });
}

test('an event stored by POST /v1/batch reaches a connected stream client, with its log position as id', async () => {
  await withCollector(async ({ url, stream }) => {
    const earlier = makeEvent({ event: 'Earlier' });
    await postBatch(url, { batch: [earlier] });
    const client = await openStream(url);
    try {
      assert.equal(client.res.statusCode, 200);
      assert.match(client.res.headers['content-type'], /^text\/event-stream/);
      assert.equal((await client.next((m) => m.retry !== null)).retry, 3000);
      const backlog = await client.next((m) => m.data?.event === 'Earlier');
      assert.equal(backlog.id, 1, 'the recent backlog comes first');
      assert.equal(stream.clients, 1);

      const fresh = makeEvent({ event: 'Cart Viewed' });
      const res = await postBatch(url, { batch: [fresh, makeEvent({ event: 'Checkout Started' })] });
      assert.equal(res.status, 200);
      const received = await client.next((m) => m.data?.messageId === fresh.messageId);
      assert.equal(received.id, 2);
      assert.equal(received.data.event, 'Cart Viewed');
      assert.ok(received.data.receivedAt, 'the stored record, stamped by the collector');
      assert.equal((await client.next((m) => m.data?.event === 'Checkout Started')).id, 3);

      await postBatch(url, { batch: [fresh] });
      await postBatch(url, { batch: [makeEvent({ event: 'After duplicate' })] });
      await client.next((m) => m.data?.event === 'After duplicate');
      assert.equal(client.messages.filter((m) => m.data?.messageId === fresh.messageId).length, 1, 'duplicates are not streamed');
    } finally {
      client.close();
    }
  });
});

test('Last-Event-ID resumes after the last event seen; ?backlog=0 starts with nothing', async () => {
  await withCollector(async ({ url }) => {
    await postBatch(url, { batch: [1, 2, 3, 4].map((n) => makeEvent({ event: `E${n}` })) });
    const resumed = await openStream(url, '/v1/stream', { Authorization: basicAuth('demo-key'), 'Last-Event-ID': '2' });
    const quiet = await openStream(url, '/v1/stream?backlog=0&key=demo-key', {});
    try {
      await resumed.next((m) => m.id === 4);
      assert.deepEqual(resumed.messages.filter((m) => m.data).map((m) => m.data.event), ['E3', 'E4']);
      await postBatch(url, { batch: [makeEvent({ event: 'E5' })] });
      await quiet.next((m) => m.id === 5);
      assert.deepEqual(quiet.messages.filter((m) => m.data).map((m) => m.data.event), ['E5']);
    } finally {
      resumed.close();
      quiet.close();
    }
  });
});

test('heartbeats keep an idle stream alive', async () => {
  await withCollector(async ({ url }) => {
    const client = await openStream(url);
    try {
      assert.equal((await client.next((m) => m.comment === 'heartbeat', 3000)).comment, 'heartbeat');
    } finally {
      client.close();
    }
  }, { stream: { heartbeatMs: 50 } });
});

test('the number of streams is bounded; a closed stream frees its place', async () => {
  await withCollector(async ({ url, stream }) => {
    const first = await openStream(url);
    const second = await openStream(url);
    try {
      const refused = await request(url, '/v1/stream', { headers: { Authorization: basicAuth('demo-key') } });
      assert.equal(refused.status, 503);
      assert.equal(refused.json.error.code, 'too_many_streams');
      assert.equal(refused.headers['retry-after'], '10');
      first.close();
      await first.ended;
      for (let i = 0; i < 50 && stream.clients > 1; i += 1) await new Promise((r) => setTimeout(r, 20));
      assert.equal(stream.clients, 1);
      const third = await openStream(url);
      assert.equal(third.res.statusCode, 200);
      third.close();
    } finally {
      first.close();
      second.close();
    }
  }, { stream: { maxClients: 2 } });
});

test('the stream needs the write key', async () => {
  await withCollector(async ({ url }) => {
    const res = await request(url, '/v1/stream');
    assert.equal(res.status, 401);
    const wrong = await request(url, '/v1/stream?key=other');
    assert.equal(wrong.json.error.code, 'unknown_write_key');
    const head = await request(url, '/v1/stream?key=demo-key', { method: 'HEAD' });
    assert.equal(head.status, 405, 'a HEAD would hold a stream slot open for nothing');
  });
});

test('the collector closes promptly with a stream client connected, and the client sees the end', async () => {
  const dataDir = makeTempDir('parcours-stream-');
  const collector = await startCollector({ port: 0, dataDir, quiet: true });
  try {
    const client = await openStream(collector.url);
    await client.next((m) => m.retry !== null);
    const started = Date.now();
    await collector.close();
    await client.ended;
    assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
    assert.equal(collector.stream.clients, 0);
  } finally {
    await collector.close();
    removeDir(dataDir);
  }
});

test('stats, customers and journey endpoints answer JSON from the stored events', async () => {
  await withCollector(async ({ url }) => {
    const now = Date.now();
    const offer = (event, extra) => makeEvent({
      event, anonymousId: 'a-9', timestamp: new Date(now - 60_000).toISOString(),
      properties: { campaign_id: 'cart-reminder', variant_id: 'coupon', decision_id: 'd-9', holdout: false, ...extra },
    });
    await postBatch(url, {
      batch: [
        offer('Offer Shown'), offer('Offer Clicked'),
        offer('Offer Converted', { attribution: 'click', revenue: 20, currency: 'EUR', order_id: 'o-9' }),
        makeEvent({ type: 'identify', event: undefined, anonymousId: 'a-9', userId: 'u 9/x', traits: { email: 'n@example.com' } }),
      ],
    });
    const get = (path) => request(url, path, { headers: { Authorization: basicAuth('demo-key') } });
    const over = await get('/v1/stats/overview?minutes=5');
    assert.equal(over.status, 200);
    assert.equal(over.json.totals.events, 4);
    assert.equal(over.json.perMinute.buckets.length, 5);
    assert.equal((await get('/v1/stats/overview?minutes=0')).status, 400);

    const campaigns = await get('/v1/stats/campaigns');
    assert.deepEqual(campaigns.json.campaigns[0].funnel, { shown: 1, clicked: 1, converted: 1, dismissed: 0, heldOut: 0, holdoutConverted: 0 });
    assert.deepEqual(campaigns.json.revenue, [{ currency: 'EUR', amount: 20 }]);

    const customers = await get('/v1/customers?q=example');
    assert.deepEqual(customers.json.customers.map((c) => c.userId), ['u 9/x']);
    const journey = await get(`/v1/customers/${encodeURIComponent('u 9/x')}/journey`);
    assert.equal(journey.status, 200, journey.text);
    assert.equal(journey.json.events.length, 4);
    assert.equal((await get('/v1/customers/a-9/journey')).json.customer.key, 'u:u 9/x');
    const unknown = await get('/v1/customers/nobody/journey');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'unknown_customer');

    const page = await request(url, '/dashboard');
    assert.equal(page.status, 302);
    assert.equal(page.headers.location, '/dashboard/');
    const html = await request(url, '/dashboard/');
    assert.equal(html.status, 200);
    assert.match(html.text, /<h1>parcours/);
  });
});
