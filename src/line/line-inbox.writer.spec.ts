import type { LineInboxRepository, NewInboxEvent } from './line-inbox.repository';
import { LineInboxWriter } from './line-inbox.writer';
import { strictMock } from './testing/strict-mock';

const ev = (key: string): NewInboxEvent => ({
  eventKey: key,
  conversationKey: 'user:U1',
  eventType: 'message',
  event: { type: 'message' },
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('LineInboxWriter', () => {
  it('writes alone when idle, and merges the requests that arrive during a write into one insert', async () => {
    const first = deferred<string[]>();
    const insertEvents = jest
      .fn()
      .mockReturnValueOnce(first.promise)
      .mockImplementation(async (events: NewInboxEvent[]) =>
        events.map((e) => e.eventKey).filter((k) => k !== 'old'),
      );
    const writer = new LineInboxWriter(strictMock<LineInboxRepository>({ insertEvents }));

    const a = writer.write([ev('a')]);
    const b = writer.write([ev('b1'), ev('b2')]);
    const c = writer.write([ev('old'), ev('c')]);
    expect(insertEvents).toHaveBeenCalledTimes(1);
    first.resolve(['a']);
    await expect(a).resolves.toBe(1);
    await expect(b).resolves.toBe(2);
    await expect(c).resolves.toBe(1);
    expect(insertEvents).toHaveBeenCalledTimes(2);
    expect((insertEvents.mock.calls[1][0] as NewInboxEvent[]).map((e) => e.eventKey)).toEqual([
      'b1',
      'b2',
      'old',
      'c',
    ]);
  });

  it('a key sent twice in one batch counts once; a failed insert fails every request in its batch', async () => {
    const first = deferred<string[]>();
    const insertEvents = jest
      .fn()
      .mockReturnValueOnce(first.promise)
      .mockResolvedValueOnce(['dup'])
      .mockRejectedValueOnce(new Error('database down'));
    const writer = new LineInboxWriter(strictMock<LineInboxRepository>({ insertEvents }));
    const warmup = writer.write([ev('w')]);
    const x = writer.write([ev('dup')]);
    const y = writer.write([ev('dup')]);
    first.resolve(['w']);
    await warmup;
    expect([await x, await y]).toEqual([1, 0]);

    await expect(writer.write([ev('z')])).rejects.toThrow('database down');
    await expect(writer.write([])).resolves.toBe(0);
  });
});
