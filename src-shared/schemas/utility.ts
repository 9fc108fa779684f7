// The utility's requisites: one set, owned by the central service (table `utility`, one row,
// replicated to every desk), edited by an administrator from a desk (`utility.set`, online only), and
// printed by every PDF and letter, the desk's and the mailing's. The numbers (BIN, IIK, БИК, КБе,
// phone) are one; the words (name, bank, address, the letters' sign-off) are written in each
// language a document is printed in, and a language left empty prints the Russian ones.
import { z } from 'zod';
import { settingsDefaults, utilitySchema, type Language } from './settings';
import { bikInputSchema, ibanInputSchema, phonesInputSchema } from './requisites-fields';
import { text } from './text';

const line = (max: number, min = 0) => text({ max, min });

/** The words of the requisites in one language. */
export const requisitesWordsSchema = z.object({
  name: line(200),
  bank: line(200),
  address: line(300),
  /** the letters' last line(s): «С уважением, …» comes before it */
  signOff: text({ max: 300, min: 0, multiline: true }),
});
export type RequisitesWords = z.infer<typeof requisitesWordsSchema>;

export const requisitesSchema = z.object({
  bin: z.string().regex(/^\d{12}$/),
  /** ИИК, the account (IBAN) customers pay to */
  iban: line(34),
  /** БИК, the bank's identifier code */
  bik: line(11),
  /** КБе, the beneficiary code */
  kbe: z.string().regex(/^(\d{2})?$/),
  phone: line(100),
  words: z.object({
    ru: requisitesWordsSchema.extend({ name: line(200, 1) }),
    kk: requisitesWordsSchema,
    en: requisitesWordsSchema,
  }),
});
export type Requisites = z.infer<typeof requisitesSchema>;

/**
 * The requisites as an administrator sets them (utility.set, and a desk's own settings): the numbers
 * checked for what they are, not only their length. What is read back from storage keeps the looser
 * requisitesSchema, so a row saved before these checks still prints.
 */
export const requisitesInputSchema = requisitesSchema.extend({
  iban: ibanInputSchema,
  bik: bikInputSchema,
  phone: phonesInputSchema,
});

export const requisitesStateSchema = z.object({
  requisites: requisitesSchema,
  /** when the service last changed them (null: never edited, the built-in or seeded ones) */
  updatedAt: z.string().nullable(),
});
export type RequisitesState = z.infer<typeof requisitesStateSchema>;

/** What a document prints: the requisites in its language. */
export const printedUtilitySchema = utilitySchema.extend({
  bik: z.string().optional(),
  kbe: z.string().optional(),
  signOff: z.string().optional(),
});
export type PrintedUtility = z.infer<typeof printedUtilitySchema>;

const RU_SIGN_OFF = 'Абонентский отдел';
export const defaultRequisites: Requisites = {
  bin: settingsDefaults.utility.bin,
  iban: settingsDefaults.utility.iban,
  bik: 'HSBKKZKX',
  kbe: '16',
  phone: settingsDefaults.utility.phone,
  words: {
    ru: {
      name: settingsDefaults.utility.name,
      bank: settingsDefaults.utility.bank,
      address: settingsDefaults.utility.address,
      signOff: RU_SIGN_OFF,
    },
    kk: {
      name: '«Су Арнасы» МКК',
      bank: '«Қазақстан Халық Банкі» АҚ',
      address: 'Алматы қ., Жандосов к-сі, 1',
      signOff: 'Абоненттік бөлім',
    },
    en: {
      name: 'Su Arnasy State Utility',
      bank: 'Halyk Bank of Kazakhstan JSC',
      address: '1 Zhandosov St, Almaty',
      signOff: 'Customer service',
    },
  },
};

/** The requisites as a document in `language` prints them (empty words of kk/en fall back to Russian). */
export function utilityFor(requisites: Requisites, language: Language): PrintedUtility {
  const ru = requisites.words.ru;
  const own = requisites.words[language];
  const word = (key: keyof RequisitesWords) => (own[key].trim() !== '' ? own[key] : ru[key]);
  return {
    name: word('name'),
    bank: word('bank'),
    address: word('address'),
    signOff: word('signOff'),
    bin: requisites.bin,
    iban: requisites.iban,
    bik: requisites.bik,
    kbe: requisites.kbe,
    phone: requisites.phone,
  };
}

/**
 * Requisites from the one-language description of before (AQUADESK_UTILITY, a desk's settings):
 * its words become the Russian ones; kk and en are left empty (they print the Russian words).
 */
export function requisitesFromUtility(
  utility: z.infer<typeof utilitySchema> & { bik?: string; kbe?: string; signOff?: string },
): Requisites {
  const empty = { name: '', bank: '', address: '', signOff: '' };
  return {
    bin: utility.bin,
    iban: utility.iban,
    bik: utility.bik ?? '',
    kbe: utility.kbe ?? '',
    phone: utility.phone,
    words: {
      ru: { name: utility.name, bank: utility.bank, address: utility.address, signOff: utility.signOff ?? RU_SIGN_OFF },
      kk: empty,
      en: empty,
    },
  };
}

/** A stored description: the new form, or the one-language form of before. */
export function parseRequisites(value: unknown): Requisites | null {
  const full = requisitesSchema.safeParse(value);
  if (full.success) return full.data;
  const old = utilitySchema
    .extend({ bik: z.string().optional(), kbe: z.string().optional(), signOff: z.string().optional() })
    .safeParse(value);
  return old.success ? requisitesFromUtility(old.data) : null;
}

/** utility.get / utility.set: the requisites this desk prints, and whose they are (the service's, or still the desk's own settings). */
export const utilityStateSchema = requisitesStateSchema.extend({ source: z.enum(['service', 'desk']) });
export type UtilityState = z.infer<typeof utilityStateSchema>;
