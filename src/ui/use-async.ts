import { useCallback, useEffect, useState } from 'preact/hooks';

/** Loads something once (and again on `reload`, or when `reloadWhen` changes), keeping its error readable. */
export function useAsync<T>(load: () => Promise<T>, reloadWhen = 0): { value: T | undefined; error: string | null; reload: () => void } {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    load()
      .then((v) => live && (setValue(v), setError(null)))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [round, reloadWhen]);
  return { value, error, reload: useCallback(() => setRound((r) => r + 1), []) };
}
