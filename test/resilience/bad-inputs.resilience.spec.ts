import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { Express } from 'express';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { lineSignature } from '../../src/line/line-signature';
import { LINE_SECRET, lineEnv } from '../support/line-test-app';
import { adminAuth, startTestApp } from '../support/test-app';
import { type ChatClient, connectChat, createSession } from '../support/web-chat-client';
import { printCounts } from './support/counts';

/**
 * Oversize and malformed input on every HTTP route the app has (read from its router, so new routes are covered
 * without editing this file) and on every socket.io event: clear 4xx answers, never a 500, and no memory
 * growth over 1,000 repetitions.
 */
interface Route {
  method: string;
  path: string;
}

const WEIRD_IDS = [
  'x'.repeat(5000),
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  '%F0%9F%99%82',
  "'%20OR%201%3D1%20--",
  '%E0%B8',
  '-1',
  '99999999999999999999999',
];

function deep(n: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

const BODIES: Array<{ name: string; type: string; body: string | Buffer }> = [
  { name: 'malformed json', type: 'application/json', body: '{"text": "abc' },
  { name: 'json null', type: 'application/json', body: 'null' },
  { name: 'json array', type: 'application/json', body: '[1,2,3]' },
  { name: 'json string', type: 'application/json', body: '"text"' },
  { name: 'json number', type: 'application/json', body: '42' },
  {
    name: 'wrong types',
    type: 'application/json',
    body: JSON.stringify({ text: 1, names: 'x', limit: 'ten', externalId: {} }),
  },
  {
    name: 'prototype pollution',
    type: 'application/json',
    body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
  },
  { name: 'deep nesting', type: 'application/json', body: JSON.stringify(deep(3000)) },
  {
    name: 'lone surrogates',
    type: 'application/json',
    body: '{"text":"\\ud800\\udc00\\ud800 abc","lang":"\\udfff"}',
  },
  { name: 'big string field', type: 'application/json', body: JSON.stringify({ text: 'ก'.repeat(300_000) }) },
  { name: 'oversize body', type: 'application/json', body: JSON.stringify({ text: 'x'.repeat(1_200_000) }) },
  { name: 'text/plain', type: 'text/plain', body: 'hello' },
  { name: 'binary', type: 'application/octet-stream', body: Buffer.from([0, 255, 1, 254, 0, 0]) },
  { name: 'form', type: 'application/x-www-form-urlencoded', body: 'a=1&b[c]=2' },
];

const SOCKET_PAYLOADS: unknown[] = [
  undefined,
  null,
  0,
  'text',
  [],
  {},
  { text: 42, clientMessageId: 'a' },
  { text: 'hi', clientMessageId: '../../etc' },
  { text: 'hi', clientMessageId: 'x'.repeat(500) },
  { text: 'x'.repeat(2500), clientMessageId: 'long-1' },
  { text: '\ud800', clientMessageId: 'sur-1' },
  { text: '', clientMessageId: 'empty-1' },
  { data: {} },
  { data: 'action=details&id=' + 'x'.repeat(3000) },
  { data: 'action=nonsense' },
  { lastSeenId: 'abc' },
  { lastSeenId: -1 },
  { lastSeenId: '9'.repeat(100) },
  { lastSeenId: { $gt: 0 } },
  deep(200),
  Buffer.from([1, 2, 3]),
];
const SOCKET_EVENTS = ['user_message', 'postback', 'hello', 'resume', 'no_such_event'];

describe('resilience: bad inputs on every endpoint and socket event', () => {
  let running: RunningApp;
  let routes: Route[] = [];
  const counts = {
    'bad inputs tried': 0,
    '500s': 0,
    'other 5xx': 0,
    '4xx without problem+json': 0,
    'socket events tried': 0,
    'socket errors': 0,
  };
  const failures: string[] = [];

  const send = async (
    method: string,
    path: string,
    init: { type?: string; body?: string | Buffer; auth?: boolean } = {},
  ) => {
    counts['bad inputs tried']++;
    const headers: Record<string, string> = init.auth === false ? {} : { ...adminAuth };
    if (init.type) headers['content-type'] = init.type;
    if (path.startsWith('/webhooks/line') && init.body !== undefined)
      headers['x-line-signature'] = lineSignature(Buffer.from(init.body), LINE_SECRET);
    const res = await fetch(running.url + path, {
      method,
      headers,
      body:
        init.body === undefined
          ? undefined
          : typeof init.body === 'string'
            ? init.body
            : new Uint8Array(init.body),
    }).catch((err: Error) => ({ status: 0, err }) as const);
    if ('err' in res) {
      failures.push(`${method} ${path.slice(0, 80)}: connection error ${res.err.message}`);
      return 0;
    }
    await res.arrayBuffer();
    // A refusal from the API says why, as problem+json.
    if (
      res.status >= 400 &&
      path.startsWith('/api/') &&
      !/json/.test(res.headers.get('content-type') ?? '')
    ) {
      counts['4xx without problem+json']++;
      failures.push(`${method} ${path.slice(0, 80)} → ${res.status} ${res.headers.get('content-type')}`);
    }
    if (res.status === 500) {
      counts['500s']++;
      failures.push(`${method} ${path.slice(0, 80)} → 500`);
    } else if (res.status > 500 && res.status !== 503) {
      counts['other 5xx']++;
      failures.push(`${method} ${path.slice(0, 80)} → ${res.status}`);
    }
    return res.status;
  };

  beforeAll(async () => {
    running = await startTestApp(
      lineEnv('http://127.0.0.1:9', {
        WEB_CHAT_SECRET: 'bad-inputs-web-chat-secret-0123456789',
        WEB_CHAT_RATE_BURST: '1000',
        WEB_CHAT_RATE_PER_MINUTE: '60000',
        WEB_CHAT_FLOOD_STRIKES: '1000',
        LINE_WORKER_CONCURRENCY: '0',
        LLM_AUTO_TRANSLATE_PROFILES: 'false',
      }),
    );
    const express = running.app.getHttpAdapter().getInstance() as Express;
    const stack = (
      express as unknown as {
        router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
      }
    ).router.stack;
    routes = stack
      .filter((l) => l.route)
      .flatMap((l) =>
        Object.keys(l.route!.methods)
          .filter((m) => m !== '_all')
          .map((m) => ({ method: m.toUpperCase(), path: l.route!.path })),
      );
  });
  afterAll(() => running.close());

  it('answers every route with malformed, oversize and odd input without a 500', async () => {
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const params = (route.path.match(/:\w+|\*\w+/g) ?? []).length;
      const paths =
        params === 0 ? [route.path] : WEIRD_IDS.map((id) => route.path.replace(/:\w+|\*\w+/g, id));
      for (const path of paths) {
        await send(route.method, path);
        await send(route.method, path, { auth: false });
        await send(route.method, `${path}?limit=-1&offset=abc&hard=maybe&q=${'%FF'.repeat(50)}&lang[]=x`);
      }
      if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) {
        const path = params === 0 ? route.path : route.path.replace(/:\w+|\*\w+/g, 'x');
        for (const b of BODIES) await send(route.method, path, { type: b.type, body: b.body });
      }
    }
    // A request that is not HTTP at all, and a header flood.
    await send('GET', '/api/companies', { type: 'application/json' });
    const huge = await fetch(`${running.url}/health`, { headers: { 'x-junk': 'x'.repeat(20_000) } }).catch(
      () => undefined,
    );
    expect(huge === undefined || huge.status < 500).toBe(true);
    expect(failures).toEqual([]);
  });

  it('answers every socket.io event with bad payloads without crashing; an oversize frame drops only that socket', async () => {
    const session = await createSession(running.url, { lang: 'en' });
    let c: ChatClient = await connectChat(running.url, { token: session.token });
    try {
      for (const event of SOCKET_EVENTS) {
        for (const payload of SOCKET_PAYLOADS) {
          counts['socket events tried']++;
          if (event === 'no_such_event') {
            c.socket.emit(event, payload);
            continue;
          }
          const ack = (await c
            .request(event, payload, 10_000)
            .catch((err: Error) => ({ timeout: err.message }))) as Record<string, unknown>;
          if ('timeout' in ack) {
            counts['socket errors']++;
            failures.push(`${event} ${JSON.stringify(payload)?.slice(0, 60)}: no ack`);
          }
          if (!c.socket.connected) {
            failures.push(`${event} ${JSON.stringify(payload)?.slice(0, 60)}: disconnected`);
            c = await connectChat(running.url, { token: session.token });
          }
        }
      }
      // Larger than WEB_CHAT_MAX_PAYLOAD_BYTES: the transport drops that socket; the server carries on.
      const gone = new Promise<string>((resolve) => c.socket.once('disconnect', resolve));
      c.socket.emit('user_message', { text: 'x'.repeat(40_000), clientMessageId: 'huge' });
      expect(await gone).toMatch(/transport/);
      const again = await connectChat(running.url, { token: session.token });
      expect((await again.request('hello', undefined)).ok).toBe(true);
      again.close();
    } finally {
      c.close();
    }
    expect(failures).toEqual([]);
  });

  it('does not grow memory over 1,000 repetitions of bad input', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const session = await createSession(running.url, { lang: 'en' });
    const c = await connectChat(running.url, { token: session.token });
    const round = async (i: number) => {
      await send('POST', '/api/match', { type: 'application/json', body: '{"text": "abc' });
      await send('POST', '/api/companies', {
        type: 'application/json',
        body: JSON.stringify({ externalId: {}, names: 1 }),
      });
      await send('GET', `/api/companies/${'x'.repeat(300)}${i}`);
      await send('POST', '/webhooks/line', { type: 'application/json', body: '{"events": [{"type": 1}' });
      await send('POST', '/api/chat/sessions', {
        type: 'application/json',
        body: JSON.stringify({ lang: 'xx', identity: 5 }),
      });
      counts['socket events tried'] += 2;
      await c.request('user_message', { text: 42, clientMessageId: `m-${i}` });
      await c.request('resume', { lastSeenId: 'abc' });
    };
    for (let i = 0; i < 100; i++) await round(i); // warm-up: caches, JIT, pools
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1000; i++) await round(i);
    gc();
    const after = process.memoryUsage().heapUsed;
    c.close();
    const growthMb = (after - before) / 1024 / 1024;
    printCounts('bad inputs', {
      ...counts,
      'heap growth over 1,000 rounds (MB)': Math.round(growthMb * 10) / 10,
    });
    expect(failures).toEqual([]);
    expect(counts['500s']).toBe(0);
    expect(growthMb).toBeLessThan(25);
  });
});
