import { formatBirthDate } from '../shared/birth-date';
import { t } from '../shared/i18n';
import { formatNhsNumber } from '../shared/nhs-number';
import type { PatientContext } from '../shared/patient';
import { displayName } from '../shared/person-name';
import { problemMessage } from '../shared/problem-messages';
import type { BarState, PartnerButton } from '../shared/protocol';
import type { EhrProfile } from '../shared/ehr-profile';
import { guardClicks, type ClickRefusal } from './click-guard';
import { closedHost, el } from './dom';
import { guardedLaunch } from './guarded-launch';
import { readPageScheme } from './launch-bar-scheme';
import { LAUNCH_BAR_CSS } from './launch-bar-style';

/**
 * The injected launch bar. It lives in a closed shadow root (the page can neither read nor restyle it), is
 * built with DOM calls and textContent only (page data is never parsed as HTML), and launches only on clicks
 * the browser marks as trusted.
 *
 * It stays out of the way: with no patient it is a small tab that opens to say why; with a patient the
 * clinician can minimise it to the same small tab (remembered per site by the background). A minimised bar
 * has no launch buttons at all: it must be restored, showing the patient's name on the buttons, first.
 */


export interface LaunchBarCallbacks {
  onLaunch(partnerId: string, context: PatientContext): Promise<{ notice?: string }>;
  /** The pointer or focus reached a button whose partner fetches its credential ahead of the click. */
  onPrefetch(partnerId: string, context: PatientContext): void;
  /** The bar refused a click itself (covered, faded, under a pop-up): the popup and badge show it too. */
  onRefused(partnerId: string, refusal: ClickRefusal): void;
  /** A trusted click on a "Sign in to launch" button: the background opens the organisation's sign-in. */
  onSignIn(): void;
  /** The clinician minimised or restored the bar (for a patient): the background remembers it for the site. */
  onMinimise(minimised: boolean): void;
  /** A trusted click on "Open EHR Launchpad": the background opens the toolbar popup, or says it could not. */
  onOpenMenu(): Promise<{ opened: boolean; shortcut?: string }>;
}

export interface LaunchBar {
  /** Where the bar goes on this page: against the profile's anchor element, or floating in a corner. */
  place(placement: Pick<EhrProfile, 'anchor' | 'corner'>): void;
  render(context: PatientContext | null, problem: string | undefined, state: BarState | null, reason?: string): void;
  remove(): void;
}

