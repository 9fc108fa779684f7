// Builds the reconciliation statement of one account over a date range: the opening balance, every
// charge, recalculation and payment in date order with the running balance, the totals and the
// closing balance. Pure and integer-only.
import type { IsoDate, Period } from '../domain/period';
import { vatByRate } from '../domain/vat';
import type { Reconciliation, ReconciliationEntry, Service, StatementParties } from '../schemas/statements';

export interface ReconciliationRows {
  parties: StatementParties;
  from: IsoDate;
  to: IsoDate;
  /** the balance at the start of `from` (> 0 debt) */
  openingTiyn: number;
  /** charge lines dated within the range; split lines of one period and service are summed */
  charges: { period: Period; service: Service; chargedOn: IsoDate; amountTiyn: number }[];
  recalculations: { period: Period; service: Service; postedOn: IsoDate; amountTiyn: number; reason: string }[];
  /** `id`: the payment's number in the utility's records, printed as its document */
  payments: { id: number; period: Period; paidOn: IsoDate; amountTiyn: number; channel: string }[];
}

const kindOrder: Record<ReconciliationEntry['kind'], number> = { charge: 0, recalculation: 1, payment: 2 };
const serviceOrder = (s: Service | null) => (s === 'water' ? 0 : s === 'sewer' ? 1 : 2);

type Unbalanced = Omit<ReconciliationEntry, 'balanceTiyn'>;

function chargeEntries(charges: ReconciliationRows['charges']): Unbalanced[] {
  const byKey = new Map<string, Unbalanced>();
  for (const c of charges) {
    const key = `${c.chargedOn}|${c.period}|${c.service}`;
    const entry = byKey.get(key);
    if (entry) entry.debitTiyn += c.amountTiyn;
    else
      byKey.set(key, {
        date: c.chargedOn,
        kind: 'charge',
        period: c.period,
        service: c.service,
        note: '',
        paymentId: null,
        debitTiyn: c.amountTiyn,
        creditTiyn: 0,
      });
  }
  return [...byKey.values()];
}

/** Same-day entries: charges first, then recalculations, then payments; water before sewerage. */
function compareEntries(a: Unbalanced, b: Unbalanced): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.kind !== b.kind) return kindOrder[a.kind] - kindOrder[b.kind];
  if (a.period !== b.period) return a.period < b.period ? -1 : 1;
  return serviceOrder(a.service) - serviceOrder(b.service);
}

export function buildReconciliation(rows: ReconciliationRows): Reconciliation {
  const unbalanced: Unbalanced[] = [
    ...chargeEntries(rows.charges),
    ...rows.recalculations.map((r): Unbalanced => ({
      date: r.postedOn,
      kind: 'recalculation',
      period: r.period,
      service: r.service,
      note: r.reason,
      paymentId: null,
      debitTiyn: r.amountTiyn,
      creditTiyn: 0,
    })),
    ...rows.payments.map((p): Unbalanced => ({
      date: p.paidOn,
      kind: 'payment',
      period: p.period,
      service: null,
      note: p.channel,
      paymentId: p.id,
      debitTiyn: 0,
      creditTiyn: p.amountTiyn,
    })),
  ];
  // A stable sort keeps stored order (ids) among entries equal on every key.
  unbalanced.sort(compareEntries);

  let balance = rows.openingTiyn;
  let chargedTiyn = 0;
  let recalculationTiyn = 0;
  let paidTiyn = 0;
  const entries = unbalanced.map((entry): ReconciliationEntry => {
    balance += entry.debitTiyn - entry.creditTiyn;
    if (entry.kind === 'charge') chargedTiyn += entry.debitTiyn;
    else if (entry.kind === 'recalculation') recalculationTiyn += entry.debitTiyn;
    else paidTiyn += entry.creditTiyn;
    return { ...entry, balanceTiyn: balance };
  });

  return {
    ...rows.parties,
    from: rows.from,
    to: rows.to,
    formalAct: rows.parties.account.kind === 'legal',
    openingTiyn: rows.openingTiyn,
    entries,
    totals: {
      chargedTiyn,
      recalculationTiyn,
      debitTiyn: chargedTiyn + recalculationTiyn,
      paidTiyn,
      closingTiyn: balance,
      // A VAT payer's: the VAT of each charge and recalculation at the rate of its day, per rate.
      vat: rows.parties.owner.vatPayer
        ? vatByRate(entries.filter((e) => e.kind !== 'payment').map((e) => ({ date: e.date, amountTiyn: e.debitTiyn })))
        : [],
    },
  };
}
