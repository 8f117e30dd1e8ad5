import { t } from '../shared/i18n';
import { CALM_REFUSALS, CLICK_REFUSAL_MESSAGES, type ClickRefusal, type LaunchResult } from '../shared/protocol';
import type { ClickGuard } from './click-guard';

/**
 * The one path from a click on an injected launch button (the bar's, or a list row's) to a launch. In order:
 * only the user's own click; the second click of a double-click whose first is launching adds nothing; the
 * click checks (click-guard.ts) refuse, saying why; the caller's own reasons not to launch (a sign-in button,
 * a partner not ready); one launch per partner at a time; the browser's visibility verdict; then the launch,
 * its status, and the button freed whatever happened.
 */

/** How long a click waits for the browser's first visibility verdict. */
export const VERDICT_WAIT_MS = 200;

export type StatusKind = 'notice' | 'error' | 'none';

export interface LaunchClick {
  event: MouseEvent;
  button: HTMLElement;
  /** What the clinician must be able to read for the click to mean what they think (the patient line, the button). */
  parts: readonly HTMLElement[];
  partnerId: string;
  partnerLabel: string;
  guard: ClickGuard;
  /** The partners whose launch from this bar or row is under way. */
  working: Set<string>;
  /** Shows a status; answers a token that `clear` takes, so only this status is cleared. */
  say(kind: StatusKind, text: string): number;
  /** Clears the status if it is still the one `token` names (another launch's message since then stays). */
  clear(token: number): void;
  /** The click was refused by the checks: the background keeps it for the popup and badge. */
  onRefused(refusal: ClickRefusal): void;
  /** The caller's own reasons the click does something else (sign in) or nothing; true when it handled it. */
  instead?(): boolean;
  busy(on: boolean): void;
  launch(): Promise<LaunchResult>;
}

/** Runs one click through the path. Answers the launch's promise when one started (for tests), else undefined. */
export function guardedLaunch(click: LaunchClick): Promise<void> | undefined {
  const { event, partnerId, working } = click;
  // Page script can call click() or dispatch events; only the user's own click launches.
  if (!event.isTrusted) return undefined;
  if (event.detail >= 2 && working.has(partnerId)) return undefined;
  const refusal = click.guard.refusal(event, click.button, click.parts);
  if (refusal) {
    click.say(CALM_REFUSALS.has(refusal) ? 'notice' : 'error', t(CLICK_REFUSAL_MESSAGES[refusal]));
    click.onRefused(refusal);
    return undefined;
  }
  if (click.instead?.()) return undefined;
  // This partner's launch is already under way: say so rather than start a second one.
  if (working.has(partnerId)) {
    click.say('notice', t('barWorking', click.partnerLabel));
    return undefined;
  }
  working.add(partnerId);
  click.busy(true);
  const mine = click.say('notice', t('barWorking', click.partnerLabel));
  const visibility = click.guard.visibility;
  // Something painted over the button that lets clicks through is invisible to hit testing, not to the browser.
  return visibility
    .verdict(VERDICT_WAIT_MS)
    .then((visible) => {
      // The verdict has served its purpose: stop the per-frame work before the partner's page loads.
      visibility.stop();
      if (visible === false) {
        click.onRefused('covered');
        throw new Error(t(CLICK_REFUSAL_MESSAGES.covered));
      }
      return click.launch();
    })
    .then((result) => {
      if (result.notice) click.say('notice', result.notice);
      else click.clear(mine);
    })
    .catch((error: unknown) => {
      click.say('error', error instanceof Error ? error.message : t('barFailed'));
    })
    .finally(() => {
      working.delete(partnerId);
      click.busy(false);
    });
}
