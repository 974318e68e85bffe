// Timing helpers for the benchmarks: they print figures, they never assert them.
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)];
}

/**
 * Runs fn `runs` times after `warmup` unmeasured runs; returns sorted durations in ms. With
 * `selfTimed`, fn returns its own duration (to leave set-up work out of the figure).
 */
export async function measure(
  fn: () => Promise<unknown>,
  runs: number,
  warmup = 3,
  selfTimed = false,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const own = await fn();
    times.push(selfTimed ? own as number : performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

export function report(label: string, sortedMs: number[]): void {
  const fmt = (n: number) => n.toFixed(2).padStart(8);
  console.log(
    `${label.padEnd(58)} p50 ${fmt(percentile(sortedMs, 50))} ms   p95 ${
      fmt(percentile(sortedMs, 95))
    } ms   (n=${sortedMs.length})`,
  );
}

/**
 * Prints a figure beside the floor it is compared with (the same data read or written with
 * nothing else: no rules, no cache logic), and how many times the floor the figure is.
 */
export function reportAgainstFloor(
  label: string,
  sortedMs: number[],
  floorLabel: string,
  floorMs: number[],
): void {
  const fmt = (n: number) => n.toFixed(2).padStart(8);
  const p95 = percentile(sortedMs, 95), floor95 = percentile(floorMs, 95);
  console.log(
    `${label.padEnd(50)} p50 ${fmt(percentile(sortedMs, 50))} ms  p95 ${fmt(p95)} ms` +
      `  | floor p95 ${fmt(floor95)} ms (${floorLabel})  ratio ${(p95 / floor95).toFixed(1)}x`,
  );
}
