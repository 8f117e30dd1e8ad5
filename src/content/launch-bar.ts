import { formatBirthDate } from '../shared/birth-date';
import { t } from '../shared/i18n';
import { formatNhsNumber } from '../shared/nhs-number';
import type { PatientContext } from '../shared/patient';
import { displayName } from '../shared/person-name';
import type { BarState, PartnerButton } from '../shared/protocol';
import type { EhrProfile } from '../shared/ehr-profile';
import { clickPoint, clickRefusal, trackVisibilityWhileInUse } from './click-guard';
import { closedHost, el } from './dom';
import { LAUNCH_BAR_CSS } from './launch-bar-style';

/**
 * The injected launch bar. It lives in a closed shadow root (the page can neither read nor restyle it), is
 * built with DOM calls and textContent only (page data is never parsed as HTML), and launches only on clicks
 * the browser marks as trusted.
 */

/** How long a click waits for the browser's first visibility verdict (it comes about 100 ms after hover). */
const VERDICT_WAIT_MS = 200;

export interface LaunchBarCallbacks {
  onLaunch(partnerId: string, context: PatientContext): Promise<{ notice?: string }>;
  /** The pointer or focus reached a button whose partner fetches its credential ahead of the click. */
  onPrefetch(partnerId: string, context: PatientContext): void;
}

export interface LaunchBar {
  /** Where the bar goes on this page: against the profile's anchor element, or floating in a corner. */
  place(placement: Pick<EhrProfile, 'anchor' | 'corner'>): void;
  render(context: PatientContext | null, problem: string | undefined, state: BarState | null): void;
  remove(): void;
}

