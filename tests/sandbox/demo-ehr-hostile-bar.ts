import { crc32, deflateSync } from 'node:zlib';
import { renderClassicPatientPage } from './demo-ehr-pages';
import { READ_JSON, jsonBlock, pageScript } from './demo-ehr-script';
import type { Clinician, DemoPatient } from './fixtures';
import { displayName, parsePersonName } from '../../src/shared/person-name';
import { bannerName, formatDate, formatNhsNumber } from './patient-format';

/**
 * Hostile pages that attack the launch bar itself rather than the reading of the patient (issue 17). Each is
 * the classic patient page (whose profile anchors the bar just below the banner) plus one page script that
 * waits for the bar's host element `ehr-launchpad-bar` to be drawn in full, then attacks it:
 *
 * - `clip-host`: `clip-path: inset(62px 0 0 0)` on the host cuts the bar's title and "For … · NHS …" line away,
 *   and a fixed-position block drawn beneath the bar shows another patient's title and line through the gap.
 *   Beneath, not above: a block above the bar overlaps it, which the browser's own visibility verdict already
 *   reports as covering (that variant is `clip-host-over`, the block at the top z-index).
 * - `clip-ancestor`: the same cut made by a `clip-path` on the host's container (the page's body), the fake
 *   line beneath.
 * - `zoom`: `zoom: 0.25` on body.
 * - `host-style` / `host-style-important`: the host's `style` attribute rewritten (text-indent, letter and word
 *   spacing, inherited into the bar) so the title and the patient line vanish while the buttons stay; kept
 *   rewritten if something puts it back.
 * - `cursor`: a cursor image on html and body whose hotspot is 110 px from the arrow it draws.
 * - `dblclick-move`: a "Refresh results" button whose click inserts space above the banner so that the bar's
 *   first button lands under the pointer, where the second click of a double-click then falls.
 * - `mask`: a mask on body that fades out the bar's top half.
 * - `vanishing-overlay`: an opaque decoy over the bar that lets clicks through, taken away once the pointer has
 *   rested on the bar for 300 ms; the clinician aimed at the decoy, not at the bar. Marks `removed` when it is gone,
 *   then `visible-again` once the browser's own visibility verdict on the bar says "visible" again.
 *
 * And the red team's attempts that the bar already withstood before issue 17, kept so they stay withstood:
 * - `transform`: `transform: scale(0.5)` on body (from its top-left corner); `filter`: `filter: blur(3px)` on body.
 * - `blend`: a block over the bar with `mix-blend-mode: difference` (clicks go through), which turns the bar into
 *   a white smear; `half-overlay`: a 50 % opaque block over the bar that lets clicks through.
 * - `patched-apis`: page script replaces the DOM functions a checker would call (`elementFromPoint`,
 *   `getComputedStyle`, `IntersectionObserver`) to report the bar as clear, then paints over the bar, letting
 *   clicks through. The content script runs in its own world and sees the truth.
 *
 * When the attack is in place the page sets `data-hostile-bar="<kind>"` on <html> (dblclick-move: `armed`, then
 * `moved` after its first click), so tests wait on that, not on time.
 */

export const HOSTILE_BAR_KINDS = [
  'clip-host', 'clip-host-over', 'clip-ancestor', 'zoom', 'host-style', 'host-style-important', 'cursor', 'dblclick-move',
  'transform', 'filter', 'mask', 'blend', 'half-overlay', 'patched-apis', 'vanishing-overlay',
] as const;
export type HostileBarKind = (typeof HOSTILE_BAR_KINDS)[number];

/** How much of the bar's top the clip cuts: its title and patient line, not its buttons (measured in Chromium). */
export const CLIP_TOP_PX = 62;
/** The bar's full view is at least this tall; its small tab is about 26 px. */
const FULL_BAR_MIN_HEIGHT = 90;
export const CURSOR_HOTSPOT = 110;
export const HOST_STYLE = 'text-indent: -9999px; letter-spacing: -20px; word-spacing: -50px';

