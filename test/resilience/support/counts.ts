/**
 * The fault and abuse suite's tallies, printed at the end of each spec file and checked by it. One line per
 * scenario, `resilience <scenario>: name value, …`, so a CI log shows what was tried and what happened.
 */
export function printCounts(scenario: string, counts: Record<string, number>): void {
  const text = Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  process.stdout.write(`resilience ${scenario}: ${text}\n`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds or `timeoutMs` passes (then throws naming `what`). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(25);
  }
}
