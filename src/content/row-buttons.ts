import { t } from '../shared/i18n';
import { formatNhsNumber } from '../shared/nhs-number';
import { contextFingerprint, type PatientContext } from '../shared/patient';
import { displayName } from '../shared/person-name';
import type { BarState, PartnerButton } from '../shared/protocol';
import type { EhrProfile } from '../shared/ehr-profile';
import { guardClicks, type ClickGuard, type ClickRefusal } from './click-guard';
import { closedHost, el } from './dom';
import { guardedLaunch, type StatusKind } from './guarded-launch';
import type { PatientRow } from './detect-rows';

/**
 * Launch buttons inside each patient row of a list, for profiles that ask for them. Like the bar: a closed
 * shadow root per row, DOM calls and textContent only, trusted clicks only, the same click checks. A row's
 * buttons name the row's patient (accessible name and tooltip); the row itself shows the rest.
 */

const ROW_CSS = `
:host { all: initial !important; display: inline-block !important; }
.row { direction: ltr; unicode-bidi: isolate; cursor: default; display: inline-flex; flex-wrap: wrap; align-items: center; gap: 4px; margin: 0 4px; font: 12px/1.3 Arial, Helvetica, sans-serif; contain: layout paint style; }
button {
  font: inherit; font-weight: bold; cursor: pointer; padding: 2px 8px; border-radius: 4px;
  border: 2px solid #005eb8; background: #005eb8; color: #ffffff;
}
button:focus-visible { outline: 3px solid #ffeb3b; outline-offset: 1px; }
button[data-state="working"] { opacity: 0.75; cursor: progress; }
.status:empty { display: none; }
.status { color: #425563; }
.status[data-kind="error"] { color: #d5281b; font-weight: bold; }
@media (prefers-color-scheme: dark) {
  .status { color: #d8dde0; }
  .status[data-kind="error"] { color: #ff8a80; }
}
`;

export interface RowButtonsCallbacks {
  onLaunch(partnerId: string, context: PatientContext, row: Element): Promise<{ notice?: string }>;
  /** A click refused by the row's own checks: the popup and badge show it too. */
  onRefused(partnerId: string, refusal: ClickRefusal): void;
}

export interface RowButtons {
  /** Buttons in exactly these rows (kept where nothing changed), none anywhere else. */
  render(rows: readonly PatientRow[], state: BarState | null, placement: NonNullable<EhrProfile['rows']>['anchor']): void;
  clear(): void;
}

interface Drawn {
  host: HTMLElement;
  key: string;
  guard: ClickGuard;
}

export function createRowButtons(callbacks: RowButtonsCallbacks): RowButtons {
  let drawn = new Map<Element, Drawn>();
  /** Launches under way, per row and partner: another button's click is never dropped because one is running. */
  const working = new WeakMap<Element, Set<string>>();
  // The last click's outcome per row outlives a redraw: a launch refused because the row changed must still
  // say so once the row shows its new patient.
  const statuses = new WeakMap<Element, { kind: StatusKind; text: string; seq: number }>();
  let statusSeq = 0;
  /** Each row's status line as drawn now (a click's answer may arrive after the row was redrawn). */
  const statusLines = new WeakMap<Element, HTMLElement>();
  function setStatus(row: Element, kind: StatusKind, text: string): number {
    const seq = ++statusSeq;
    statuses.set(row, { kind, text, seq });
    const line = statusLines.get(row);
    if (line) {
      line.dataset.kind = kind;
      line.textContent = text;
    }
    return seq;
  }

  function anchorIn(row: Element, placement: NonNullable<EhrProfile['rows']>['anchor']): Element {
    if (placement) {
      try {
        const found = row.querySelector(placement.selector);
        if (found) return found;
      } catch {
        // A selector that does not parse: the default place.
      }
    }
    return row.lastElementChild ?? row;
  }

  function draw(row: Element, context: PatientContext, partners: readonly PartnerButton[]): { host: HTMLElement; guard: ClickGuard } {
    const { host, shadow } = closedHost('ehr-launchpad-row', 'inline-block', ROW_CSS);
    const box = el('span', 'row');
    const status = el('span', 'status');
    status.setAttribute('role', 'status');
    const guard = guardClicks(host, box);
    statusLines.set(row, status);
    const previous = statuses.get(row);
    // Shown again as it was (same token): a launch under way still clears its own "Opening…" when it ends.
    if (previous) {
      status.dataset.kind = previous.kind;
      status.textContent = previous.text;
    }
    const who = `${displayName(context.name)} · NHS ${formatNhsNumber(context.nhsNumber)}`;
    for (const partner of partners) {
      const b = el('button', undefined, partner.label);
      b.type = 'button';
      b.dataset.partner = partner.id;
      b.setAttribute('aria-label', t('barOpenIn', displayName(context.name), partner.label));
      b.title = who;
      b.addEventListener('click', (event) => {
        const running = working.get(row) ?? new Set<string>();
        working.set(row, running);
        void guardedLaunch({
          event,
          button: b,
          parts: [b],
          partnerId: partner.id,
          partnerLabel: partner.label,
          guard,
          working: running,
          say: (kind, text) => setStatus(row, kind, text),
          // Another launch's message in this row since this one started (an error, say) stays on show.
          clear: (token) => {
            if (statuses.get(row)?.seq === token) setStatus(row, 'none', '');
          },
          onRefused: (refusal) => callbacks.onRefused(partner.id, refusal),
          busy: (on) => {
            if (on) {
              b.dataset.state = 'working';
              b.setAttribute('aria-busy', 'true');
            } else {
              delete b.dataset.state;
              b.removeAttribute('aria-busy');
            }
          },
          launch: () => callbacks.onLaunch(partner.id, context, row),
        });
      });
      box.append(b);
    }
    box.append(status);
    shadow.append(box);
    return { host, guard };
  }

  function drop(old: Drawn): void {
    old.guard.dispose();
    old.host.remove();
  }

  return {
    render(rows, state, placement) {
      // Only partners that can launch now: the bar at the page's edge says what the others need.
      const ready = (state?.partners ?? []).filter((p) => p.state === 'ready');
      const next = new Map<Element, Drawn>();
      for (const { row, context } of rows) {
        const key = JSON.stringify([contextFingerprint(context), ready.map((p) => [p.id, p.label])]);
        const old = drawn.get(row);
        const anchor = anchorIn(row, placement);
        if (old && old.key === key && old.host.parentNode === anchor) {
          next.set(row, old);
          continue;
        }
        if (old) drop(old);
        if (ready.length === 0) continue;
        const { host, guard } = draw(row, context, ready);
        if (placement?.position === 'prepend') anchor.prepend(host);
        else anchor.append(host);
        next.set(row, { host, key, guard });
      }
      for (const [row, old] of drawn) if (!next.has(row)) drop(old);
      drawn = next;
    },
    clear() {
      for (const old of drawn.values()) drop(old);
      drawn = new Map();
    },
  };
}
