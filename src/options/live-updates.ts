import { useEffect } from 'preact/hooks';
import { browser } from '../shared/browser-api';
import { AUDIT_CHANNEL } from '../shared/audit-channel';

/**
 * Keeps an options page section current while launches happen in other tabs: the audit trail (IndexedDB, so
 * the background announces each append on a BroadcastChannel) and storage.session keys (tab readings).
 */

export interface LiveSources {
  audit?: boolean;
  /** storage.session keys whose change should refresh the section. */
  sessionKey?: (key: string) => boolean;
}

type StorageListener = (changes: Record<string, unknown>, area: string) => void;

export interface LiveEnv {
  channel: (name: string) => Pick<BroadcastChannel, 'addEventListener' | 'close'>;
  onStorageChanged: { addListener(listener: StorageListener): void; removeListener(listener: StorageListener): void };
}

const browserEnv = (): LiveEnv => ({ channel: (name) => new BroadcastChannel(name), onStorageChanged: browser.storage.onChanged });

/**
 * Calls `refresh` after a change, at most once per `delayMs`: a launch writes a few entries and tab reports come
 * in bursts, and each refresh reads the whole trail. A change during the wait is covered by the refresh that
 * ends it. Answers the function that stops watching.
 */
export function watchLive(refresh: () => void, sources: LiveSources, env: LiveEnv = browserEnv(), delayMs = 200): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      refresh();
    }, delayMs);
  };
  const channel = sources.audit ? env.channel(AUDIT_CHANNEL) : undefined;
  // Whatever arrives is only a cue: the section reads what it shows from the background.
  channel?.addEventListener('message', changed);
  const { sessionKey } = sources;
  const storageListener: StorageListener = (changes, area) => {
    if (area === 'session' && sessionKey && Object.keys(changes).some(sessionKey)) changed();
  };
  if (sessionKey) env.onStorageChanged.addListener(storageListener);
  return () => {
    if (timer) clearTimeout(timer);
    channel?.close();
    if (sessionKey) env.onStorageChanged.removeListener(storageListener);
  };
}

/** `watchLive` for as long as the component is shown. */
export function useLiveRefresh(refresh: () => void, sources: LiveSources): void {
  useEffect(() => watchLive(refresh, sources), [refresh]);
}
