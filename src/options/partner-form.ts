import { z } from 'zod';
import { describeConfigErrors, partnerConfigSchema, type PartnerConfig } from '../shared/config';

/**
 * The partner form is drawn from the same zod schemas that validate the configuration, so a new connector
 * field appears in the form without a change here, and the form's errors are the import's errors.
 */

export type PartnerKind = PartnerConfig['kind'];
export type FieldKind = 'text' | 'number' | 'boolean' | 'choice' | 'json';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required: boolean;
  choices?: string[];
  default?: unknown;
}

export const PARTNER_KINDS: PartnerKind[] = partnerConfigSchema.options.map((option) => option.shape.kind.value as PartnerKind);

interface JsonField {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  anyOf?: JsonField[];
}

function specOf(name: string, json: JsonField, required: boolean): FieldSpec {
  const variants = json.anyOf ? json.anyOf.filter((v) => v.type !== 'null') : [json];
  const main = variants[0] ?? {};
  const type = Array.isArray(main.type) ? main.type.find((t) => t !== 'null') : main.type;
  const base = { name, required, ...(json.default !== undefined ? { default: json.default } : main.default !== undefined ? { default: main.default } : {}) };
  if (main.enum && main.enum.every((v) => typeof v === 'string')) return { ...base, kind: 'choice', choices: main.enum as string[] };
  if (type === 'boolean') return { ...base, kind: 'boolean' };
  if (type === 'integer' || type === 'number') return { ...base, kind: 'number' };
  if (type === 'string') return { ...base, kind: 'text' };
  return { ...base, kind: 'json' };
}

/** The fields of one partner kind, in the schema's order, without `kind` itself. */
export function fieldsFor(kind: PartnerKind): FieldSpec[] {
  const option = partnerConfigSchema.options.find((o) => o.shape.kind.value === kind);
  if (!option) return [];
  const json = z.toJSONSchema(option, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonField>; required?: string[] };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {})
    .filter(([name]) => name !== 'kind')
    .map(([name, field]) => specOf(name, field, required.has(name)));
}

/** Fields the form draws with their own labels and explanation (partner tabs after the patient changes). */
export const STALE_TAB_FIELDS: readonly string[] = ['staleTab', 'readOnly'];

export type FormValues = Record<string, string | boolean>;

/** Form values for an existing partner (or the kind's defaults for a new one). */
export function valuesFrom(kind: PartnerKind, partner?: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of fieldsFor(kind)) {
    const value = partner ? partner[field.name] : field.default;
    if (field.kind === 'boolean') values[field.name] = value === true;
    else if (field.kind === 'json') values[field.name] = value === undefined || value === null ? '' : JSON.stringify(value);
    else values[field.name] = value === undefined || value === null ? '' : String(value);
  }
  return values;
}

/**
 * A partner from the form, checked by the configuration's own schema. Errors name the field as the import
 * would, e.g. `partners[2].portalOrigin: must be an https:// address`.
 */
export function partnerFromForm(kind: PartnerKind, values: FormValues, index: number): { ok: true; partner: PartnerConfig } | { ok: false; errors: string[] } {
  const candidate: Record<string, unknown> = { kind };
  const errors: string[] = [];
  for (const field of fieldsFor(kind)) {
    const value = values[field.name];
    if (field.kind === 'boolean') {
      // An optional flag with no default (readOnly) is left out unticked, so saving does not add it to every partner.
      if (value === true || field.required || field.default !== undefined) candidate[field.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') continue;
    if (field.kind === 'number') candidate[field.name] = Number.isFinite(Number(text)) ? Number(text) : text;
    else if (field.kind === 'json') {
      try {
        candidate[field.name] = JSON.parse(text) as unknown;
      } catch {
        errors.push(`partners[${index}].${field.name}: is not valid JSON`);
      }
    } else candidate[field.name] = text;
  }
  if (errors.length > 0) return { ok: false, errors };
  const parsed = partnerConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      errors: describeConfigErrors(parsed.error).map((e) => (e.startsWith('(document)') ? `partners[${index}]${e.slice('(document)'.length)}` : `partners[${index}].${e}`)),
    };
  }
  return { ok: true, partner: parsed.data };
}
