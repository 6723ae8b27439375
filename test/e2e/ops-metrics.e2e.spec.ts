import type { RunningApp } from '../../src/bootstrap/start-app';
import { LlmService } from '../../src/llm/llm.service';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../support/fake-openai-server';
import { adminAuth, startTestApp } from '../support/test-app';
import { connectChat, createSession } from '../support/web-chat-client';

/** One sample of a metric in the Prometheus text, by name and (a subset of) labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    const labelPart = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const ok = Object.entries(labels).every(([k, v]) => labelPart.includes(`${k}="${v}"`));
    if (ok) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('operations: GET /metrics and readiness', () => {
  let fake: FakeOpenAiServer;
  let running: RunningApp;
  const scrape = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${running.url}/metrics`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    running = await startTestApp({
      LLM_BASE_URL: `${fake.url}/v1`,
      LLM_MODEL: 'fake-model',
      LLM_MAX_RETRIES: '0',
      LLM_CIRCUIT_FAILURE_THRESHOLD: '2',
      LLM_CIRCUIT_COOLDOWN_MS: '60000',
      LLM_AUTO_TRANSLATE_PROFILES: 'false',
      WEB_CHAT_SECRET: 'ops-metrics-web-chat-secret-0123456789',
    });
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  it('serves Prometheus text with HTTP latency by route pattern, never by raw path', async () => {
    await fetch(`${running.url}/api/companies/NO-SUCH-1`, { headers: adminAuth });
    await fetch(`${running.url}/api/companies/NO-SUCH-2`, { headers: adminAuth });
    await fetch(`${running.url}/no/such/route`);
    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(
      sample(text, 'kakehashi_http_request_duration_seconds_count', {
        route: '/api/companies/:externalId',
        method: 'GET',
        status: '404',
      }),
    ).toBe(2);
    expect(sample(text, 'kakehashi_http_request_duration_seconds_count', { route: 'unmatched' })).toBe(1);
    expect(text).not.toContain('NO-SUCH');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('counts LLM calls, errors, tokens and latency by model, and shows the circuit state', async () => {
    const llm = running.app.get(LlmService);
    const vars = { target_language: 'English', profile: 'Name: Acme' };
    await llm.complete('summarize-profile', vars).catch(() => undefined);
    fake.onChat(() => ({ status: 503 }));
    for (let i = 0; i < 3; i++) await llm.complete('summarize-profile', vars).catch(() => undefined);
    const { text } = await scrape();
    expect(sample(text, 'kakehashi_llm_calls_total', { model: 'fake-model', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'kakehashi_llm_errors_total', { model: 'fake-model' })).toBeGreaterThanOrEqual(2);
    expect(
      sample(text, 'kakehashi_llm_tokens_total', { model: 'fake-model', direction: 'output' }),
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'kakehashi_llm_call_duration_seconds_count', { model: 'fake-model' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'kakehashi_llm_circuit_state', { model: 'fake-model' })).toBe(2);

    // The model being down degrades readiness without failing it (nor liveness).
    const ready = await fetch(`${running.url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(body.checks.llm.status).toBe('degraded');
    // What went wrong (it names the model's endpoint) is for staff, not for anyone who asks.
    expect(JSON.stringify(body)).not.toContain('detail');
    const staffView = (await (await fetch(`${running.url}/health/ready`, { headers: adminAuth })).json()) as {
      checks: Record<string, { detail?: string }>;
    };
    expect(staffView.checks.llm.detail).toBeTruthy();
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
  });

  it('reports queue depth and age of the oldest open row, matches served and connected sockets', async () => {
    await running.database.pool.query(
      `INSERT INTO line_inbox (event_key, conversation_key, event_type, payload, received_at)
       VALUES ('ops-1', 'user:U1', 'message', '{}', now() - interval '90 seconds')`,
    );
    const match = await fetch(`${running.url}/api/match`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...adminAuth },
      body: JSON.stringify({ text: 'Thai auto parts maker' }),
    });
    expect(match.status).toBe(200);
    const session = await createSession(running.url);
    const client = await connectChat(running.url, { token: session.token });
    try {
      const { text } = await scrape();
      expect(sample(text, 'kakehashi_queue_depth', { queue: 'line_inbox', status: 'pending' })).toBe(1);
      expect(
        sample(text, 'kakehashi_queue_oldest_pending_age_seconds', { queue: 'line_inbox' }),
      ).toBeGreaterThan(89);
      expect(sample(text, 'kakehashi_queue_oldest_pending_age_seconds', { queue: 'line_outbox' })).toBe(0);
      expect(sample(text, 'kakehashi_queue_oldest_pending_age_seconds', { queue: 'relay' })).toBe(0);
      expect(sample(text, 'kakehashi_match_requests_total', { system: 'hybrid' })).toBe(1);
      expect(sample(text, 'kakehashi_matches_served_total')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'kakehashi_web_chat_sockets')).toBe(1);
      expect(sample(text, 'kakehashi_database_up')).toBe(1);
    } finally {
      client.close();
    }
  });
});

describe('operations: /metrics behind METRICS_TOKEN', () => {
  it('answers 401 without the token and 200 with it', async () => {
    const running = await startTestApp({ METRICS_TOKEN: 'metrics-token-0123456789' });
    try {
      expect((await fetch(`${running.url}/metrics`)).status).toBe(401);
      expect(
        (
          await fetch(`${running.url}/metrics`, {
            headers: { authorization: 'Bearer wrong-token-0123456789' },
          })
        ).status,
      ).toBe(401);
      const ok = await fetch(`${running.url}/metrics`, {
        headers: { authorization: 'Bearer metrics-token-0123456789' },
      });
      expect(ok.status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
