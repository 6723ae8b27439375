/** Nearest-rank percentile (0 for no values). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;

export const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/**
 * Runs `work` over `items` with at most `concurrency` in flight, results in input order. The evaluation keeps this
 * at LLM_CONCURRENCY, so a latency measures the model and the product, not a queue the evaluation built itself.
 */
export async function inPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return out;
}

/** Reports progress on a long run at most every `everyMs` (and at the end). */
export function progressReporter(
  label: string,
  total: number,
  write: (line: string) => void,
  everyMs = 5000,
): (done: number) => void {
  const started = Date.now();
  let last = 0;
  return (done) => {
    const now = Date.now();
    if (done < total && now - last < everyMs) return;
    last = now;
    const seconds = (now - started) / 1000;
    const eta =
      done > 0 && done < total ? `, about ${Math.ceil((seconds / done) * (total - done))} s left` : '';
    write(
      `${label}: ${done}/${total} (${Math.round((100 * done) / total)}%) in ${seconds.toFixed(0)} s${eta}`,
    );
  };
}