/** A minimal RGBA PNG. */
function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 4);
    for (let x = 0; x < width; x++) rows.set(pixel(x, y), row + 1 + x * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A 128 × 128 cursor image (the largest Chromium shows) that draws an ordinary arrow at its top-left corner;
 * the page declares the hotspot 110 px right and down from it, inside the image, so the browser honours it.
 */
export const LYING_CURSOR = `url(data:image/png;base64,${png(128, 128, (x, y) => {
  const inArrow = y < 20 && x <= y / 1.6;
  const edge = inArrow && (x === 0 || x >= Math.floor(y / 1.6) - 1 || y === 19);
  return inArrow ? (edge ? [255, 255, 255, 255] : [0, 0, 0, 255]) : [0, 0, 0, 0];
}).toString('base64')}) ${CURSOR_HOTSPOT} ${CURSOR_HOTSPOT}, auto`;

const HOSTILE_BAR_CSS = `
.hostile-fake-bar{position:fixed;z-index:-1;box-sizing:border-box;margin:0;padding:10px 12px 0;overflow:hidden;pointer-events:none;
  background:#ffffff;color:#212b32;border:2px solid #005eb8;border-bottom:0;border-radius:8px 8px 0 0;font:14px/1.4 Arial,Helvetica,sans-serif;text-align:left}
.hostile-fake-bar.over{z-index:2147483647}
.hostile-fake-bar .fake-title{margin:0 0 4px;font-weight:bold;color:#005eb8;font-size:12px;letter-spacing:.02em;text-transform:uppercase;line-height:20px}
.hostile-fake-bar .fake-patient{margin:0}
.hostile-fake-bar strong{font-size:15px}
.hostile-refresh{font:inherit;padding:.35rem .8rem}
.hostile-over-bar{position:fixed;z-index:2147483647;pointer-events:none}
.hostile-over-bar.blend{background:#ffffff;mix-blend-mode:difference}
.hostile-over-bar.half{background:rgb(255 255 255 / .5)}
.hostile-over-bar.decoy{background:rgb(255 255 255 / .97);display:grid;place-items:center;font:1rem system-ui}
`;

const HOSTILE_BAR_SCRIPT = `
${READ_JSON}
const config = readJson('hostile-bar-config');
const kind = config.kind;
const root = document.documentElement;
const mark = (state) => root.setAttribute('data-hostile-bar', state);

/** Calls then(host) once the bar's host element is on the page and drawn in full. */
const whenBarDrawn = (then) => {
  let done = false;
  let sized = null;
  const check = () => {
    const host = document.querySelector('ehr-launchpad-bar');
    if (done || !host) return;
    if (host.getBoundingClientRect().height < config.fullBarMinHeight) {
      if (!sized) {
        sized = new ResizeObserver(check);
        sized.observe(host);
      }
      return;
    }
    done = true;
    added.disconnect();
    if (sized) sized.disconnect();
    then(host);
  };
  const added = new MutationObserver(check);
  added.observe(root, { childList: true, subtree: true });
  check();
};

/** Another patient's title and line, where the bar's own were: beneath the bar, or above everything. */
const drawFakeLine = (host, over) => {
  const fake = document.createElement('div');
  fake.className = over ? 'hostile-fake-bar over' : 'hostile-fake-bar';
  fake.setAttribute('data-testid', 'hostile-fake-line');
  const title = document.createElement('p');
  title.className = 'fake-title';
  title.textContent = 'EHR Launchpad';
  const line = document.createElement('p');
  line.className = 'fake-patient';
  const name = document.createElement('strong');
  name.textContent = config.fake.name;
  line.append('For ', name, ' \\u00b7 NHS ' + config.fake.nhs + ' \\u00b7 DOB ' + config.fake.dob);
  fake.append(title, line);
  // Outside body, so that a clip on body does not cut the fake line too (beneath: painted before body).
  root.append(fake);
  const follow = () => {
    const box = host.getBoundingClientRect();
    fake.style.left = box.left + 'px';
    fake.style.top = box.top + 'px';
    fake.style.width = box.width + 'px';
    fake.style.height = config.clipTop + 'px';
  };
  follow();
  addEventListener('scroll', follow, { passive: true });
  addEventListener('resize', follow);
};

// Important, so that it beats the host's own inline \`all: initial !important\`.
const clipHost = (host) => host.style.setProperty('clip-path', 'inset(' + config.clipTop + 'px 0 0 0)', 'important');

const attacks = {
  'clip-host': (host) => {
    clipHost(host);
    drawFakeLine(host, false);
  },
  'clip-host-over': (host) => {
    clipHost(host);
    drawFakeLine(host, true);
  },
  'clip-ancestor': (host) => {
    // A hole in the container's clip, exactly over the top of the bar: the rest of the page stays visible.
    const container = host.parentElement;
    const outer = container.getBoundingClientRect();
    const box = host.getBoundingClientRect();
    const x1 = box.left - outer.left;
    const y1 = box.top - outer.top;
    const x2 = x1 + box.width;
    const y2 = y1 + config.clipTop;
    const hole = [[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]].map(([x, y]) => x + 'px ' + y + 'px').join(', ');
    container.style.setProperty('clip-path', 'polygon(evenodd, 0 0, 100% 0, 100% 100%, 0 100%, 0 0, ' + hole + ')');
    drawFakeLine(host, false);
  },
  zoom: () => {
    document.body.style.setProperty('zoom', '0.25');
  },
  'host-style': (host) => restyle(host, ''),
  'host-style-important': (host) => restyle(host, ' !important'),
  cursor: () => {
    for (const el of [root, document.body]) el.style.setProperty('cursor', config.cursor);
  },
  'dblclick-move': (host) => armRefresh(host),
  transform: () => {
    // From the top-left corner, so the bar stays on screen, at half size.
    document.body.style.setProperty('transform-origin', '0 0');
    document.body.style.setProperty('transform', 'scale(0.5)');
  },
  filter: () => document.body.style.setProperty('filter', 'blur(3px)'),
  mask: (host) => {
    const box = host.getBoundingClientRect();
    const top = box.top + window.scrollY;
    const cut = top + box.height / 2;
    document.body.style.setProperty('mask-image', 'linear-gradient(black ' + top + 'px, transparent ' + top + 'px, transparent ' + cut + 'px, black ' + cut + 'px)');
  },
  blend: (host) => overBar(host, 'blend'),
  'vanishing-overlay': (host) => {
    const decoy = overBar(host, 'decoy');
    decoy.textContent = 'Click here to view results';
    let timer = 0;
    // The page hears the pointer over the bar (the events reach the host), and waits for it to rest.
    host.addEventListener('pointermove', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!decoy.isConnected) return;
        decoy.remove();
        mark('removed');
        // The attacker waits, as a test can, until the browser's own verdict says the bar is visible again.
        const seen = new IntersectionObserver(
          (entries) => {
            if (!entries.some((e) => e.isVisible)) return;
            seen.disconnect();
            mark('visible-again');
          },
          { trackVisibility: true, delay: 100 },
        );
        seen.observe(host);
      }, 300);
    });
  },
  'half-overlay': (host) => overBar(host, 'half'),
  'patched-apis': (host) => {
    const clear = () => host;
    Document.prototype.elementFromPoint = clear;
    Document.prototype.elementsFromPoint = () => [host];
    const real = window.getComputedStyle;
    window.getComputedStyle = (el, pseudo) => {
      const style = real(el, pseudo);
      return new Proxy(style, { get: (target, name) => (name === 'opacity' ? '1' : name === 'visibility' ? 'visible' : Reflect.get(target, name)) });
    };
    const RealObserver = window.IntersectionObserver;
    window.IntersectionObserver = class extends RealObserver {
      constructor(callback, options) {
        super((entries, observer) => callback(entries.map((e) => Object.assign(Object.create(e), { isVisible: true, isIntersecting: true })), observer), options);
      }
    };
    // Then paint over the bar, letting clicks through: what the patched functions would now deny.
    overBar(host, 'decoy').textContent = 'Click to continue';
  },
};

/** A block exactly over the bar that lets clicks through. */
const overBar = (host, kind) => {
  const over = document.createElement('div');
  over.className = 'hostile-over-bar ' + kind;
  over.setAttribute('data-testid', 'hostile-over-bar');
  const box = host.getBoundingClientRect();
  Object.assign(over.style, { left: box.left + 'px', top: box.top + 'px', width: box.width + 'px', height: box.height + 'px' });
  root.append(over);
  return over;
};

/** Rewrites the host's style attribute, and again if anything puts it back (a few times, not forever). */
const restyle = (host, priority) => {
  const wanted = config.hostStyle.split(';').map((d) => d.trim() + priority).join('; ');
  let rewrites = 0;
  const rewrite = () => {
    if (host.getAttribute('style') === wanted || rewrites >= 20) return;
    rewrites += 1;
    host.setAttribute('style', wanted);
  };
  rewrite();
  new MutationObserver(rewrite).observe(host, { attributes: true, attributeFilter: ['style'] });
};

/**
 * Where the bar's first button sits in the host, as the attacker measured it offline. A test measures it on the
 * real bar and sets it with window.__hostileBar.aim(x, y), which also lines the Refresh button up under it.
 */
let aim = { x: 60, y: 0 };
const armRefresh = (host) => {
  aim.y = host.getBoundingClientRect().height - 50;
  const refresh = document.createElement('button');
  refresh.type = 'button';
  refresh.className = 'hostile-refresh';
  refresh.textContent = 'Refresh results';
  refresh.setAttribute('data-testid', 'hostile-refresh');
  // Below the bar, at the top of the left-hand column.
  const column = document.querySelector('.layout > aside') || document.querySelector('main');
  column.prepend(refresh);
  refresh.style.position = 'relative';
  const lineUp = () => {
    refresh.style.left = '0px';
    const box = refresh.getBoundingClientRect();
    const want = host.getBoundingClientRect().left + aim.x - box.width / 2;
    refresh.style.left = want - box.left + 'px';
  };
  lineUp();
  window.__hostileBar = {
    aim(x, y) {
      aim = { x, y };
      lineUp();
    },
  };
  let moved = false;
  refresh.addEventListener('click', (event) => {
    if (moved) return;
    moved = true;
    // Push the banner and the bar down so that the bar's button is now where the pointer is.
    const shift = event.clientY - (host.getBoundingClientRect().top + aim.y);
    const spacer = document.createElement('div');
    spacer.setAttribute('data-testid', 'hostile-spacer');
    spacer.style.height = Math.max(0, shift) + 'px';
    document.getElementById('patient-banner').before(spacer);
    mark('moved');
  });
  mark('armed');
};

whenBarDrawn((host) => {
  attacks[kind](host);
  if (kind !== 'dblclick-move') mark(kind);
});
`;

function insertBefore(html: string, marker: string, insert: string): string {
  const at = html.lastIndexOf(marker);
  if (at < 0) throw new Error(`page has no ${marker}`);
  return html.slice(0, at) + insert + html.slice(at);
}

/** `/hostile/<kind>/<nhs>` for the kinds above. `fake` is the patient the page pretends the bar is for. */
export function renderHostileBarPage(kind: HostileBarKind, patient: DemoPatient, clinician: Clinician, all: readonly DemoPatient[], fake: DemoPatient): string {
  // Named as the bar names a patient ("Zoë O'Brien-Smith"), from the banner's "O'BRIEN-SMITH, Zoë (Ms)".
  const parsed = parsePersonName(bannerName(fake));
  const config = {
    kind,
    clipTop: CLIP_TOP_PX,
    fullBarMinHeight: FULL_BAR_MIN_HEIGHT,
    hostStyle: HOST_STYLE,
    cursor: LYING_CURSOR,
    fake: { name: parsed ? displayName(parsed) : `${fake.given} ${fake.family}`, nhs: formatNhsNumber(fake.nhsNumber), dob: formatDate(fake.birthDate) },
  };
  const page = insertBefore(renderClassicPatientPage(patient, clinician, all), '</head>', `<style>${HOSTILE_BAR_CSS}</style>\n`);
  return insertBefore(page, '</body>', `${jsonBlock('hostile-bar-config', config)}\n${pageScript('hostile-bar-script', HOSTILE_BAR_SCRIPT)}\n`);
}
