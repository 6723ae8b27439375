import type { Worker } from 'node:worker_threads';

/** The next message from `worker` that passes `filter` (benchmarks talk to their load and model threads so). */
export function nextMessage<T>(worker: Worker, filter: (msg: unknown) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: unknown) => {
      if (!filter(msg)) return;
      worker.off('message', onMessage);
      resolve(msg as T);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

/** A message filter: objects carrying `key`. */
export const carrying = (key: string) => (msg: unknown) =>
  typeof msg === 'object' && msg !== null && key in msg;
