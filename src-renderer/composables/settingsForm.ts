// The Settings form's state, apart from the screen so it can be tested: what the operator typed
// (`draft`), what the settings were when the form last heard of them (`base`), and the fields changed
// meanwhile elsewhere that the operator had changed too (`conflicts`). A field the operator left alone
// follows every change that comes (`receive`); a field both changed is never sent over the other
// change: it waits, shown as a conflict, until the operator takes the other value or keeps their own.
// A save sends only what the operator changed (`patch`), on top of the latest values it knows.
import {
  readingThresholdsSchema,
  smtpStoredSchema,
  utilitySchema,
  type Language,
  type SettingsPatch,
  type SettingsView,
} from '../../src-shared/schemas/settings';

type SmtpFields = Omit<NonNullable<SettingsView['smtp']>, 'passwordSet' | 'port'> & { port: number | null };
/** The relay's fields as the settings schema has them (a new one, e.g. a TLS option, joins by itself). */
const SMTP_KEYS = Object.keys(smtpStoredSchema.shape) as (keyof SmtpFields & string)[];
/** A relay not set yet: the usual submission port, and every yes/no option off. */
const SMTP_BLANK: Record<string, unknown> = { host: '', port: 587, secure: false, user: '', from: '' };

/** The form as the operator edits it; secrets as typed (null: keep the one this desk has). */
export interface Draft {
  language: Language;
  callCenterMode: boolean;
  idleLockMinutes: number | null;
  utility: SettingsView['utility'];
  readingThresholds: SettingsView['readingThresholds'];
  smtpOn: boolean;
  smtp: SmtpFields;
  smtpPassword: string | null;
  centralUrl: string;
  officeKey: string | null;
}

/** Every field the form compares, by path; the secrets are typed replacements, never compared. */
const FIXED_FIELDS = ['language', 'callCenterMode', 'idleLockMinutes', 'smtpOn', 'centralUrl'] as const;
/** The objects' fields as their schemas have them (a new requisite or option joins by itself). */
const UTILITY_KEYS = Object.keys(utilitySchema.shape) as (keyof SettingsView['utility'] & string)[];
const THRESHOLD_KEYS = Object.keys(readingThresholdsSchema.shape) as (keyof SettingsView['readingThresholds'] &
  string)[];
export type Field =
  (typeof FIXED_FIELDS)[number] | `utility.${string}` | `readingThresholds.${string}` | `smtp.${string}`;
export const FIELDS: readonly Field[] = [
  ...FIXED_FIELDS,
  ...UTILITY_KEYS.map((k) => `utility.${k}` as const),
  ...THRESHOLD_KEYS.map((k) => `readingThresholds.${k}` as const),
  ...SMTP_KEYS.map((k) => `smtp.${k}` as const),
];

/** Each field's label on the screen (the settings area's key); another field by its own name. */
export const fieldLabel = (field: Field): string =>
  FIELD_LABELS[field] ?? `settings.${field.slice(field.indexOf('.') + 1)}`;
const FIELD_LABELS: Partial<Record<Field, string>> = {
  language: 'settings.language',
  callCenterMode: 'settings.callCenterMode',
  idleLockMinutes: 'settings.idleLockMinutes',
  'utility.name': 'settings.utilityName',
  'utility.bin': 'settings.bin',
  smtpOn: 'settings.smtpEnabled',
  'smtp.from': 'settings.sender',
  centralUrl: 'settings.centralUrl',
};

/** The personal fields (every role's own); the rest are the office's. */
const PERSONAL: readonly Field[] = ['language', 'callCenterMode'];

export function fromSettings(s: SettingsView): Draft {
  return {
    language: s.language,
    callCenterMode: s.callCenterMode,
    idleLockMinutes: s.idleLockMinutes,
    utility: { ...s.utility },
    readingThresholds: { ...s.readingThresholds },
    smtpOn: s.smtp !== null,
    smtp: Object.fromEntries(SMTP_KEYS.map((k) => [k, s.smtp ? s.smtp[k] : (SMTP_BLANK[k] ?? false)])) as SmtpFields,
    smtpPassword: s.smtp?.passwordSet ? null : '',
    centralUrl: s.central.url,
    officeKey: s.central.officeKeySet ? null : '',
  };
}

export function get(draft: Draft, field: Field): unknown {
  const [top, leaf] = field.split('.') as [keyof Draft, string | undefined];
  const value = draft[top];
  return leaf === undefined ? value : (value as Record<string, unknown>)[leaf];
}

