import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from '../../shared/browser-api';
import { formatBirthDate } from '../../shared/birth-date';
import { t } from '../../shared/i18n';
import type { MessageKey } from '../../shared/message-key';
import { sendToBackground } from '../../shared/messaging';
import { formatNhsNumber } from '../../shared/nhs-number';
import { problemMessage } from '../../shared/problem-messages';
import type { PatientContext } from '../../shared/patient';
import { displayName } from '../../shared/person-name';
import { draftProfile, profileNameFor, withProfile } from '../../shared/profile-builder/draft-profile';
import type { Picks } from '../../shared/profile-builder/picks';
import type { BuilderField } from '../../shared/profile-builder/value-regex';
import { download } from '../download';
import { saveUserConfig, type ConfigView } from '../view';

const FIELD_LABELS: Record<BuilderField, MessageKey> = { nhsNumber: 'builderNhs', birthDate: 'builderDob', name: 'builderName' };

type Reading = { context: PatientContext | null; problem?: string; reason?: string };

function readingText(reading: Reading): string {
  if (reading.reason) return reading.reason;
  return t(problemMessage(reading.problem));
}

/**
 * The profile written from the administrator's picks: what each part's selector and regex are, what the page
 * reads with it now, and saving it to the configuration (the site then uses it) or exporting it for policy.
 */
export function DraftReview({ view, tabId, origin, picks, onSaved }: { view: ConfigView; tabId: number; origin: string; picks: Picks; onSaved: () => void }) {
  const [name, setName] = useState(() => profileNameFor(origin));
  const draft = useMemo(() => draftProfile(name, picks), [name, picks]);
  const json = draft.profile ? `${JSON.stringify(draft.profile, null, 2)}\n` : '';
  const [reading, setReading] = useState<{ value?: Reading; error?: string } | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const locked = view.locked.includes('profiles') || view.locked.includes('ehrSites') || view.fromPolicy.ehrSites.includes(origin);

  async function readPage() {
    if (!draft.profile) return setReading(null);
    try {
      setReading({ value: (await sendToBackground('picker.read', { tabId, profile: draft.profile })) as Reading });
    } catch (error) {
      setReading({ error: error instanceof Error ? error.message : String(error) });
    }
  }
  // Read again whenever the profile changes (its name does not change what it reads, but costs nothing).
  useEffect(() => void readPage(), [json]);

  async function save() {
    if (!draft.profile) return;
    setMessage(null);
    const errors = await saveUserConfig(withProfile(view.user, origin, draft.profile));
    if (errors.length) return setMessage({ kind: 'error', text: errors.join(' ') });
    // The tab's content script read its profile when the page loaded: a reload makes it use the new one.
    await browser.tabs.reload(tabId).catch(() => undefined);
    setMessage({ kind: 'ok', text: t('builderSaved', origin, draft.profile.name) });
    onSaved();
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(json);
      setMessage({ kind: 'ok', text: t('builderCopied') });
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  }

  const rows: [string, string, string | undefined, string | undefined][] = [
    [t('builderBanner'), picks.banner.selector, undefined, undefined],
    ...(['nhsNumber', 'birthDate', 'name'] as const).map(
      (field): [string, string, string | undefined, string | undefined] => [t(FIELD_LABELS[field]), picks[field].selector, draft.profile?.fields?.[field]?.regex, draft.values[field]],
    ),
  ];

  return (
    <div data-testid="builder-draft">
      <label for="builder-name">{t('builderProfileName')}</label>
      <input id="builder-name" type="text" spellcheck={false} value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      <div class="table-scroll">
        <table data-testid="builder-parts">
          <thead>
            <tr>
              <th scope="col">{t('builderPart')}</th>
              <th scope="col">{t('builderSelector')}</th>
              <th scope="col">{t('builderRegex')}</th>
              <th scope="col">{t('builderValue')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([part, selector, regex, value]) => (
              <tr key={part}>
                <th scope="row">{part}</th>
                <td>
                  <code>{selector}</code>
                </td>
                <td>{regex && <code>{regex}</code>}</td>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {draft.problems.length > 0 && (
        <ul class="error" data-testid="builder-problems">
          {draft.problems.map((p) => (
            <li key={p.field}>{t(p.problem === 'none' ? 'builderProblemNone' : 'builderProblemSeveral', t(FIELD_LABELS[p.field]))}</li>
          ))}
        </ul>
      )}
      {draft.profile === null && draft.problems.length === 0 && <p class="error">{t('builderBadName')}</p>}
      {draft.profile && (
        <>
          <h3>{t('builderLive')}</h3>
          <div role="status" aria-live="polite" data-testid="builder-reading">
            {reading?.error && <p class="error">{reading.error}</p>}
            {reading?.value?.context && (
              <>
                <p class="ok">{t('builderReads')}</p>
                <dl class="pairs">
                  <dt>{t('builderName')}</dt>
                  <dd data-testid="builder-read-name">{displayName(reading.value.context.name)}</dd>
                  <dt>{t('builderNhs')}</dt>
                  <dd data-testid="builder-read-nhs">{formatNhsNumber(reading.value.context.nhsNumber)}</dd>
                  {reading.value.context.birthDate && (
                    <>
                      <dt>{t('builderDob')}</dt>
                      <dd>{formatBirthDate(reading.value.context.birthDate)}</dd>
                    </>
                  )}
                </dl>
              </>
            )}
            {reading?.value && !reading.value.context && <p class="error">{t('builderReadsNone', readingText(reading.value))}</p>}
          </div>
          <button type="button" class="secondary" onClick={() => void readPage()}>
            {t('builderReadAgain')}
          </button>
          <label for="builder-json">{t('builderJson')}</label>
          <textarea id="builder-json" readOnly spellcheck={false} value={json} />
          {locked && <p class="notice">{t('builderLocked')}</p>}
          <div class="toolbar">
            {!locked && (
              <button type="button" onClick={() => void save()}>
                {t('builderSave')}
              </button>
            )}
            <button type="button" class="secondary" onClick={() => download(`ehr-launchpad-profile-${draft.profile!.name}.json`, 'application/json', json)}>
              {t('builderDownload')}
            </button>
            <button type="button" class="secondary" onClick={() => void copy()}>
              {t('builderCopy')}
            </button>
          </div>
        </>
      )}
      <div role="status" aria-live="polite" data-testid="builder-result">
        {message && <p class={message.kind}>{message.text}</p>}
      </div>
    </div>
  );
}
