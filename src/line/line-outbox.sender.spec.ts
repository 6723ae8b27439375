import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/app-config';
import { LineApiClient, LineApiError } from './line-api.client';
import type { LineOutboxRepository, OutboxRow } from './line-outbox.repository';
import { LineOutboxSender } from './line-outbox.sender';
import { strictMock } from './testing/strict-mock';

const config = loadConfig({
  NODE_ENV: 'test',
  LINE_CHANNEL_SECRET: 's',
  LINE_CHANNEL_ACCESS_TOKEN: 't',
  LINE_RETRY_BASE_MS: '100',
  LINE_RETRY_MAX_DELAY_MS: '1000',
  LINE_OUTBOX_MAX_ATTEMPTS: '3',
});

const row = (over: Partial<OutboxRow> = {}): OutboxRow => ({
  id: '7d0c2b9e-1f7a-4c1e-9d61-0f0d2b6c9a11',
  conversationKey: 'user:U1',
  toId: 'U1',
  replyToken: 'token-1',
  replyTokenExpiresAt: new Date(Date.now() + 30_000),
  messages: [{ type: 'text', text: 'こんにちは' }],
  attempts: 1,
  createdAt: new Date(),
  ...over,
});

function setup(api: Partial<Record<keyof LineApiClient, jest.Mock>>) {
  const repo = {
    markReplyTokenUsed: jest.fn().mockResolvedValue(undefined),
    markSent: jest.fn().mockResolvedValue(undefined),
    retryLater: jest.fn().mockResolvedValue(undefined),
    markFailed: jest.fn().mockResolvedValue(undefined),
  };
  const sender = new LineOutboxSender(
    config,
    strictMock<LineOutboxRepository>(repo),
    strictMock<LineApiClient>(api),
  );
  // The private attempt is the unit under test; the loop around it is WorkLoop's (tested separately).
  const send = (r: OutboxRow) => (sender as unknown as { send(r: OutboxRow): Promise<void> }).send(r);
  return { repo, send, workerId: sender.workerId };
}

const httpError = (status: number, retryAfterMs?: number) =>
  new LineApiError(`LINE push ${status}`, status, 'http', retryAfterMs);

describe('LineOutboxSender', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('answers with the reply token while it is fresh, marking it used before the call', async () => {
    const reply = jest.fn().mockResolvedValue(undefined);
    const { repo, send, workerId } = setup({ reply });
    await send(row());
    expect(repo.markReplyTokenUsed).toHaveBeenCalledWith(row().id, workerId);
    expect(repo.markReplyTokenUsed.mock.invocationCallOrder[0]).toBeLessThan(
      reply.mock.invocationCallOrder[0],
    );
    expect(reply).toHaveBeenCalledWith('token-1', row().messages);
    expect(repo.markSent).toHaveBeenCalledWith(row().id, workerId, 'reply', 200);
  });

  it('pushes with the row id as X-Line-Retry-Key when the token expired or was used', async () => {
    for (const r of [
      row({ replyTokenExpiresAt: new Date(Date.now() - 1) }),
      row({ replyTokenUsedAt: new Date() }),
      row({ replyToken: undefined, replyTokenExpiresAt: undefined }),
    ]) {
      const pushMessages = jest.fn().mockResolvedValue(undefined);
      const { repo, send } = setup({ pushMessages });
      await send(r);
      expect(pushMessages).toHaveBeenCalledWith('U1', r.messages, r.id);
      expect(repo.markSent).toHaveBeenCalledWith(r.id, expect.any(String), 'push', 200);
    }
  });

  it('a 409 on push means an earlier try was delivered: sent, not retried', async () => {
    const { repo, send } = setup({ pushMessages: jest.fn().mockRejectedValue(httpError(409)) });
    await send(row({ replyToken: undefined }));
    expect(repo.markSent).toHaveBeenCalledWith(row().id, expect.any(String), 'push', 409);
    expect(repo.retryLater).not.toHaveBeenCalled();
  });

  it('429 waits at least Retry-After; 5xx and network errors back off', async () => {
    const { repo, send } = setup({ pushMessages: jest.fn().mockRejectedValue(httpError(429, 5000)) });
    await send(row({ replyToken: undefined }));
    expect(repo.retryLater).toHaveBeenCalledWith(row().id, expect.any(String), 5000, 429, expect.any(String));

    for (const err of [httpError(503), new LineApiError('LINE push: fetch failed', undefined, 'network')]) {
      const s = setup({ pushMessages: jest.fn().mockRejectedValue(err) });
      await s.send(row({ replyToken: undefined }));
      const delay = s.repo.retryLater.mock.calls[0][2] as number;
      expect(delay).toBeGreaterThanOrEqual(50);
      expect(delay).toBeLessThanOrEqual(100);
    }
  });

  it('a refused reply token falls back to push at once', async () => {
    const { repo, send } = setup({ reply: jest.fn().mockRejectedValue(httpError(400)) });
    await send(row());
    expect(repo.retryLater).toHaveBeenCalledWith(row().id, expect.any(String), 0, 400, expect.any(String));
  });

  it('a permanent error, or the last attempt, leaves the row failed (never deleted)', async () => {
    const permanent = setup({ pushMessages: jest.fn().mockRejectedValue(httpError(400)) });
    await permanent.send(row({ replyToken: undefined }));
    expect(permanent.repo.markFailed).toHaveBeenCalledWith(
      row().id,
      expect.any(String),
      400,
      expect.any(String),
    );

    const exhausted = setup({ pushMessages: jest.fn().mockRejectedValue(httpError(500)) });
    await exhausted.send(row({ replyToken: undefined, attempts: 3 }));
    expect(exhausted.repo.markFailed).toHaveBeenCalledWith(
      row().id,
      expect.any(String),
      500,
      expect.any(String),
    );
    expect(exhausted.repo.retryLater).not.toHaveBeenCalled();
  });
});
