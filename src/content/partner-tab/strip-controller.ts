import { t } from '../../shared/i18n';
import { MessageError, type sendToBackground } from '../../shared/messaging';
import type { StripContent } from '../../shared/partner-tabs';
import { createRateLimit } from './rate-limit';
import { keepAttached, watchVisibility } from './strip-guard';
import { createStripView, type StripAction } from './strip-view';
import { createTitleWarning } from './title-warning';
import { keepOnTop } from './top-layer';

type Tampering = 'removed' | 'hidden' | 'title';

export interface Strip {
  /** Shows this content (again, if it changed), or takes the strip and the title's warning away (null). */
  show(content: StripContent | null): void;
}

/**
 * The strip over a partner tab that may show the wrong patient, with its title warning and its watches. It
 * only ever talks to our background (`send`): what to show comes from there, and so does every decision.
 */
export function createStrip(doc: Document, send: typeof sendToBackground): Strip {
  const allowed = createRateLimit(1000);
  let shown = '';

  function tampered(what: Tampering): void {
    if (shown && allowed(what)) void send('strip.tampered', { what }).catch(() => undefined);
  }

  async function act(action: StripAction, content: StripContent): Promise<void> {
    try {
      await send('strip.act', action === 'open-here' ? { action, fingerprint: content.now?.fingerprint } : { action });
      view.status('');
      // Kept: the clinician has seen the warning and chose this tab as it is. Open-here and close replace
      // or close the page, so the strip goes with it.
      if (action === 'keep') show(null);
    } catch (error) {
      view.status(error instanceof MessageError ? error.message : t('stripFailed'));
    }
  }

  const view = createStripView({ onAct: act, onCovered: () => tampered('hidden') });
  const title = createTitleWarning(doc, () => tampered('title'));
  const onTop = keepOnTop(doc, view.host, view.focused);
  const presence = keepAttached(doc, view.host, {
    onRemoved: () => tampered('removed'),
    onDocumentChanged: () => (title.check(), onTop.placed()),
    home: onTop.home,
  });
  const visibility = watchVisibility(view.box, () => {
    tampered('hidden');
    onTop.raise();
  });

  function show(content: StripContent | null): void {
    const key = content ? JSON.stringify(content) : '';
    if (key === shown) return;
    shown = key;
    if (!content) {
      visibility.stop();
      onTop.stop();
      presence.stop();
      title.stop();
      return;
    }
    // Drawn again only when it changed: every render is announced again (role alert).
    view.render(content);
    presence.start();
    onTop.start();
    title.start();
    visibility.start();
  }

  return { show };
}
