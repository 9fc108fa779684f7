// The columns of «На проверке»: account (a link to its readings), owner and address, meter, the held
// value against the previous one, consumption, who entered it and when, its reasons, and the
// decisions (accept, correct, refuse) as buttons.
import { h } from 'vue';
import { NButton, type DataTableColumns } from 'naive-ui';
import type { Router } from 'vue-router';
import { formatDate } from '../../../src-shared/domain/period';
import { consumptionOf } from '../../../src-shared/readings/checks';
import { formatCubicMetres, formatReading } from '../../../src-shared/readings/format';
import type { HeldReading } from '../../../src-shared/schemas/readings';
import { formatInstant } from '../../format';
import type { Decision } from '../../stores/held';

const consumption = (r: HeldReading) =>
  r.previousLitres === null ? null : consumptionOf(r.previousLitres, r.litres, r.kind, r.format);

export function heldColumns(
  t: (key: string) => string,
  te: (key: string) => boolean,
  router: Router,
  open: (decision: Decision, reading: HeldReading) => void,
): DataTableColumns<HeldReading> {
  const reasonWords = (r: HeldReading) =>
    Object.values(r.reasons ?? {})
      .map((code) => (te(`readings.reasons.${code}`) ? t(`readings.reasons.${code}`) : code))
      .join(', ');
  return [
    {
      title: t('readings.held.columns.account'),
      key: 'accountNumber',
      width: 76,
      render: (r) =>
        h(
          'a',
          {
            href: '#',
            class: 'link',
            onClick: (e: Event) => (
              e.preventDefault(),
              void router.push({ name: 'account', params: { id: r.accountId }, query: { tab: 'readings' } })
            ),
          },
          r.accountNumber,
        ),
    },
    {
      title: t('readings.held.columns.address'),
      key: 'address',
      // What is left of 1366 px (at least enough for a surname): the full text on hover.
      minWidth: 120,
      ellipsis: { tooltip: true },
      render: (r) => `${r.owner} · ${r.address}`,
    },
    { title: t('readings.held.columns.meter'), key: 'serial', width: 86 },
    {
      title: t('readings.held.columns.value'),
      key: 'litres',
      width: 96,
      align: 'right',
      render: (r) => h('span', { class: 'mono' }, formatReading(r.litres, r.format)),
    },
    {
      title: t('readings.held.columns.previous'),
      key: 'previousLitres',
      width: 116,
      align: 'right',
      render: (r) =>
        h('span', { class: 'mono' }, r.previousLitres === null ? '—' : formatReading(r.previousLitres, r.format)),
    },
    {
      title: t('readings.held.columns.consumption'),
      key: 'consumption',
      width: 96,
      align: 'right',
      render: (r) => h('span', { class: 'mono' }, consumption(r) === null ? '—' : formatCubicMetres(consumption(r)!)),
    },
    {
      // One column for who and when, so the decisions' buttons fit at 1366 px: the time first (it aligns).
      title: t('readings.held.columns.whoWhen'),
      key: 'enteredAt',
      width: 190,
      ellipsis: { tooltip: true },
      render: (r) => `${r.enteredAt ? formatInstant(r.enteredAt) : formatDate(r.readOn)} · ${r.operator ?? ''}`,
    },
    {
      title: t('readings.held.columns.reasons'),
      key: 'reasons',
      width: 110,
      ellipsis: { tooltip: true },
      render: reasonWords,
    },
    {
      title: '',
      key: 'actions',
      width: 250,
      render: (r) =>
        h('div', { class: 'actions' }, [
          h(
            NButton,
            { size: 'tiny', type: 'primary', 'data-test': `release-${r.readingId}`, onClick: () => open('release', r) },
            () => t('readings.held.release'),
          ),
          h(NButton, { size: 'tiny', 'data-test': `correct-${r.readingId}`, onClick: () => open('correct', r) }, () =>
            t('readings.held.correct'),
          ),
          h(
            NButton,
            {
              size: 'tiny',
              type: 'error',
              ghost: true,
              'data-test': `refuse-${r.readingId}`,
              onClick: () => open('refuse', r),
            },
            () => t('readings.held.refuse'),
          ),
        ]),
    },
  ];
}
