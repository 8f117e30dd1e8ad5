// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readGeneric } from './reader';

const today = new Date(2026, 10, 27);

function read(body: string, lang = 'en-GB') {
  const doc = new DOMParser().parseFromString(`<!doctype html><html lang="${lang}"><body>${body}</body></html>`, 'text/html');
  return readGeneric(doc, { today, layout: false });
}

function patient(body: string, lang?: string) {
  const result = read(body, lang);
  if (!result.context) return { problem: result.problem, reason: result.reason };
  const { nhsNumber, birthDate, name } = result.context;
  return { nhsNumber, birthDate, family: name.family, given: name.given };
}

const NAV = '<nav><a href="#">Home</a> <a href="#">Worklist</a> <a href="#">Results</a></nav>';
const NOTES = '<main><h2>Notes</h2><p>Seen in clinic 03/11/2026. Call back on 01632 960 123. Order 4410982231 sent.</p></main>';

describe('generic reader: banners as NHS EHRs print them', () => {
  it('reads a CUI banner: leading name, "Born" with age, "NHS No." in separate spans', () => {
    const banner = `<div class="pb" id="patientBanner" role="banner">
      <span class="nm">OKAFOR, Adaeze (Mrs)</span>
      <span><span class="lbl">Born</span> 04-Jul-1961 (65y)</span>
      <span><span class="lbl">Gender</span> Female</span>
      <span><span class="lbl">NHS No.</span> 943&nbsp;159&nbsp;0832</span></div>`;
    expect(patient(NAV + banner + NOTES)).toEqual({ nhsNumber: '9431590832', birthDate: '1961-07-04', family: 'Okafor', given: 'Adaeze' });
  });

  it('reads label and value in one text, with the name in bold before them', () => {
    expect(patient(`${NAV}<div class="patient-banner"><b>SMITH, John (Mr)</b> DOB 12-Mar-1985 NHS No 943 476 5919</div>${NOTES}`)).toEqual({
      nhsNumber: '9434765919', birthDate: '1985-03-12', family: 'Smith', given: 'John',
    });
  });

  it('reads a PAS screen with Surname and Forename fields in a definition list', () => {
    const body = `<section><dl><dt>Surname</dt><dd>O'NEILL-SMITH</dd><dt>Forename(s)</dt><dd>Siân</dd><dt>Date of birth</dt><dd>1990-01-31</dd><dt>NHS Number</dt><dd>943-476-5919</dd></dl></section>`;
    expect(patient(NAV + body)).toEqual({ nhsNumber: '9434765919', birthDate: '1990-01-31', family: "O'Neill-Smith", given: 'Siân' });
  });

  it('reads a header row above a value row, and read-only inputs named by <label for>', () => {
    const table = '<table class="x1"><thead><tr><th>Patient name</th><th>D.O.B.</th><th>NHS #</th></tr></thead><tbody><tr><td>Zoë BROWN</td><td>12 March 1985</td><td>9434765919</td></tr></tbody></table>';
    expect(patient(table)).toMatchObject({ nhsNumber: '9434765919', family: 'Brown', given: 'Zoë' });
    const form = '<form><label for="n">NHS</label><input id="n" readonly value="943 476 5919"><label for="d">DOB</label><input id="d" readonly value="12/03/1985"><label for="p">Name</label><input id="p" readonly value="Mr John SMITH"></form>';
    expect(patient(form)).toMatchObject({ nhsNumber: '9434765919', birthDate: '1985-03-12', family: 'Smith' });
  });

  it('reads the banner beside a recently viewed list of other patients', () => {
    const banner = '<header class="hdr"><h1>JONES, Ann (Ms)</h1><p>NHS No: 943 476 5919 | DOB: 02 Apr 1983 (43y)</p></header>';
    const recent = '<aside><h3>Recently viewed</h3><ul><li>SMITH, John NHS 999 000 0018 DOB 12-Mar-1985</li><li>BROWN, Zoë NHS 999 123 4578</li></ul></aside>';
    expect(patient(recent + banner + NOTES)).toEqual({ nhsNumber: '9434765919', birthDate: '1983-04-02', family: 'Jones', given: 'Ann' });
  });

  it('reads a banner in an open shadow root', () => {
    const doc = new DOMParser().parseFromString('<!doctype html><html><body><patient-banner></patient-banner></body></html>', 'text/html');
    const host = doc.querySelector('patient-banner')!;
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<div><strong>Seán MURPHY</strong> <span>NHS No.</span> <span>943 476 5919</span> <span>DOB</span> <span>12-Mar-1985</span></div>';
    expect(readGeneric(doc, { today, layout: false }).context?.name.family).toBe('Murphy');
  });
});

