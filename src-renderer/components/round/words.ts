// The round import's words and tables: a refusal in words (the file's own reasons, or a reading
// check's, with its figures), the refused and accepted rows' columns, and the refused rows' report.
import { h } from 'vue';
import type { DataTableColumns } from 'naive-ui';
import { formatCubicMetres } from '../../../src-shared/readings/format';
import type { RoundAccepted, RoundReason, RoundRefused } from '../../../src-shared/schemas/round';
import { officeCsv } from '../../files';
import { formatDate } from '../../format';

type T = (key: string, params?: Record<string, unknown>) => string;

export function roundWords(t: T, te: (key: string) => boolean) {
  const monthOf = (period: string) => `${t(`history.months.m${Number(period.slice(5, 7))}`)} ${period.slice(0, 4)}`;
  const m3 = (litres: unknown) => (typeof litres === 'number' ? formatCubicMetres(litres) : '');
  function reasonText(reason: RoundReason): string {
    const [area, code] = reason.code.split('.') as [string, string];
    const p = reason.params;
    const key = area === 'round' ? `round.reasons.${code}` : `round.reading.${code}`;
    if (!te(key)) return reason.code;
    return t(key, {
      ...p,
      previous: m3(p['previousLitres']),
      m3: m3(p['consumptionLitres']),
      expected: m3(p['expectedLitres']),
      date: typeof p['previousDate'] === 'string' ? formatDate(p['previousDate']) : '',
      closedOn: typeof p['closedOn'] === 'string' ? formatDate(p['closedOn']) : '',
      removedOn: typeof p['removedOn'] === 'string' ? formatDate(p['removedOn']) : '',
      period: typeof p['period'] === 'string' ? monthOf(p['period']) : '',
    });
  }
  const reasonsOf = (row: RoundRefused) => row.reasons.map(reasonText).join('; ');

  /** The refused rows as a CSV for Excel, with the reasons in words. */
  const report = (refused: readonly RoundRefused[]) => {
    const c = (key: string) => t(`round.reportColumns.${key}`);
    return officeCsv(
      [c('line'), c('account'), c('serial'), c('value'), c('date'), c('reason')],
      refused.map((r) => [r.line, r.account, r.serial, r.value, r.date, reasonsOf(r)]),
    );
  };

  const refusedColumns = (): DataTableColumns<RoundRefused> => [
    { title: t('round.columns.line'), key: 'line', width: 70, align: 'right' },
    { title: t('round.columns.account'), key: 'account', width: 100, ellipsis: { tooltip: true } },
    { title: t('round.columns.serial'), key: 'serial', width: 120, ellipsis: { tooltip: true } },
    { title: t('round.columns.value'), key: 'value', width: 110, align: 'right', ellipsis: { tooltip: true } },
    { title: t('round.columns.date'), key: 'date', width: 100, ellipsis: { tooltip: true } },
    {
      title: t('round.columns.reason'),
      key: 'reasons',
      ellipsis: { tooltip: true },
      render: (r) => h('span', { class: 'reason' }, reasonsOf(r)),
    },
  ];
  const acceptedColumns = (): DataTableColumns<RoundAccepted> => [
    { title: t('round.columns.line'), key: 'line', width: 70, align: 'right' },
    { title: t('round.columns.account'), key: 'accountNumber', width: 100 },
    { title: t('round.columns.serial'), key: 'serial', width: 120 },
    { title: t('round.columns.value'), key: 'value', width: 110, align: 'right' },
    { title: t('round.columns.date'), key: 'readOn', width: 100, render: (r) => formatDate(r.readOn) },
    {
      title: t('round.columns.consumption'),
      key: 'consumptionLitres',
      width: 110,
      align: 'right',
      render: (r) => (r.consumptionLitres === null ? '—' : formatCubicMetres(r.consumptionLitres)),
    },
    {
      title: t('round.columns.note'),
      key: 'notes',
      ellipsis: { tooltip: true },
      render: (r) => r.notes.map((n) => (te(`round.reading.${n}`) ? t(`round.reading.${n}`) : n)).join('; '),
    },
  ];
  return { monthOf, reasonsOf, report, refusedColumns, acceptedColumns };
}