export function createLaunchBar(callbacks: LaunchBarCallbacks): LaunchBar {
  const { host, shadow } = closedHost('ehr-launchpad-bar', 'block', LAUNCH_BAR_CSS);
  const bar = el('section', 'bar');
  bar.setAttribute('role', 'region');
  bar.setAttribute('aria-label', t('barTitle'));
  const title = el('p', 'title', t('barTitle'));
  const patient = el('p', 'patient');
  const buttons = el('div', 'buttons');
  const hints = el('div', 'hints');
  const status = el('p', 'status');
  status.setAttribute('role', 'status');
  bar.append(title, patient, hints, buttons, status);
  shadow.append(bar);
  let busy = false;
  // The browser's visibility verdict is worked out only while someone is about to use the bar.
  const visibility = trackVisibilityWhileInUse(bar);
  let placement: Pick<EhrProfile, 'anchor' | 'corner'> = { corner: 'bottom-right' };

  function anchorElement(): Element | null {
    if (!placement.anchor) return null;
    try {
      return document.querySelector(placement.anchor.selector);
    } catch {
      return null;
    }
  }

  /** Puts the host where the placement says; floats in the corner when the anchor is not on the page. */
  function attach(): void {
    const anchor = anchorElement();
    if (anchor && placement.anchor && anchor !== host && !host.contains(anchor)) {
      bar.dataset.mode = 'anchored';
      const position = placement.anchor.position;
      const placed =
        (position === 'before' && anchor.previousElementSibling === host) ||
        (position === 'after' && anchor.nextElementSibling === host) ||
        (position === 'prepend' && anchor.firstElementChild === host) ||
        (position === 'append' && anchor.lastElementChild === host);
      if (!placed) {
        if (position === 'before') anchor.before(host);
        else if (position === 'after') anchor.after(host);
        else if (position === 'prepend') anchor.prepend(host);
        else anchor.append(host);
      }
      return;
    }
    bar.dataset.mode = 'floating';
    bar.dataset.corner = placement.corner;
    const root = document.body ?? document.documentElement;
    if (host.parentNode !== root) root.append(host);
  }

  function setStatus(kind: 'error' | 'notice' | 'none', text: string): void {
    status.dataset.kind = kind;
    status.textContent = text;
  }

  /**
   * Notes about the patient sit above the buttons: the bar is anchored at the bottom, so a note that arrives
   * later never moves a button from under the clinician's pointer. Each is read out with its button.
   */
  function drawHints(partners: readonly PartnerButton[]): void {
    hints.replaceChildren();
    for (const b of buttons.querySelectorAll('button')) {
      b.classList.remove('has-hint');
      b.removeAttribute('aria-describedby');
    }
    for (const partner of partners) {
      if (!partner.hint) continue;
      const hint = el('p', 'hint', partner.hint);
      hint.id = `hint-${partner.id}`;
      hints.append(hint);
      const b = [...buttons.querySelectorAll('button')].find((candidate) => candidate.dataset.partner === partner.id);
      b?.classList.add('has-hint');
      b?.setAttribute('aria-describedby', hint.id);
    }
  }

  /** What the buttons depend on; when only notes change, the buttons stay the same elements. */
  function buttonsKey(context: PatientContext | null, state: BarState | null): string {
    return JSON.stringify([context, state?.partners.map((p) => [p.id, p.label, p.state, p.message, p.prefetchOnHover])]);
  }
  let drawnKey = '';

  function button(context: PatientContext, partner: PartnerButton): HTMLButtonElement {
    const b = el('button', undefined, partner.label);
    b.type = 'button';
    b.dataset.partner = partner.id;
    b.dataset.state = partner.state;
    b.setAttribute('aria-label', t('barOpenIn', displayName(context.name), partner.label));
    if (partner.state !== 'ready') {
      b.setAttribute('aria-disabled', 'true');
      if (partner.message) b.title = partner.message;
    }
    if (partner.prefetchOnHover && partner.state === 'ready') {
      let asked = false;
      const prefetch = () => {
        if (asked) return;
        asked = true;
        callbacks.onPrefetch(partner.id, context);
      };
      b.addEventListener('pointerenter', prefetch);
      b.addEventListener('focus', prefetch);
    }
    b.addEventListener('click', (event) => {
      // Page script can call click() or dispatch events; only the user's own click launches.
      if (!event.isTrusted) return;
      const refusal = clickRefusal(host, bar, clickPoint(event, b));
      if (refusal) {
        setStatus('error', t(`barRefused_${refusal.replace('-', '_')}`));
        return;
      }
      if (partner.state !== 'ready') {
        setStatus('error', partner.message ?? t('barNotReady'));
        return;
      }
      if (busy) return;
      busy = true;
      b.dataset.state = 'working';
      b.setAttribute('aria-busy', 'true');
      setStatus('notice', t('barWorking', partner.label));
      // Something painted over the bar that lets clicks through is invisible to hit testing, not to the browser.
      visibility
        .verdict(VERDICT_WAIT_MS)
        .then((visible) => {
          // The verdict has served its purpose: stop the per-frame work before the partner's page loads.
          visibility.stop();
          if (visible === false) throw new Error(t('barRefused_covered'));
          return callbacks.onLaunch(partner.id, context);
        })
        .then((result) => setStatus(result.notice ? 'notice' : 'none', result.notice ?? ''))
        .catch((error: unknown) => setStatus('error', error instanceof Error ? error.message : t('barFailed')))
        .finally(() => {
          busy = false;
          b.dataset.state = partner.state;
          b.removeAttribute('aria-busy');
        });
    });
    return b;
  }

  return {
    place(next) {
      placement = next;
      if (host.isConnected) attach();
    },
    render(context, problem, state) {
      attach();
      const key = buttonsKey(context, state);
      if (context && key === drawnKey) {
        // Same patient, same buttons: only the notes changed. Replacing a button mid-click would lose the click.
        drawHints(state?.partners ?? []);
        return;
      }
      drawnKey = key;
      patient.replaceChildren();
      buttons.replaceChildren();
      hints.replaceChildren();
      if (!context) {
        patient.textContent = t(`problem_${(problem ?? 'no-patient').replace(/-/g, '_')}`);
        return;
      }
      const name = el('strong', undefined, displayName(context.name));
      const details = [`NHS ${formatNhsNumber(context.nhsNumber)}`];
      if (context.birthDate) details.push(`DOB ${formatBirthDate(context.birthDate)}`);
      patient.append(t('barFor'), ' ', name, ` · ${details.join(' · ')}`);
      for (const partner of state?.partners ?? []) buttons.append(button(context, partner));
      drawHints(state?.partners ?? []);
      // The status line is about the last click and stays through a redraw: a launch refused because the
      // patient changed must still say so once the bar shows the new patient.
    },
    remove() {
      host.remove();
    },
  };
}
