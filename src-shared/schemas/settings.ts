// Operator-editable settings: one zod schema with defaults, so a value edited into nonsense falls
// back to its default (and the app says which one it ignored) instead of breaking start-up.
import { z } from 'zod';
import { ibanInputSchema, phonesInputSchema } from './requisites-fields';
import { text } from './text';

const emailSchema = z.email();

export const languages = ['ru', 'kk', 'en'] as const;
export const languageSchema = z.enum(languages);
export type Language = z.infer<typeof languageSchema>;

const line = (max: number, min = 0) => text({ max, min });

export const utilitySchema = z.object({
  name: line(200, 1),
  bin: z.string().regex(/^\d{12}$/),
  address: line(300),
  phone: line(100),
  bank: line(200),
  iban: line(34),
});

export const readingThresholdsSchema = z.object({
  /** consumption above the expected value by more than this many percent asks for a reason */
  highPercent: z.number().int().min(1).max(1000),
  /** consumption below the expected value by more than this many percent asks for a reason */
  lowPercent: z.number().int().min(1).max(100),
  /** consumption above expected × this factor needs a supervisor (held for one when entered by another role) */
  veryHighFactor: z.number().int().min(2).max(100),
});

/** An e-mail address, or «Name <address>» as a sender is written. */
const sender = line(255, 3).refine(
  (value) => emailSchema.safeParse(/<([^<>]+)>\s*$/.exec(value)?.[1] ?? value).success,
  { message: 'email', params: { i18n: 'settings.sender' } },
);

/** What the settings table keeps of the mail relay (its password is a secret, kept apart). */
export const smtpStoredSchema = z.object({
  host: line(255, 1),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean(),
  user: line(255),
  from: sender,
  /** accept the relay's own (self-signed) certificate unchecked; off: such a relay is refused (src-shared/mail/smtp.ts) */
  trustRelayCertificate: z.boolean().default(false),
});
export const smtpSchema = smtpStoredSchema.extend({ password: z.string().max(255) });

/** The central service's address: empty (none) or an http(s) URL. */
export const centralUrlSchema = text({ max: 500, trim: true }).refine((value) => value === '' || isServiceUrl(value), {
  message: 'url',
  params: { i18n: 'settings.centralUrl' },
});

export function isServiceUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !!url.hostname &&
      !url.username &&
      !url.password &&
      !url.search &&
      !url.hash
    );
  } catch {
    return false;
  }
}

export const centralSchema = z.object({
  url: centralUrlSchema,
  officeKey: z.string().max(200),
});

export const settingsDefaults = {
  language: 'ru' as Language,
  callCenterMode: false,
  idleLockMinutes: 15,
  utility: {
    name: 'ГКП «Су Арнасы»',
    bin: '990240001237',
    address: 'г. Алматы, ул. Жандосова, 1',
    phone: '+7 727 000 00 00',
    bank: 'АО «Народный банк Казахстана»',
    iban: 'KZ31601A000000000001',
  },
  readingThresholds: { highPercent: 70, lowPercent: 40, veryHighFactor: 5 },
  smtp: null as z.infer<typeof smtpSchema> | null,
  central: { url: '', officeKey: '' },
  /** days applied changes stay on this desk, to be sent again if the central database is restored */
  syncRetentionDays: 90,
};

/** The settings as the main process uses them, secrets included (never sent to a window as such). */
export const settingsSchema = z.object({
  language: languageSchema,
  callCenterMode: z.boolean(),
  idleLockMinutes: z.number().int().min(1).max(480),
  utility: utilitySchema,
  readingThresholds: readingThresholdsSchema,
  smtp: smtpSchema.nullable(),
  central: centralSchema,
  syncRetentionDays: z.number().int().min(7).max(3650),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsKey = keyof Settings;
export const settingsKeys = Object.keys(settingsSchema.shape) as SettingsKey[];

/** Each operator's own: every role may change them, and they follow the operator, not the desk. */
export const personalSettingsKeys = ['language', 'callCenterMode'] as const satisfies readonly SettingsKey[];
export type PersonalSettingsKey = (typeof personalSettingsKeys)[number];
export const isPersonalSetting = (key: string): key is PersonalSettingsKey =>
  (personalSettingsKeys as readonly string[]).includes(key);

/**
 * The settings as a window sees them: the SMTP password and the office key only as "set" (and, for
 * the administrator, the key's last four characters, to tell which one it is).
 */
export const settingsViewSchema = settingsSchema.extend({
  smtp: smtpStoredSchema.extend({ passwordSet: z.boolean() }).nullable(),
  central: z.object({ url: z.string(), officeKeySet: z.boolean(), officeKeyHint: z.string().nullable() }),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

/**
 * A patch replaces whole top-level keys; unknown keys are refused. A secret left out is kept as it
 * is (the window never had it); an empty one clears it.
 */
export const settingsPatchSchema = z
  .object({
    language: languageSchema,
    callCenterMode: z.boolean(),
    idleLockMinutes: settingsSchema.shape.idleLockMinutes,
    utility: utilitySchema.extend({ iban: ibanInputSchema, phone: phonesInputSchema }),
    readingThresholds: readingThresholdsSchema,
    smtp: smtpStoredSchema.extend({ password: text({ max: 255 }).optional() }).nullable(),
    central: z.object({ url: centralUrlSchema, officeKey: text({ max: 200, trim: true }).optional() }),
    syncRetentionDays: settingsSchema.shape.syncRetentionDays,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const settingsResultSchema = z.object({
  settings: settingsViewSchema,
  /** stored values that failed validation and were replaced by their defaults */
  ignored: z.array(z.string()),
  /** whether this desk's secrets are encrypted by the operating system (false in the web shell) */
  secretsProtected: z.boolean(),
});
export type SettingsResult = z.infer<typeof settingsResultSchema>;
