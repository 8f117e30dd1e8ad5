import { useState } from 'preact/hooks';
import { hostPatternsFor } from '../shared/host-access';
import type { PartnerConfig } from '../shared/config';
import { t } from '../shared/i18n';
import { Managed } from './Managed';
import { partnerKindLabel } from './partner-kinds';
import { fieldsFor, partnerFromForm, PARTNER_KINDS, STALE_TAB_FIELDS, valuesFrom, type FormValues, type PartnerKind } from './partner-form';
import { StaleTabFields, staleTabLabel } from './StaleTabFields';
import { requestHostAccess, saveUserConfig, type ConfigView } from './view';
import { ErrorList } from '../ui/ErrorList';

type Editing = { mode: 'add'; kind: PartnerKind } | { mode: 'edit'; id: string; kind: PartnerKind };

/** Partner targets: add, edit and remove, each form checked by the configuration's own schema. */
export function Partners({ view, onSaved }: { view: ConfigView; onSaved: () => void }) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [newKind, setNewKind] = useState<PartnerKind>(PARTNER_KINDS[0]!);
  const locked = view.locked.includes('partners');
  const fromPolicy = (id: string) => locked || view.fromPolicy.partners.includes(id);

  async function remove(partner: PartnerConfig) {
    setMessage(null);
    const errors = await saveUserConfig({ ...view.user, partners: view.user.partners.filter((p) => p.id !== partner.id) });
    setMessage(errors.length ? { kind: 'error', text: errors.join(' ') } : { kind: 'ok', text: t('optionsPartnerRemoved', partner.label) });
    if (!errors.length) onSaved();
  }

  return (
    <section aria-labelledby="partners-heading">
      <h2 id="partners-heading">
        {t('optionsPartners')} {locked && <Managed />}
      </h2>
      {view.config.partners.length === 0 ? (
        <p>{t('optionsNoPartners')}</p>
      ) : (
        <ul class="plain" data-testid="partners">
          {view.config.partners.map((p) => (
            <li key={p.id} data-partner-row={p.id}>
              <strong>{p.label}</strong> <span class="muted">{t('optPartnerKindAndId', partnerKindLabel(p.kind), p.id)}</span> <span class="muted">{t('optStaleTabSummary', staleTabLabel(p.staleTab))}</span>{' '}
              {fromPolicy(p.id) ? (
                <Managed />
              ) : (
                <>
                  <button type="button" class="secondary" onClick={() => setEditing({ mode: 'edit', id: p.id, kind: p.kind })} aria-label={t('optionsPartnerEditNamed', p.label)}>
                    {t('optionsPartnerEdit')}
                  </button>{' '}
                  <button type="button" class="secondary" onClick={() => void remove(p)} aria-label={t('optionsPartnerRemoveNamed', p.label)}>
                    {t('optionsPartnerRemove')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {!locked && !editing && (
        <div class="toolbar">
          <label for="new-partner-kind">{t('optionsPartnerKind')}</label>
          <select id="new-partner-kind" value={newKind} onChange={(e) => setNewKind((e.currentTarget as HTMLSelectElement).value as PartnerKind)}>
            {PARTNER_KINDS.map((kind) => (
              <option key={kind} value={kind}>{partnerKindLabel(kind)}</option>
            ))}
          </select>
          <button type="button" onClick={() => setEditing({ mode: 'add', kind: newKind })}>
            {t('optionsPartnerAdd')}
          </button>
        </div>
      )}
      {editing && (
        <PartnerForm
          key={editing.mode === 'edit' ? editing.id : `new-${editing.kind}`}
          view={view}
          editing={editing}
          onDone={(text) => {
            setEditing(null);
            if (text) {
              setMessage({ kind: 'ok', text });
              onSaved();
            }
          }}
        />
      )}
      <div role="status" aria-live="polite" data-testid="partners-result">{message && <p class={message.kind}>{message.text}</p>}</div>
    </section>
  );
}

function PartnerForm({ view, editing, onDone }: { view: ConfigView; editing: Editing; onDone: (message: string | null) => void }) {
  const existing = editing.mode === 'edit' ? view.user.partners.find((p) => p.id === editing.id) : undefined;
  const index = existing ? view.user.partners.indexOf(existing) : view.user.partners.length;
  const [values, setValues] = useState<FormValues>(() => valuesFrom(editing.kind, existing as Record<string, unknown> | undefined));
  const [errors, setErrors] = useState<string[]>([]);
  const fields = fieldsFor(editing.kind).filter((field) => !STALE_TAB_FIELDS.includes(field.name));

  async function submit(event: Event) {
    event.preventDefault();
    const built = partnerFromForm(editing.kind, values, index);
    if (!built.ok) return setErrors(built.errors);
    const partners = existing ? view.user.partners.map((p) => (p === existing ? built.partner : p)) : [...view.user.partners, built.partner];
    // Access to the partner's own origins, asked while the click still counts as a gesture.
    await requestHostAccess(hostPatternsFor({ ehrSites: [], partners: [built.partner] }));
    const problems = await saveUserConfig({ ...view.user, partners });
    if (problems.length) return setErrors(problems);
    onDone(t(existing ? 'optionsPartnerSaved' : 'optionsPartnerAdded', built.partner.label));
  }

  const errorFor = (name: string) => errors.filter((e) => e.startsWith(`partners[${index}].${name}:`));
  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="partner-form-heading" data-testid="partner-form">
      <h3 id="partner-form-heading">{existing ? t('optionsPartnerEditing', existing.label) : t('optionsPartnerAdding', partnerKindLabel(editing.kind))}</h3>
      {fields.map((field) => {
        const id = `partner-${field.name}`;
        const fieldErrors = errorFor(field.name);
        const describedBy = fieldErrors.length ? `${id}-error` : undefined;
        const set = (value: string | boolean) => setValues({ ...values, [field.name]: value });
        return (
          <div key={field.name}>
            {field.kind === 'boolean' ? (
              <label class="check" for={id}>
                <input id={id} type="checkbox" checked={values[field.name] === true} onChange={(e) => set((e.currentTarget as HTMLInputElement).checked)} />
                {field.name}
              </label>
            ) : (
              <>
                <label for={id}>
                  {field.name}
                  {field.required && <span class="muted"> ({t('optionsRequired')})</span>}
                  {field.kind === 'json' && <span class="muted"> {t('optFieldJson')}</span>}
                </label>
                {field.kind === 'choice' ? (
                  <select id={id} value={String(values[field.name] ?? '')} aria-describedby={describedBy} onChange={(e) => set((e.currentTarget as HTMLSelectElement).value)}>
                    {!field.required && field.default === undefined && <option value="">—</option>}
                    {field.choices!.map((choice) => (
                      <option key={choice} value={choice}>{choice === '' ? t('optionsBlank') : choice}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    type="text"
                    inputMode={field.kind === 'number' ? 'numeric' : 'text'}
                    spellcheck={false}
                    aria-invalid={fieldErrors.length > 0}
                    aria-describedby={describedBy}
                    value={String(values[field.name] ?? '')}
                    onInput={(e) => set((e.currentTarget as HTMLInputElement).value)}
                  />
                )}
              </>
            )}
            {fieldErrors.length > 0 && (
              <p class="field-error" id={`${id}-error`}>{fieldErrors.join(' ')}</p>
            )}
          </div>
        );
      })}
      <StaleTabFields values={values} set={(name, value) => setValues({ ...values, [name]: value })} errorsFor={errorFor} />
      <div class="toolbar">
        <button type="submit">{t('optionsPartnerSave')}</button>
        <button type="button" class="secondary" onClick={() => onDone(null)}>{t('optionsCancel')}</button>
      </div>
      <div role="status" aria-live="polite" data-testid="partner-form-result">
        <ErrorList errors={errors} />
      </div>
    </form>
  );
}