describe('generic reader: as strict as ever', () => {
  const one = '<div class="banner"><b>SMITH, John</b> NHS No 943 476 5919 DOB 12-Mar-1985</div>';
  it('refuses two patients, lists, a bad check digit and disagreeing dates of birth', () => {
    expect(patient(one + '<div class="banner"><b>JONES, Ann</b> NHS No 999 000 0018 DOB 12-Mar-1980</div>')).toMatchObject({ problem: 'no-patient' });
    expect(patient(one + '<section><b>JONES, Ann</b> NHS No 999 000 0018 DOB 12-Mar-1980</section>')).toMatchObject({ problem: 'two-patients' });
    const list = '<table><tr><th>Name</th><th>NHS No</th><th>DOB</th></tr><tr><td>SMITH, John</td><td>943 476 5919</td><td>12-Mar-1985</td></tr><tr><td>JONES, Ann</td><td>999 000 0018</td><td>12-Mar-1980</td></tr></table>';
    expect(patient(list)).toEqual({ problem: 'no-patient', reason: expect.stringContaining('A list of 2 patients') });
    expect(patient('<div><b>SMITH, John</b> NHS No 943 476 5918 DOB 12-Mar-1985</div>')).toEqual({ problem: 'invalid-nhs-number', reason: 'NHS number 943 476 5918 fails the check digit.' });
    expect(patient(one + '<div class="summary">Born: 13-Mar-1985</div>')).toMatchObject({ problem: 'fields-disagree' });
  });

  it('needs a date of birth and a name, and says which is missing', () => {
    expect(patient('<div><b>SMITH, John</b> NHS No 943 476 5919 DOB Unknown</div>')).toEqual({ problem: 'no-birth-date', reason: 'Found NHS number 943 476 5919 (valid) but no date of birth next to it.' });
    expect(patient('<div>NHS No 943 476 5919 DOB 12-Mar-1985</div>')).toMatchObject({ problem: 'no-name' });
  });

  it('refuses a swappable slash date on a page not in UK English', () => {
    expect(patient(one.replace('12-Mar-1985', '03/04/1985'), 'en-US')).toMatchObject({ problem: 'ambiguous-birth-date' });
    expect(patient(one.replace('12-Mar-1985', '03/04/1985'), 'en-GB')).toMatchObject({ birthDate: '1985-04-03' });
  });

  it('ignores unlabelled numbers in notes and phone numbers', () => {
    expect(patient(NAV + NOTES + '<p>Ref 943 476 5919</p>')).toMatchObject({ problem: 'no-patient' });
    expect(patient('<p>Patient reports pain since 12-Mar-2026.</p>')).toMatchObject({ problem: 'no-patient' });
  });
});

describe('generic reader: other layouts', () => {
  it('reads tiles with the caption under the value', () => {
    const tiles = '<div class="grid"><h2>Mr John SMITH</h2><div class="tile"><div class="big">943 476 5919</div><div class="cap">NHS Number</div></div><div class="tile"><div class="big">12-Mar-1985</div><div class="cap">Date of birth</div></div></div>';
    expect(patient(tiles)).toMatchObject({ nhsNumber: '9434765919', birthDate: '1985-03-12', family: 'Smith' });
  });

  it('reads label variants and labels separated from values by a line break', () => {
    expect(patient('<div id="hdr">Patient: Mrs Siân JONES<br>NHS-No<br>943 476 5919<br>DoB<br>12/03/1985 (41 years)</div>')).toMatchObject({ nhsNumber: '9434765919', family: 'Jones', given: 'Siân' });
  });

  it('reads an EHR header whose name is the first text, before a long alert list', () => {
    const alerts = Array.from({ length: 10 }, (_, i) => `<li>Alert ${i + 1}: review</li>`).join('');
    const header = `<header><span>WILLIAMS, Rhys (Mr)</span><span>Born 01-Feb-1970 (56y)</span><span>NHS No. 943 476 5919</span><ul>${alerts}</ul></header>`;
    expect(patient(NAV + header + NOTES)).toMatchObject({ nhsNumber: '9434765919', family: 'Williams', given: 'Rhys' });
  });

  it('does not take the signed-in clinician for the patient', () => {
    const page = '<nav>Signed in as <b>Dr Sarah JONES</b></nav><main><div class="pt">NHS No 943 476 5919 DOB 12-Mar-1985</div><p>Long notes</p></main>';
    expect(patient(page)).toMatchObject({ problem: 'no-name' });
  });
});

