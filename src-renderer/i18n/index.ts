// vue-i18n with ru as the default and fallback; kk and en carry the same keys (checked by type).
import { createI18n } from 'vue-i18n';
import type { Language } from '../../src-shared/schemas/settings';
import about from './about';
import account from './account';
import audit from './audit';
import common from './common';
import errors from './errors';
import mail from './mail';
import outbox from './outbox';
import readings from './readings';
import search from './search';
import settings from './settings';
import shell from './shell';
import statements from './statements';
import web from './web';
import session from './session';
import operators from './operators';
import enrol from './enrol';
import history from './history';
import note from './note';
import contact from './contact';
import round from './round';
import debts from './debts';
import utility from './utility';
import mailing from './mailing';

const areas = {
  common,
  shell,
  about,
  errors,
  settings,
  mail,
  audit,
  search,
  account,
  readings,
  statements,
  outbox,
  web,
  session,
  operators,
  enrol,
  history,
  mailing,
  utility,
  note,
  contact,
  round,
  debts,
};
type Areas = typeof areas;
type LanguageMessages<L extends Language> = { [A in keyof Areas]: Areas[A][L] };

function messagesFor<L extends Language>(language: L): LanguageMessages<L> {
  return Object.fromEntries(Object.entries(areas).map(([area, m]) => [area, m[language]])) as LanguageMessages<L>;
}

export const messages = { ru: messagesFor('ru'), kk: messagesFor('kk'), en: messagesFor('en') };

export const i18n = createI18n({
  legacy: false,
  locale: 'ru',
  fallbackLocale: 'ru',
  messages,
  missingWarn: false,
  fallbackWarn: false,
});

const LANGUAGE_KEY = 'aquadesk.language';

/** The last chosen language on this computer, so the first screen is already in it. */
export function rememberedLanguage(): Language | null {
  const value = localStorage.getItem(LANGUAGE_KEY);
  return value === 'ru' || value === 'kk' || value === 'en' ? value : null;
}

export function applyLanguage(language: Language): void {
  i18n.global.locale.value = language;
  localStorage.setItem(LANGUAGE_KEY, language);
  document.documentElement.lang = language;
}
