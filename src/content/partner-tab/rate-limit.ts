/**
 * At most one call per `intervalMs` for each key: a page that removes the strip in a loop gets it back every
 * time, but the background hears about it once a second, not thousands of times.
 */
export function createRateLimit(intervalMs: number, now: () => number = Date.now): (key: string) => boolean {
  const last = new Map<string, number>();
  return (key) => {
    const at = now();
    const previous = last.get(key);
    if (previous !== undefined && at - previous < intervalMs) return false;
    last.set(key, at);
    return true;
  };
}