describe('generic reader: read what the clinician sees', () => {
  it('does not read a banner whose text is hidden, and says so', () => {
    for (const style of ['font-size:0', 'color:transparent', 'display:none', 'visibility:hidden', 'opacity:0', 'clip-path:inset(50%)']) {
      expect(patient(`<div class="banner" style="${style}"><b>SMITH, John</b> NHS No 943 476 5919 DOB 12-Mar-1985</div>`), style).toMatchObject({ problem: 'hidden-text' });
    }
  });

  it('ignores a hidden second patient but reads the visible one', () => {
    const hidden = '<template><div>NHS No 999 000 0018</div></template><div style="display:none"><b>JONES, Ann</b> NHS No 999 000 0018 DOB 12-Mar-1980</div>';
    expect(patient(`${hidden}<div class="banner"><b>SMITH, John</b> NHS No 943 476 5919 DOB 12-Mar-1985</div>`)).toMatchObject({ nhsNumber: '9434765919' });
  });
});

describe('generic reader: told apart from side panels', () => {
  const banner = '<main><div class="top"><b>SMITH, John (Mr)</b> NHS No 943 476 5919 DOB 12-Mar-1985</div></main>';
  it('reads the main content patient beside one other patient in a side panel', () => {
    expect(patient(`<aside><div><b>JONES, Ann</b> NHS No 999 000 0018</div></aside>${banner}`)).toMatchObject({ nhsNumber: '9434765919' });
  });
  it('refuses when the second patient is in the main content too', () => {
    expect(patient(`${banner}<main><div><b>JONES, Ann</b> NHS No 999 000 0018 DOB 12-Mar-1980</div></main>`)).toMatchObject({ problem: 'two-patients' });
  });
});

describe('generic reader: GP lines, letters and split names', () => {
  it('reads an unlabelled date of birth followed by its age in a one-line GP banner', () => {
    expect(patient('<div class="pd"><div>Mrs Sandra HOLLOWAY (Sandy) – 07 Jun 1950 (76 y) F – NHS 943 476 5919</div><div>Home 01632 960 712</div></div>')).toEqual({
      nhsNumber: '9434765919', birthDate: '1950-06-07', family: 'Holloway', given: 'Sandra',
    });
  });

  it('reads the "Re:" block of a letter and dotted dates', () => {
    expect(patient('<div class="re"><p>Re: Mr Stephen DOHERTY</p><p>DOB: 05.01.1968 &nbsp; NHS No: 943 476 5919</p></div><p>Re: your appointment</p>')).toMatchObject({ family: 'Doherty', birthDate: '1968-01-05' });
  });

  it('reads a name split across elements, and a bootstrap list of fields', () => {
    const body = '<div class="who"><div class="name"><span class="family">Lindqvist</span>, <span class="given">Harriet</span> <span>(Ms)</span></div><ul class="list-unstyled"><li><span>Date of birth</span> <span>30/06/1982</span></li><li><span>NHS Number</span> <span>943 476 5919</span></li></ul></div>';
    expect(patient(body)).toMatchObject({ family: 'Lindqvist', given: 'Harriet' });
  });

  it('never reads a search result row with an action, even when it is the only one', () => {
    const results = '<h2>1 local match</h2><table><thead><tr><th>Name</th><th>Date of birth</th><th>NHS number</th><th></th></tr></thead><tbody><tr><td>BRADSHAW, Leanne (Mrs)</td><td>14-Sep-1983</td><td>943 476 5919</td><td><button>Open record</button></td></tr></tbody></table>';
    expect(patient(results)).toMatchObject({ problem: 'no-patient' });
  });
});

describe('generic reader: components with slots', () => {
  it('reads labels in a shadow root beside values slotted in from the page, in drawn order', () => {
    const doc = new DOMParser().parseFromString('<!doctype html><html><body><ehr-header><span slot="name">DUBOIS, Amélie (Mme)</span><span slot="dob">14/08/1987</span><span slot="nhs">943 476 5919</span></ehr-header></body></html>', 'text/html');
    const root = doc.querySelector('ehr-header')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<span class="n"><slot name="name"></slot></span><span><span class="l">Date of birth</span><slot name="dob"></slot></span><span><span class="l">NHS number</span><slot name="nhs"></slot></span>';
    expect(readGeneric(doc, { today, layout: false }).context).toMatchObject({ nhsNumber: '9434765919', birthDate: '1987-08-14', name: { family: 'Dubois', given: 'Amélie' } });
  });
});

describe('generic reader: marks after labels', () => {
  it('looks past an icon or mark after a label for the value', () => {
    expect(patient('<div class="b"><b>SMITH, John</b><span>NHS No ⓘ</span><span>943 476 5919</span><span>DOB *</span><span>12-03-1985</span></div>')).toMatchObject({ nhsNumber: '9434765919', birthDate: '1985-03-12' });
  });
});

