// Operator-editable settings: one zod schema with defaults, so a value edited into nonsense falls
// back to its default (and the app says which one it ignored) instead of breaking start-up.
import { z } from 'zod';

export const languages = ['ru', 'kk', 'en'] as const;
export const languageSchema = z.enum(languages);
export type Language = z.infer<typeof languageSchema>;

export const utilitySchema = z.object({
  name: z.string().min(1).max(200),
  bin: z.string().regex(/^\d{12}$/),
  address: z.string().max(300),
  phone: z.string().max(100),
  bank: z.string().max(200),
  iban: z.string().max(34),
});

export const readingThresholdsSchema = z.object({
  /** consumption above the expected value by more than this many percent asks for a reason */
  highPercent: z.number().int().min(1).max(1000),
  /** consumption below the expected value by more than this many percent asks for a reason */
  lowPercent: z.number().int().min(1).max(100),
  /** consumption above expected × this factor is refused unless a supervisor reason is given */
  veryHighFactor: z.number().int().min(2).max(100),
});

export const smtpSchema = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean(),
  user: z.string().max(255),
  password: z.string().max(255),
  from: z.string().min(3).max(255),
});

export const centralSchema = z.object({
  url: z.string().max(500),
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
    iban: 'KZ12601A000000000001',
  },
  readingThresholds: { highPercent: 70, lowPercent: 40, veryHighFactor: 5 },
  smtp: null as z.infer<typeof smtpSchema> | null,
  central: { url: '', officeKey: '' },
  /** days applied changes stay on this desk, to be sent again if the central database is restored */
  syncRetentionDays: 90,
};

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

/** A patch replaces whole top-level keys; unknown keys are refused. */
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const settingsResultSchema = z.object({
  settings: settingsSchema,
  /** stored values that failed validation and were replaced by their defaults */
  ignored: z.array(z.string()),
});