export function set(draft: Draft, field: Field, value: unknown): void {
  const [top, leaf] = field.split('.') as [keyof Draft, string | undefined];
  if (leaf === undefined) (draft as unknown as Record<string, unknown>)[top] = value;
  else (draft[top] as Record<string, unknown>)[leaf] = value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface FormState {
  draft: Draft;
  base: Draft;
  /** field → the value it has elsewhere now, while the operator's own change waits for a decision */
  conflicts: Map<Field, unknown>;
}

export function start(settings: SettingsView): FormState {
  return { draft: fromSettings(settings), base: fromSettings(settings), conflicts: new Map() };
}

/** The fields the operator changed here (and not yet saved). */
export function changed(state: FormState): Field[] {
  return FIELDS.filter((f) => !same(get(state.draft, f), get(state.base, f)));
}

/**
 * New settings arrived (an event, a save of one's own, a read before saving): untouched fields take
 * them; a field the operator changed that also changed elsewhere becomes a conflict (or stops being
 * one when both now agree). Returns the fields that became conflicts.
 */
export function receive(state: FormState, settings: SettingsView): Field[] {
  const next = fromSettings(settings);
  const fresh: Field[] = [];
  for (const field of FIELDS) {
    const mine = get(state.draft, field);
    const was = get(state.base, field);
    const theirs = get(next, field);
    if (same(mine, was)) {
      set(state.draft, field, structuredClone(theirs));
      state.conflicts.delete(field);
    } else if (same(mine, theirs)) state.conflicts.delete(field);
    else if (!same(theirs, was) || state.conflicts.has(field)) {
      if (!state.conflicts.has(field) || !same(state.conflicts.get(field), theirs)) fresh.push(field);
      state.conflicts.set(field, structuredClone(theirs));
    }
  }
  // A secret replaced elsewhere: the form shows it as kept, unless the operator is typing a new one.
  if (state.draft.smtpPassword === null && !settings.smtp?.passwordSet) state.draft.smtpPassword = '';
  if (state.draft.officeKey === null && !settings.central.officeKeySet) state.draft.officeKey = '';
  state.base = next;
  return fresh;
}

/** The operator takes the value it has elsewhere. */
export function takeTheirs(state: FormState, field: Field): void {
  if (!state.conflicts.has(field)) return;
  set(state.draft, field, structuredClone(state.conflicts.get(field)));
  state.conflicts.delete(field);
}

/** The operator keeps their own value: it is sent at the next save, over the other change, knowingly. */
export function keepMine(state: FormState, field: Field): void {
  state.conflicts.delete(field);
}

/**
 * Only what the operator changed, each top-level key on top of the latest values the form knows
 * (the service replaces whole keys); a conflicted field is not sent. `office`: the operator may change
 * the office's settings (else only their own preferences go).
 */
export function patch(state: FormState, office: boolean): SettingsPatch {
  const { draft: d, base: b, conflicts } = state;
  const mine = new Set(changed(state).filter((f) => !conflicts.has(f) && (office || PERSONAL.includes(f))));
  const pick = (field: Field) => (mine.has(field) ? get(d, field) : get(b, field));
  const any = (prefix: string) => [...mine].some((f) => f === prefix || f.startsWith(`${prefix}.`));
  const out: SettingsPatch = {};
  if (mine.has('language')) out.language = d.language;
  if (mine.has('callCenterMode')) out.callCenterMode = d.callCenterMode;
  if (!office) return out;
  if (mine.has('idleLockMinutes') && d.idleLockMinutes !== null) out.idleLockMinutes = d.idleLockMinutes;
  if (any('utility'))
    out.utility = Object.fromEntries(UTILITY_KEYS.map((k) => [k, pick(`utility.${k}`)])) as SettingsView['utility'];
  if (any('readingThresholds'))
    out.readingThresholds = Object.fromEntries(
      THRESHOLD_KEYS.map((k) => [k, pick(`readingThresholds.${k}`)]),
    ) as SettingsView['readingThresholds'];
  // A secret goes when one was typed, or an existing one was emptied on purpose («Заменить», nothing typed).
  const password = d.smtpPassword !== null && (d.smtpPassword !== '' || b.smtpPassword === null);
  const key = d.officeKey !== null && (d.officeKey.trim() !== '' || b.officeKey === null);
  const smtpOn = pick('smtpOn') as boolean;
  if (any('smtpOn') || any('smtp') || (smtpOn && password)) {
    const smtp = Object.fromEntries(SMTP_KEYS.map((k) => [k, pick(`smtp.${k}`)])) as Draft['smtp'];
    out.smtp = smtpOn ? { ...smtp, port: smtp.port ?? 587, ...(password ? { password: d.smtpPassword! } : {}) } : null;
  }
  if (mine.has('centralUrl') || key)
    out.central = { url: (pick('centralUrl') as string).trim(), ...(key ? { officeKey: d.officeKey!.trim() } : {}) };
  return out;
}
