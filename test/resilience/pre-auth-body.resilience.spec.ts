import * as http from 'node:http';
import type { RunningApp } from '../../src/bootstrap/start-app';
import { adminAuth, startTestApp } from '../support/test-app';

/**
 * The import route takes bodies of up to 64 MB. Without credentials it must answer 401 before reading such a body:
 * an outside probe sent three anonymous 60 MB bodies and got its 401s only after 12.7 s, with the process
 * growing by a gigabyte while it parsed them.
 */
describe('authentication before a large body is read', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  /** Announces `announced` bytes, sends 64 kB of them, and waits for an answer without sending the rest. */
  function postPartly(headers: Record<string, string>, announced: number) {
    return new Promise<{ status: number; sentBytes: number; ms: number }>((resolve, reject) => {
      const started = Date.now();
      const url = new URL(`${app.url}/api/companies/import`);
      const req = http.request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(announced), ...headers },
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const timer = setTimeout(
        () => reject(new Error('no answer within 5 s: the server waits for the whole body')),
        5000,
      );
      req.on('response', (res) => {
        clearTimeout(timer);
        res.resume();
        resolve({ status: res.statusCode ?? 0, sentBytes: chunk.length, ms: Date.now() - started });
        req.destroy();
      });
      req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
      req.write(Buffer.concat([Buffer.from('['), chunk]));
    });
  }

  it('answers 401 to an anonymous 60 MB import after its first 64 kB', async () => {
    const anonymous = await postPartly({}, 60 * 1024 * 1024);
    const badToken = await postPartly({ authorization: 'Bearer not-a-token' }, 60 * 1024 * 1024);
    console.log(
      `resilience pre-auth body: anonymous ${anonymous.status} after ${anonymous.sentBytes} bytes sent ` +
        `(${anonymous.ms} ms), bad token ${badToken.status} (${badToken.ms} ms)`,
    );
    expect(anonymous.status).toBe(401);
    expect(badToken.status).toBe(401);
  });

  it('still reads the body of a caller with a valid token', async () => {
    const res = await fetch(`${app.url}/api/companies/import?dryRun=true`, {
      method: 'POST',
      headers: { ...adminAuth, 'content-type': 'application/json' },
      body: '[]',
    });
    expect(res.status).toBe(200);
  });
});
