// The columns of «История»'s two tables: charges, payments and balances by month; the payments list.
import { h } from 'vue';
import type { DataTableColumns } from 'naive-ui';
import type { HistoryMonth, HistoryPayment } from '../../../src-shared/schemas/history';
import { formatDate, formatTiyn } from '../../format';
import type { HistoryWords } from './words';

const moneyClass = (tiyn: number | null) => (tiyn === null ? '' : tiyn > 0 ? 'debt' : tiyn < 0 ? 'prepaid' : '');
const money = (tiyn: number) => (tiyn ? formatTiyn(tiyn) : '—');

export function monthColumns(w: HistoryWords): DataTableColumns<HistoryMonth> {
  const { t, m3 } = w;
  const amount = (key: 'chargedTiyn' | 'recalculatedTiyn' | 'paidTiyn', title: string, width: number) => ({
    title: t(`history.columns.${title}`),
    key,
    align: 'right' as const,
    width,
    render: (m: HistoryMonth) => money(m[key]),
  });
  return [
    { title: t('history.columns.month'), key: 'period', width: 84, render: (m) => w.monthLabel(m.period) },
    {
      title: t('history.columns.consumption'),
      key: 'consumptionLitres',
      align: 'right',
      width: 92,
      // Without a reading, what was charged by norm (in italics, «по нормативу» on hover).
      render: (m) =>
        m.consumptionLitres === null && m.basis === 'norm' && m.billedLitres !== null
          ? h('i', { title: t('history.byNorm') }, m3(m.billedLitres))
          : m3(m.consumptionLitres),
    },
    {
      title: t('history.columns.expected'),
      key: 'expectedLitres',
      align: 'right',
      width: 104,
      render: (m) => m3(m.expectedLitres),
    },
    amount('chargedTiyn', 'charged', 100),
    amount('recalculatedTiyn', 'recalculated', 112),
    amount('paidTiyn', 'paid', 100),
    {
      title: t('history.columns.closing'),
      key: 'closingTiyn',
      align: 'right',
      render: (m) =>
        m.closingTiyn === null ? '—' : h('span', { class: moneyClass(m.closingTiyn) }, formatTiyn(m.closingTiyn)),
    },
  ];
}

export function paymentColumns(w: HistoryWords): DataTableColumns<HistoryPayment> {
  const { t } = w;
  return [
    { title: t('history.columns.date'), key: 'paidOn', width: 92, render: (p) => formatDate(p.paidOn) },
    {
      title: t('history.columns.source'),
      key: 'channel',
      ellipsis: { tooltip: true },
      render: (p) => w.word(`statements.channels.${p.channel}`),
    },
    {
      title: t('history.columns.amount'),
      key: 'amountTiyn',
      align: 'right',
      width: 112,
      render: (p) => formatTiyn(p.amountTiyn),
    },
    { title: t('history.columns.receipt'), key: 'receipt', align: 'right', width: 92 },
  ];
}
