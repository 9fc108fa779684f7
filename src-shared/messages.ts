// The one message mechanism for what the utility says outside the desk's screens: the words of the
// statement PDFs (src-shared/pdf/labels.ts) and of the customer pages and letters
// (src-server/web/texts.ts). Each is a catalogue of the three languages side by side whose Kazakh
// and English carry exactly the Russian keys (a missing translation is a compile error, as with the
// renderer's `defineArea`); `fill` is the one formatter of `{name}` placeholders; and
// `documentLanguageFor` the one rule for the language of a document or letter nobody picked one for.

export type Language = 'ru' | 'kk' | 'en';
export const languages: readonly Language[] = ['ru', 'kk', 'en'];

/** The shape of a catalogue in one language: every string of the Russian one, nested alike. */
export type Catalogue<T> = {
  [K in keyof T]: T[K] extends string ? string : T[K] extends readonly string[] ? readonly string[] : Catalogue<T[K]>;
};

/** Three languages side by side; kk and en must carry ru's keys. */
export function defineCatalogue<T extends Record<string, unknown>>(messages: {
  ru: T;
  kk: Catalogue<T>;
  en: Catalogue<T>;
}): Record<Language, T> {
  return messages as Record<Language, T>;
}

/** Fills `{name}` placeholders; a placeholder without a value is left as it is, so it shows in review. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match,
  );
}

/**
 * The language of a document or letter for an owner when nobody picked one (the desk's mail, the
 * monthly mailing, the web account's letters): Kazakh owners get Kazakh, everyone else Russian.
 * English is printed when an operator or the customer picks it.
 */
export function documentLanguageFor(ownerLanguage: unknown): 'ru' | 'kk' {
  return ownerLanguage === 'kk' ? 'kk' : 'ru';
}
