/**
 * Black Pear's auto-enrolment stand-in: besides keys enrolled by hand (`jwks`), the simulator may fetch a third
 * party's published JWKS from URLs (`jwksUrls`), such as a launch broker's /.well-known/jwks.json. Keys are kept
 * for five minutes; an unknown kid fetches again at once (a key the third party has just rotated in).
 */

const CACHE_MS = 5 * 60_000;

interface Cached {
  at: number;
  keys: Record<string, unknown>[];
}

export function createJwksFetcher(validate: (jwk: unknown, index: number) => string | undefined) {
  const cache = new Map<string, Cached>();

  async function fetchKeys(url: string): Promise<Record<string, unknown>[]> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) return [];
      const body = (await response.json()) as { keys?: unknown };
      // A published key that would not pass manual enrolment is not used either.
      const keys = Array.isArray(body.keys) ? body.keys.filter((jwk, index) => validate(jwk, index) === undefined) : [];
      cache.set(url, { at: Date.now(), keys: keys as Record<string, unknown>[] });
      return keys as Record<string, unknown>[];
    } catch {
      return [];
    }
  }

  return {
    /** The keys published at these URLs; fetched again when stale or when `kid` is not among them. */
    async keys(urls: readonly string[], kid: string | undefined): Promise<Record<string, unknown>[]> {
      const all: Record<string, unknown>[] = [];
      for (const url of urls) {
        const cached = cache.get(url);
        const fresh = cached && Date.now() - cached.at < CACHE_MS && (kid === undefined || cached.keys.some((jwk) => jwk['kid'] === kid));
        all.push(...(fresh ? cached.keys : await fetchKeys(url)));
      }
      return all;
    },
    clear(): void {
      cache.clear();
    },
  };
}