describe('generic reader: bounded', () => {
  it('reads no patient from a page too large to read whole, rather than the part it read', () => {
    const filler = Array.from({ length: 41_000 }, (_, i) => `<i>${i}</i>`).join('');
    expect(patient(`<div class="banner"><b>SMITH, John</b> NHS No 943 476 5919 DOB 12-Mar-1985</div>${filler}<div><b>JONES, Ann</b> NHS No 999 000 0018 DOB 12-Mar-1980</div>`)).toMatchObject({ problem: 'page-too-large' });
  });
});

describe('generic reader: found in review (another person, another number, another reading)', () => {
  const banner = (extra: string) => `<div class="pb"><b>SMITH, John</b> NHS No 943 476 5919 | DOB 12-Mar-1985${extra}</div>`;
  it('never takes a next of kin, a mother, a baby or a former record for the patient', () => {
    expect(patient(banner(' | NOK name: Jane DOE'))).toMatchObject({ family: 'Smith', given: 'John' });
    expect(patient('<span>SMITH, Baby (Boy)</span> <span>DOB 20-Nov-2026</span> <span>Mother\'s NHS No: 943 476 5919</span>').nhsNumber).toBeUndefined();
    expect(patient('<div><b>SMITH, Jane (Mrs)</b> NHS No 943 476 5919 | DOB 01-Feb-1990 | Baby born: 20-Nov-2026</div>')).toMatchObject({ birthDate: '1990-02-01' });
    const nok = '<main><div class="hdr"><h1>SMITH, John</h1><span>NHS No. 943 476 5919</span></div><section><h2>Next of kin</h2><dl><dt>Name</dt><dd>Jane SMITH</dd><dt>Date of birth</dt><dd>01/02/1960</dd></dl></section></main>';
    expect(patient(nok).nhsNumber).toBeUndefined();
  });

  it('notices a second number that shares a text with a label', () => {
    for (const extra of [' (merged: 999 000 0018)', ' | Linked record 999 000 0018']) expect(patient(banner(extra)).nhsNumber, extra).toBeUndefined();
  });

  it('never reads an attribute over different digits on screen, but reads a masked number', () => {
    expect(patient('<div class="b"><b>SMITH, John</b> <span>NHS No.</span><span aria-label="999 000 0018">*** *** 5919</span> <span>DOB</span> <span>12-Mar-1985</span></div>').nhsNumber).toBeUndefined();
    expect(patient('<div class="b"><b>SMITH, John</b> <span>NHS No.</span><span aria-label="943 476 5919">••• ••• 5919</span> <span>DOB</span> <span>12-Mar-1985</span></div>')).toMatchObject({ nhsNumber: '9434765919' });
  });

  it('gives no name when two name-shaped texts lead the banner, or a title sits mid-name', () => {
    expect(patient('<div class="b"><span>Dr Emily CARTER (Cardiology)</span> <span>SMITH, John (Mr)</span> <span>NHS No 943 476 5919</span> <span>DOB 12-Mar-1985</span></div>')).toMatchObject({ problem: 'no-name' });
    expect(patient('<div class="b"><span>Welcome Dr Emily CARTER</span> <span>NHS No 943 476 5919</span> <span>DOB 12-Mar-1985</span></div>')).toMatchObject({ problem: 'no-name' });
  });

  it('refuses a second full banner in a "match" or "related" panel or an aside, and a clickable one-row result', () => {
    const second = '<b>JONES, Ann</b> NHS No 999 000 0018 DOB 12-Mar-1980';
    for (const wrap of [`<div class="match-panel">${second}</div>`, `<div class="pane-related">${second}</div>`, `<aside>${second}</aside>`]) expect(patient(banner('') + wrap).nhsNumber, wrap).toBeUndefined();
    const result = '<h2>Find a patient</h2><table><thead><tr><th>Name</th><th>DOB</th><th>NHS No</th></tr></thead><tbody><tr onclick="open()"><td>SMITH, John</td><td>12-Mar-1985</td><td>943 476 5919</td></tr></tbody></table>';
    expect(patient(result).nhsNumber).toBeUndefined();
  });

  it('treats a page that prints month-first dates as not day first', () => {
    expect(patient(banner('').replace('12-Mar-1985', '04/05/1985') + '<p>Last seen 12/25/2025</p>', 'en')).toMatchObject({ problem: 'ambiguous-birth-date' });
  });

  it('reads "DOB/Age" and "NHS No (verified)" labels', () => {
    expect(patient('<div class="b"><b>SMITH, John</b> NHS No (verified): 943 476 5919 | DOB/Age: 12/03/1985 41 years</div>')).toMatchObject({ nhsNumber: '9434765919', birthDate: '1985-03-12' });
  });
});
