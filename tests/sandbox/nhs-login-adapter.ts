import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * oidc-provider storage for one sandbox instance. The library's own memory adapter is shared by every
 * Provider in the process; this one lives with the module so a sandbox reset forgets sessions and tokens,
 * and the Provider can be rebuilt (when RP1's keys change) without losing them. Used by `nhs-login` and `pkb`.
 */
export class AdapterStore {
  private readonly entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();

  /**
   * `refreshTokenReuseGraceSeconds`: how long a rotated refresh token may still be used (0 = never). Some
   * authorisation servers allow this so a client that lost the answer to a refresh (crash, dropped connection)
   * can retry; reuse after the window still revokes the grant.
   */
  constructor(private readonly options: { refreshTokenReuseGraceSeconds?: () => number } = {}) {}

  clear(): void {
    this.entries.clear();
  }

  /** Forgets every grant and every token issued under one (a revoked pairing); sessions stay. Returns the count. */
  revokeAllGrants(): number {
    let grants = 0;
    for (const [key, entry] of this.entries) {
      if (key.startsWith('Grant:')) {
        grants += 1;
        this.entries.delete(key);
      } else if (entry.payload.grantId !== undefined) {
        this.entries.delete(key);
      }
    }
    return grants;
  }

  /** The factory oidc-provider's `adapter` option expects: one adapter per model name. */
  factory(): new (model: string) => Adapter {
    const store = this;
    return class implements Adapter {
      constructor(private readonly model: string) {}

      private key(id: string): string {
        return `${this.model}:${id}`;
      }

      async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
        store.entries.set(this.key(id), { payload: structuredClone(payload), expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
      }

      async find(id: string): Promise<AdapterPayload | undefined> {
        const payload = store.read(this.key(id));
        if (this.model === 'RefreshToken' && payload?.consumed !== undefined && store.withinReuseGrace(Number(payload.consumed))) delete payload.consumed;
        return payload;
      }

      async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
        return store.search(this.model, (payload) => payload.userCode === userCode);
      }

      async findByUid(uid: string): Promise<AdapterPayload | undefined> {
        return store.search(this.model, (payload) => payload.uid === uid);
      }

      async consume(id: string): Promise<void> {
        const entry = store.entries.get(this.key(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      }

      async destroy(id: string): Promise<void> {
        store.entries.delete(this.key(id));
      }

      async revokeByGrantId(grantId: string): Promise<void> {
        for (const [key, entry] of store.entries) if (entry.payload.grantId === grantId) store.entries.delete(key);
      }
    };
  }

  private withinReuseGrace(consumedAtSeconds: number): boolean {
    const grace = this.options.refreshTokenReuseGraceSeconds?.() ?? 0;
    return grace > 0 && Date.now() / 1000 - consumedAtSeconds <= grace;
  }

  private read(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return structuredClone(entry.payload);
  }

  private search(model: string, match: (payload: AdapterPayload) => boolean): AdapterPayload | undefined {
    for (const [key, entry] of this.entries) {
      if (key.startsWith(`${model}:`) && match(entry.payload)) return this.read(key);
    }
    return undefined;
  }
}
