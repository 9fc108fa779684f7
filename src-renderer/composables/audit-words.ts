// The audit trail in the supervisor's words, one source for the «Журнал» screen and its CSV: the
// operation by its name, the result, every entry's details (meters by serial, old → new), the times in
// Almaty (by the zone's name). The CSV is what the screen shows, cell for cell, in the operator's
// language: semicolon-separated with a BOM (what Excel expects in ru/kk locales), and any cell that
// starts like a formula (= + - @, tab, CR) defused with a leading apostrophe, so it opens as text.
import { officeCsv } from '../files';
import { useI18n } from 'vue-i18n';
import { almatyDate, almatyWallClock } from '../../src-shared/domain/period';
import type { AuditEntry } from '../../src-shared/schemas/audit';
import { describeAuditEntry, type AuditWords } from '../views/audit-details';
import { changeWordsWith } from './change-words';
import { reasonTextWith, type Translator } from './reasons';
import { syncWordsWith } from './sync-words';

const key = (name: string) => name.replace(/\./g, '_');

export function useAuditWords() {
  return auditWordsWith(useI18n());
}

/** The same words with a given translator (the i18n instance's own, outside a component). */
export function auditWordsWith(i18n: Translator) {
  const { t, te } = i18n;
  const lookup = (k: string) => (te(k) ? t(k) : null);
  const syncWords = syncWordsWith(i18n);
  /** An operation's name in the supervisor's words (the raw name where there is none). */
  const operation = (name: string) => lookup(`audit.operations.${key(name)}`) ?? name;
  const result = (value: AuditEntry['result']) => t(`audit.results.${value}`);
  const words: AuditWords = {
    label: (k) => lookup(`audit.detail.labels.${k}`),
    value: (k, value) => lookup(`audit.detail.values.${k}.${value}`),
    reason: reasonTextWith(i18n),
    operation,
    role: (role) => lookup(`operators.roles.${role}`) ?? role,
    change: changeWordsWith(i18n).what,
    setting: (path) => lookup(`audit.settings.${key(path)}`) ?? path,
    settingValue: (path, value) => {
      if (typeof value === 'boolean') return t(`audit.settingValues.${value ? 'on' : 'off'}`);
      if (path === 'language' && typeof value === 'string') return lookup(`shell.languages.${value}`);
      return null;
    },
    event: (name, details) => {
      const sentence = syncWords.eventText(name, details);
      return sentence === name ? null : sentence;
    },
  };
  const details = (entry: AuditEntry) => describeAuditEntry(entry, words);

  /** The entries as a CSV file in the operator's language, as the screen says them. */
  function csv(entries: readonly AuditEntry[], now: Date): { fileName: string; csv: string } {
    const header = ['at', 'operator', 'account', 'operation', 'result', 'details'].map((c) => t(`audit.csv.${c}`));
    const rows = entries.map((e) => [
      almatyWallClock(new Date(e.at)).replace('T', ' '),
      e.operatorName ?? '',
      e.accountNumber ?? '',
      operation(e.operation),
      result(e.result),
      details(e),
    ]);
    return { fileName: `${t('audit.csv.file')}_${almatyDate(now)}.csv`, csv: officeCsv(header, rows) };
  }

  return { words, operation, result, details, csv };
}
