import { WorkLoop } from './work-loop';

const tick = () => new Promise((r) => setTimeout(r, 5));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkLoop', () => {
  it('runs at most `concurrency` jobs, and claims again as each one ends', async () => {
    const queue = [1, 2, 3, 4, 5];
    const gates = new Map<number, ReturnType<typeof deferred>>();
    let running = 0;
    let peak = 0;
    const loop = new WorkLoop<number>({
      concurrency: 2,
      pollMs: 10_000,
      claim: async (limit) => queue.splice(0, limit),
      run: async (n) => {
        running++;
        peak = Math.max(peak, running);
        const gate = deferred();
        gates.set(n, gate);
        await gate.promise;
        running--;
      },
      onError: (err) => {
        throw err;
      },
    });
    loop.start();
    await tick();
    expect([...gates.keys()]).toEqual([1, 2]);
    gates.get(1)!.resolve();
    await tick();
    expect([...gates.keys()]).toEqual([1, 2, 3]);
    for (const n of [2, 3, 4, 5]) {
      gates.get(n)?.resolve();
      await tick();
      gates.get(n + 1)?.resolve();
      await tick();
    }
    await loop.whenIdle();
    expect(peak).toBe(2);
    expect(queue).toEqual([]);
    await loop.stop();
  });

  it('holds off while told to, and looks again afterwards', async () => {
    let hold = 30;
    const claimed: number[] = [];
    const loop = new WorkLoop<number>({
      concurrency: 1,
      pollMs: 10_000,
      claim: async () => {
        claimed.push(Date.now());
        return [];
      },
      run: async () => undefined,
      onError: () => undefined,
      holdOff: () => {
        const h = hold;
        hold = 0;
        return h;
      },
    });
    const started = Date.now();
    loop.start();
    await tick();
    expect(claimed).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(claimed.length).toBeGreaterThanOrEqual(1);
    expect(claimed[0] - started).toBeGreaterThanOrEqual(25);
    await loop.stop();
  });

  it('stop() waits for running jobs and claims nothing more; errors go to onError', async () => {
    const gate = deferred();
    const errors: unknown[] = [];
    let claims = 0;
    const loop = new WorkLoop<number>({
      concurrency: 1,
      pollMs: 10_000,
      claim: async () => (++claims === 1 ? [1] : []),
      run: async () => {
        await gate.promise;
        throw new Error('boom');
      },
      onError: (err) => errors.push(err),
    });
    loop.start();
    await tick();
    const stopped = loop.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await tick();
    expect(done).toBe(false);
    gate.resolve();
    await stopped;
    expect(errors).toEqual([new Error('boom')]);
    loop.nudge();
    await tick();
    expect(claims).toBe(1);
  });
});
