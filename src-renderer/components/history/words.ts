// The words the history tab's chart and tables share: month names, m³, places and reading sources.
import { useI18n } from 'vue-i18n';
import { formatCubicMetres } from '../../../src-shared/readings/format';
import type { SourceKey } from './patterns';

export function useHistoryWords() {
  const { t, te } = useI18n();
  const monthName = (period: string) => t(`history.months.m${Number(period.slice(5, 7))}`);
  const word = (key: string) => (te(key) ? t(key) : key.split('.').at(-1)!);
  return {
    t,
    monthName,
    monthLabel: (period: string) => `${monthName(period)} ${period.slice(0, 4)}`,
    m3: (litres: number | null) => (litres === null ? '—' : formatCubicMetres(litres)),
    word,
    placeOf: (place: string) => word(`account.places.${place}`),
    sourceLabel: (key: SourceKey) => (key === 'pending' ? t('history.chart.pending') : word(`readings.sources.${key}`)),
  };
}
export type HistoryWords = ReturnType<typeof useHistoryWords>;
