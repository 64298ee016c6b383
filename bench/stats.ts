/** Figures from samples, and loops that stop at a count or a time limit, whichever comes first. */

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : total / sorted.length,
  };
}

export interface LoopLimits {
  iterations: number;
  /** Wall-clock cap in ms: the loop stops early rather than overrun the bench's time budget. */
  maxMs: number;
  /** Untimed runs first, so the JIT and lazy caches are warm when timing starts. */
  warmup?: number;
}

/** Times each call of `work` in microseconds (high-resolution clock). */
export async function timeEach(work: (i: number) => Promise<unknown>, limits: LoopLimits): Promise<number[]> {
  for (let i = 0; i < (limits.warmup ?? 0); i++) await work(-1 - i);
  const samples: number[] = [];
  const stopAt = performance.now() + limits.maxMs;
  for (let i = 0; i < limits.iterations && performance.now() < stopAt; i++) {
    const started = process.hrtime.bigint();
    await work(i);
    samples.push(Number(process.hrtime.bigint() - started) / 1_000);
  }
  return samples;
}

/** Rejects when `work` has not settled within `ms`, so no section can hang the bench. */
export async function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}
