// The search results' columns, one line a row (UX.md: dense) with the whole owner or address on
// hover, and what the search understood the query as, in words.
import { h } from 'vue';
import { NTag, type DataTableColumns } from 'naive-ui';
import type { LookupHit, LookupSearchOutput } from '../../../src-shared/schemas/lookup';
import { formatAddress } from '../../address';
import { formatPhone, formatTiyn } from '../../format';

type T = (key: string, params?: Record<string, unknown>) => string;

export function searchColumns(t: T): DataTableColumns<LookupHit> {
  const balanceCell = (tiyn: number) =>
    h('span', { class: ['num', tiyn > 0 ? 'debt' : tiyn < 0 ? 'prepaid' : ''] }, formatTiyn(tiyn));

  /** Who the hit is, on one line: the owner, then (muted) the IIN, the contract and the first phone. */
  const ownerLine = (hit: LookupHit) =>
    [hit.iinMasked, hit.contractNumber, hit.phone ? formatPhone(hit.phone) : null].filter(Boolean).join(' · ');
  const addressLine = (hit: LookupHit) => formatAddress(hit.address, t('account.apartmentWord'));
  const matchedText = (hit: LookupHit) =>
    hit.typo
      ? `${t(`search.matchedBy.${hit.matchedBy}`)}, ${t('search.typo')}`
      : t(`search.matchedBy.${hit.matchedBy}`);

  return [
    { title: t('search.columns.number'), key: 'number', width: 96, render: (hit) => h('b', hit.number) },
    {
      title: t('search.columns.owner'),
      key: 'owner',
      minWidth: 240,
      ellipsis: { tooltip: true },
      render: (hit) => [
        h('span', hit.owner),
        ownerLine(hit) ? h('span', { class: 'sub' }, ` · ${ownerLine(hit)}`) : null,
      ],
    },
    {
      title: t('search.columns.address'),
      key: 'address',
      minWidth: 260,
      ellipsis: { tooltip: true },
      render: (hit) => [
        h('span', addressLine(hit)),
        hit.district ? h('span', { class: 'sub' }, ` · ${hit.district}`) : null,
      ],
    },
    {
      title: t('search.columns.kind'),
      key: 'kind',
      width: 100,
      ellipsis: { tooltip: true },
      render: (hit) => t(`search.kinds.${hit.kind}`),
    },
    {
      title: t('search.columns.balance'),
      key: 'balanceTiyn',
      width: 120,
      align: 'right',
      render: (hit) => balanceCell(hit.balanceTiyn),
    },
    {
      title: t('search.columns.found'),
      key: 'matchedBy',
      width: 190,
      render: (hit) =>
        h(
          'div',
          {
            class: 'tags',
            title: [
              matchedText(hit),
              hit.pending ? t('search.pending', { n: hit.pending }) : '',
              hit.closed ? t('search.closed') : '',
            ]
              .filter(Boolean)
              .join(' · '),
          },
          [
            h(NTag, { size: 'tiny', bordered: false, type: hit.typo ? 'warning' : 'default' }, () => matchedText(hit)),
            hit.pending
              ? h(NTag, { size: 'tiny', bordered: false, type: 'info' }, () => t('search.pending', { n: hit.pending }))
              : null,
            hit.closed ? h(NTag, { size: 'tiny', bordered: false }, () => t('search.closed')) : null,
          ],
        ),
    },
  ];
}

/** What the search understood the query as: an account, a phone, an address with house and apartment… */
export function understoodText(t: T, u: LookupSearchOutput['understood'] | null): string {
  if (!u) return '';
  switch (u.kind) {
    case 'account':
    case 'phone':
    case 'iin':
    case 'contract':
      return t(`search.understood.${u.kind}`, { value: u.value });
    case 'text':
    case 'address': {
      const parts = [
        u.kind === 'address'
          ? `${t('search.understood.address')}${u.street ? `: ${u.street}` : ''}`
          : t('search.understood.text', { words: (u.words ?? []).join(' ') }),
      ];
      if (u.house) parts.push(t('search.understood.house', { house: u.house }));
      if (u.apartment) parts.push(t('search.understood.apartment', { apartment: u.apartment }));
      return parts.join(', ');
    }
    default:
      return '';
  }
}
