import { sendToBackground } from '../../shared/messaging';
import { contentProtocol } from '../../shared/protocol';
import { onMessage, runtimeId } from '../../shared/runtime';
import { createStrip } from './strip-controller';

/**
 * Injected by the background into the top frame of a partner tab it opened, when that tab may show the wrong
 * patient. Only our background can reach it (pages cannot message a content script); the page can only try to
 * remove or hide the strip, which is put back and reported.
 *
 * It may be injected again into the same document (after a reload of the partner page, or twice): the first
 * run leaves a marker in this isolated world, and a later run only asks the background again.
 */

const RUNNING = Symbol.for('ehr-launchpad.partner-tab-strip');
const scope = globalThis as { [RUNNING]?: () => void };

function run(): () => void {
  const strip = createStrip(document, sendToBackground);
  /** Bumped by each strip.show: an answer to an older strip.get must not undo a newer message. */
  let version = 0;

  onMessage((message, sender) => {
    if (sender.id !== runtimeId() || sender.tab) return undefined;
    if ((message as { type?: unknown } | null)?.type !== 'strip.show') return undefined;
    const parsed = contentProtocol['strip.show'].payload.safeParse((message as { payload?: unknown }).payload);
    if (!parsed.success) return undefined;
    version++;
    strip.show(parsed.data);
    return Promise.resolve({});
  });

  return () => {
    const asked = version;
    sendToBackground('strip.get', {}).then(
      (content) => asked === version && strip.show(content),
      () => undefined,
    );
  };
}

const ask = scope[RUNNING] ?? (scope[RUNNING] = run());
ask();