export function createLaunchBar(callbacks: LaunchBarCallbacks): LaunchBar {
  const { host, shadow } = closedHost('ehr-launchpad-bar', 'block', LAUNCH_BAR_CSS);
  const bar = el('section', 'bar');
  bar.setAttribute('role', 'region');
  bar.setAttribute('aria-label', t('barTitle'));
  const head = el('div', 'head');
  const title = el('p', 'title', t('barTitle'));
  // One toggle for minimise, restore and "why no patient": the same element throughout, so focus stays on it.
  const toggle = el('button', 'toggle');
  toggle.type = 'button';
  toggle.setAttribute('aria-controls', 'body');
  /** Whom a minimised bar is for, shown on hover or focus of the tab and read out as the toggle's description. */
  const peek = el('p', 'peek');
  peek.id = 'peek';
  head.append(title, toggle);
  const body = el('div', 'body');
  body.id = 'body';
  const patient = el('p', 'patient');
  const buttons = el('div', 'buttons');
  const hints = el('div', 'hints');
  // Why a button cannot launch yet, shown without a click, and the way to the fix (the toolbar popup).
  const reasons = el('div', 'reasons');
  const whys = el('div', 'whys');
  const fix = el('p', 'fix');
  const openMenu = el('button', 'open-menu', t('barOpenMenu'));
  openMenu.type = 'button';
  fix.append(openMenu, ' ', el('span', 'shortcut', t('barShortcutHint', t('barShortcutDefault'))));
  reasons.append(whys, fix);
  // A live region stays in place for the last click's outcome; empty, it takes no room (see the style).
  const status = el('p', 'status');
  status.setAttribute('role', 'status');
  body.append(patient, hints, buttons, reasons, status);
  bar.append(head, peek, body);
  shadow.append(bar);
  /** Partners whose launch is under way: each button has its own, so a second partner's click is never lost. */
  const working = new Set<string>();
  // The click checks: still, single, honest pointer, drawn as we drew it; the browser's visibility verdict is
  // worked out only while someone is about to use the bar.
  const guard = guardClicks(host, bar);
  let placement: Pick<EhrProfile, 'anchor' | 'corner'> = { corner: 'bottom-right' };
  /** The site's preference, as the background first answers it; the clinician's toggles on this page win after. */
  let minimised: boolean | undefined;
  /** A no-patient tab opened to show why (not remembered: the next page starts as a tab again). */
  let reasonOpen = false;
  let shown: { context: PatientContext | null; problem: string | undefined } = { context: null, problem: undefined };
  let statusSeq = 0;
  /** Each button's partner state as drawn, to put back when a launch for its partner ends. */
  const drawnStates = new WeakMap<HTMLButtonElement, PartnerButton['state']>();

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

  /** Shows a message on the status line; answers its number, so a later success clears only its own "working". */
  function setStatus(kind: 'error' | 'notice' | 'none', text: string): number {
    status.dataset.kind = kind;
    status.textContent = text;
    return ++statusSeq;
  }

  /** Full bar, or the small tab: with a patient as the clinician chose, without one unless opened to see why. */
  function applyView(): void {
    const { context, problem } = shown;
    const full = context ? minimised === false : reasonOpen;
    // Until the site's preference is known, a patient's bar is not drawn at all (no flash of a bar it then hides).
    bar.dataset.view = context && minimised === undefined ? 'pending' : full ? 'full' : 'tab';
    toggle.setAttribute('aria-expanded', String(full));
    if (full) {
      toggle.textContent = '\u2212';
      toggle.setAttribute('aria-label', t('barMinimise'));
    } else {
      toggle.textContent = context ? t('barTitle') : problem === 'choose-row' ? t('barTabChooseRow') : t('barTabNoPatient');
      toggle.removeAttribute('aria-label');
    }
    if (context && !full) toggle.setAttribute('aria-describedby', peek.id);
    else toggle.removeAttribute('aria-describedby');
  }

  openMenu.addEventListener('click', (event) => {
    if (!event.isTrusted) return;
    const token = setStatus('none', '');
    callbacks
      .onOpenMenu()
      .then(({ opened, shortcut }) => {
        if (opened || statusSeq !== token) return;
        setStatus('notice', shortcut ? t('barOpenMenuByShortcut', shortcut) : t('barOpenMenuFromToolbar'));
      })
      .catch(() => {
        if (statusSeq === token) setStatus('notice', t('barOpenMenuFromToolbar'));
      });
  });

  /** One line per partner that cannot launch yet, in a neutral tone (it is a step to take, not an error). */
  function drawReasons(partners: readonly PartnerButton[]): void {
    const blocked = partners.filter((partner) => partner.state !== 'ready' && partner.state !== 'sign-in-needed' && partner.message);
    whys.replaceChildren(
      ...blocked.map((partner) => {
        const why = el('p', 'why', partner.message);
        why.id = `why-${partner.id}`;
        return why;
      }),
    );
    reasons.hidden = blocked.length === 0;
  }

  toggle.addEventListener('click', () => {
    if (shown.context) {
      minimised = !minimised;
      callbacks.onMinimise(minimised);
    } else {
      reasonOpen = !reasonOpen;
    }
    applyView();
  });

  /**
   * Notes about the patient sit above the buttons: the bar is anchored at the bottom, so a note that arrives
   * later never moves a button from under the clinician's pointer. Each is read out with its button.
   */
  function drawHints(partners: readonly PartnerButton[]): void {
    hints.replaceChildren();
    for (const b of buttons.querySelectorAll('button')) {
      if (!b.classList.contains('has-hint')) continue;
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
    const signIn = partner.state === 'sign-in-needed';
    const b = el('button', undefined, signIn ? `${partner.label}: ${t('barSignInToLaunch')}` : partner.label);
    b.type = 'button';
    b.dataset.partner = partner.id;
    drawnStates.set(b, partner.state);
    b.dataset.state = working.has(partner.id) ? 'working' : partner.state;
    if (working.has(partner.id)) b.setAttribute('aria-busy', 'true');
    // A sign-in button opens no patient: it is named for what it does.
    if (!signIn) b.setAttribute('aria-label', t('barOpenIn', displayName(context.name), partner.label));
    if (partner.state !== 'ready') {
      b.setAttribute('aria-disabled', 'true');
      if (partner.message && !signIn) b.setAttribute('aria-describedby', `why-${partner.id}`);
    }
    // Every ready button tells the background when the pointer or focus reaches it: partners that prefetch on
    // hover fetch then, and for all the worker is woken (the browser stops it after 30 s idle) before the click.
    if (partner.state === 'ready') {
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
      // A bar that is not fully shown (minimised) never launches: the clinician must see the patient's name first.
      if (bar.dataset.view !== 'full') return;
      void guardedLaunch({
        event,
        button: b,
        parts: [patient, b],
        partnerId: partner.id,
        partnerLabel: partner.label,
        guard,
        working,
        say: setStatus,
        clear: (token) => {
          if (statusSeq === token) setStatus('none', '');
        },
        onRefused: (refusal) => callbacks.onRefused(partner.id, refusal),
        instead: () => {
          if (signIn) {
            callbacks.onSignIn();
            setStatus('notice', t('barSigningIn'));
            return true;
          }
          if (partner.state !== 'ready') {
            setStatus('notice', partner.message ?? t('barNotReady'));
            return true;
          }
          return false;
        },
        busy: (on) => {
          if (on) {
            b.dataset.state = 'working';
            b.setAttribute('aria-busy', 'true');
            return;
          }
          // The button may have been drawn again meanwhile (a new patient): every one for this partner is free.
          for (const drawn of new Set([b, ...buttons.querySelectorAll<HTMLButtonElement>(`button[data-partner="${partner.id}"]`)])) {
            drawn.dataset.state = drawnStates.get(drawn) ?? partner.state;
            drawn.removeAttribute('aria-busy');
          }
        },
        launch: () => callbacks.onLaunch(partner.id, context),
      });
    });
    return b;
  }

  return {
    place(next) {
      placement = next;
      if (host.isConnected) attach();
    },
    render(context, problem, state, reason) {
      attach();
      bar.dataset.scheme = readPageScheme(document);
      if (minimised === undefined && state?.minimised !== undefined) minimised = state.minimised;
      if (context !== shown.context || problem !== shown.problem) reasonOpen = false;
      shown = { context, problem };
      const key = buttonsKey(context, state) + (reason ?? '');
      if (context && key === drawnKey) {
        // Same patient, same buttons: only the notes changed. Replacing a button mid-click would lose the click.
        drawHints(state?.partners ?? []);
        applyView();
        return;
      }
      drawnKey = key;
      patient.replaceChildren();
      buttons.replaceChildren();
      hints.replaceChildren();
      peek.replaceChildren();
      drawReasons(context ? (state?.partners ?? []) : []);
      applyView();
      if (!context) {
        patient.textContent = t(problemMessage(problem));
        if (reason) patient.append(el('span', 'reason', reason));
        return;
      }
      const name = el('strong', undefined, displayName(context.name));
      const details = [t('barNhsNumber', formatNhsNumber(context.nhsNumber))];
      if (context.birthDate) details.push(t('barBirthDate', formatBirthDate(context.birthDate)));
      patient.append(t('barFor'), ' ', name, ` · ${details.join(' · ')}`);
      peek.textContent = `${t('barFor')} ${displayName(context.name)} · ${details.join(' · ')}`;
      for (const partner of state?.partners ?? []) buttons.append(button(context, partner));
      drawHints(state?.partners ?? []);
      // The status line is about the last click and stays through a redraw: a launch refused because the
      // patient changed must still say so once the bar shows the new patient.
    },
    remove() {
      // The guard stays: the same bar is drawn again for the next patient.
      host.remove();
    },
  };
}
