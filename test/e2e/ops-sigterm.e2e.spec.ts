import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectChat, createSession } from '../support/web-chat-client';

/**
 * The real process (`node dist/src/main.js`, as `npm start` and the Docker image run it) on an on-disk embedded
 * database receives SIGTERM: web chat sockets are told to reconnect, the process ends on the signal, the
 * database is closed properly (its lock released), and the next start finds its data. Needs `npm run build`
 * (`npm test` builds first).
 */
const MAIN = path.resolve(__dirname, '..', '..', 'dist', 'src', 'main.js');
const maybe = fs.existsSync(MAIN) ? it : it.skip;

function start(dataDir: string): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_ON_FIRST_START: 'false',
      LOG_LEVEL: 'info',
      WEB_CHAT_SECRET: 'sigterm-web-chat-secret-0123456789',
      RETENTION_INTERVAL_MINUTES: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${lines.join('\n')}`)), 60_000);
    child.stderr.on('data', (d: Buffer) => lines.push(String(d)));
    child.stdout.on('data', (d: Buffer) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        lines.push(line);
        const url = /"url":"([^"]+)"/.exec(line)?.[1];
        if (url && line.includes('Kakehashi is listening')) {
          clearTimeout(timer);
          resolve({ child, url, lines });
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${lines.join('\n')}`)));
  });
}

maybe('SIGTERM drains the real process and closes the embedded database cleanly', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kakehashi-sigterm-'));
  try {
    const first = await start(dataDir);
    const session = await createSession(first.url, { lang: 'en' });
    const socket = await connectChat(first.url, { token: session.token });
    await socket.request('user_message', { text: 'help', clientMessageId: 'before-sigterm' });
    const hint = socket.next('server_restarting');
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      first.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    first.child.kill('SIGTERM');
    expect(await hint).toMatchObject({ reconnect: true });
    const { code, signal } = await exited;
    expect(signal === 'SIGTERM' || code === 0).toBe(true);
    socket.close();
    expect(first.lines.join('\n')).toContain('draining');
    // The lock file is gone: the database was closed, not abandoned.
    expect(fs.existsSync(path.join(dataDir, 'kakehashi.lock'))).toBe(false);

    const second = await start(dataDir);
    const again = await connectChat(second.url, { token: session.token, lastSeenId: '0' });
    const resumed = await again.next('bot_message');
    expect(resumed.replyTo).toBe('before-sigterm');
    again.close();
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
