// The supervisor's contacts report as a CSV file in the operator's language: a row per Almaty day,
// operator and topic with the count and the average duration, then the total. Semicolons, CRLF and a
// BOM (what Excel expects here); cells that start like a formula are defused, as in the audit's CSV.
import { stringify } from 'csv-stringify/sync';
import { formatDuration } from '../../src-shared/domain/duration';
import { formatDate } from '../../src-shared/domain/period';
import { defineCatalogue, fill, type Language } from '../../src-shared/messages';
import type { ContactTopic, ContactsReport } from '../../src-shared/schemas/contacts';
import type { ContactsFilter } from './contacts-log';

const words = defineCatalogue({
  ru: {
    columns: ['День', 'Оператор', 'Тема', 'Обращений', 'Средняя длительность'],
    total: 'Итого',
    noTopic: 'без темы',
    unknownOperator: 'неизвестный оператор',
    file: 'Обращения_{from}_{to}.csv',
  },
  kk: {
    columns: ['Күн', 'Оператор', 'Тақырып', 'Өтініштер', 'Орташа ұзақтығы'],
    total: 'Барлығы',
    noTopic: 'тақырыпсыз',
    unknownOperator: 'белгісіз оператор',
    file: 'Өтініштер_{from}_{to}.csv',
  },
  en: {
    columns: ['Day', 'Operator', 'Topic', 'Contacts', 'Average duration'],
    total: 'Total',
    noTopic: 'no topic',
    unknownOperator: 'unknown operator',
    file: 'Contacts_{from}_{to}.csv',
  },
});

export function contactsCsv(
  report: ContactsReport,
  topics: ContactTopic[],
  filter: ContactsFilter,
  language: Language,
) {
  const w = words[language];
  const topicName = (id: string | null) =>
    id === null ? w.noTopic : (topics.find((t) => t.id === id)?.names[language] ?? id);
  const rows = report.rows.map((r) => [
    formatDate(r.day),
    r.operatorName ?? w.unknownOperator,
    topicName(r.topicId),
    r.count,
    formatDuration(r.averageSeconds),
  ]);
  const body = stringify([...rows, [w.total, '', '', report.total, formatDuration(report.averageSeconds)]], {
    delimiter: ';',
    record_delimiter: '\r\n',
    escape_formulas: true,
    header: true,
    columns: [...w.columns],
    cast: { number: (n) => String(n) },
  });
  return { fileName: fill(w.file, { from: filter.from, to: filter.to }), csv: `\uFEFF${body}`, rows: rows.length };
}
