/** Nearest-rank percentile of a sample (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** The one line a benchmark ends its output with. */
export function summaryLine(name: string, parts: readonly string[]): string {
  return `${name}: ${parts.join('; ')}`;
}

/**
 * Ratios of paired measurements (with / without, taken back to back) summarised by their median and range: one
 * pair disturbed by the machine moves the median little, where a ratio of sums would take all of it.
 */
export function pairedRatios(pairs: ReadonlyArray<{ with: number; without: number }>): { median: number; min: number; max: number } {
  const ratios = pairs.filter((p) => p.without > 0).map((p) => p.with / p.without);
  if (ratios.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = [...ratios].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** What a cold start adds to a warm run's median, and whether that stays within the budget. */
export function coldCost(warm: readonly number[], cold: readonly number[], budgetMs: number): { addedMs: number; met: boolean } {
  const addedMs = percentile(cold, 50) - percentile(warm, 50);
  return { addedMs, met: addedMs <= budgetMs };
}
