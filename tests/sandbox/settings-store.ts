import { isPlainObject } from './http-kit';
import type { SettingsApi } from './types';

export class SettingsError extends Error {}

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const kind = typeof value;
  if (kind === 'string' || kind === 'number' || kind === 'boolean') return kind;
  return 'object';
}

export interface SettingsStore<T> extends SettingsApi {
  readonly current: T;
}

/**
 * Holds one server's settings. Merging is shallow (arrays are replaced, not appended), only
 * known keys are accepted, each value must keep its kind, and `validate` checks the result.
 */
export function createSettingsStore<T extends object>(options: {
  defaults: () => T;
  validate?: (candidate: T) => string | undefined;
  onReset?: () => void;
}): SettingsStore<T> {
  let current = options.defaults();
  return {
    get current() {
      return current;
    },
    get: () => structuredClone(current),
    merge(patch: unknown) {
      if (!isPlainObject(patch)) throw new SettingsError('settings patch must be a JSON object');
      const before = current as Record<string, unknown>;
      const next: Record<string, unknown> = { ...before };
      for (const [key, value] of Object.entries(patch)) {
        if (!Object.hasOwn(before, key)) throw new SettingsError(`unknown setting: ${key}`);
        const expected = kindOf(before[key]);
        if (kindOf(value) !== expected) throw new SettingsError(`setting ${key} must be of type ${expected}`);
        next[key] = structuredClone(value);
      }
      const problem = options.validate?.(next as T);
      if (problem) throw new SettingsError(problem);
      current = next as T;
    },
    reset() {
      current = options.defaults();
      options.onReset?.();
    },
  };
}

export function isIdList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((id) => Number.isSafeInteger(id) && (id as number) > 0);
}
