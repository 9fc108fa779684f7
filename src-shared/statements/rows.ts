// The stored rows behind a charges breakdown as both databases return them (snake_case columns:
// SQLite on the desktop, PostgreSQL in the central service), and the one mapping from them to the
// builder's input, so the desktop and the central service's monthly mailing print the same page.
import type { Period } from '../domain/period';
import type { StatementParties } from '../schemas/statements';
import type { BreakdownRows } from './breakdown';
import { ownerName } from './parties';

export interface AccountPartyRow {
  id: number;
  number: string;
  kind: 'individual' | 'legal';
  contract_number: string | null;
  residents: number;
  opened_on: string;
  /** the day the account was closed (absent from a reader that does not select it: read as open) */
  closed_on?: string | null;
  owner_kind: 'individual' | 'legal';
  surname: string | null;
  first_name: string | null;
  patronymic: string | null;
  organisation: string | null;
  iin_bin: string;
  /** 1 when the owner (a legal entity) is registered for VAT (owners.vat_payer) */
  vat_payer: number;
  email: string | null;
  language: 'ru' | 'kk' | 'en';
  street_kind: string;
  street: string;
  house: string;
  apartment: string | null;
  apartment_prefix: string | null;
}

export interface ChargeLineRow {
  period: string;
  service: 'water' | 'sewer';
  basis: 'meter' | 'norm';
  days: number;
  volume_litres: number;
  price_tiyn_per_m3: number;
  amount_tiyn: number;
  charged_on: string;
  tariff_valid_from: string;
}

export interface RecalculationLineRow {
  period: string;
  service: 'water' | 'sewer';
  amount_tiyn: number;
  reason: string;
  posted_on: string;
}

export interface PaymentLineRow {
  period: string;
  paid_on: string;
  amount_tiyn: number;
  channel: string;
  /** the payment's id: its number on the act of reconciliation (read for reconciliations only) */
  id?: number;
}

export interface BalanceRow {
  period: string;
  opening_tiyn: number;
  closing_tiyn: number;
}

export interface StatementMeterRow {
  id: number;
  serial: string;
  place: string;
  int_digits: number;
  frac_digits: number;
  install_litres?: number | null;
}

export interface StatementReadingRow {
  value_litres: number;
  read_on: string;
  kind: 'normal' | 'rollover' | 'replacement';
}

/** The header of a statement: the utility's requisites, the account, its owner and address. */
export function partiesFromRow(row: AccountPartyRow, utility: StatementParties['utility']): StatementParties {
  return {
    utility,
    account: {
      id: row.id,
      number: row.number,
      kind: row.kind,
      contractNumber: row.contract_number,
      residents: row.residents,
      openedOn: row.opened_on,
      closedOn: row.closed_on ?? null,
    },
    owner: {
      name: ownerName({
        kind: row.owner_kind,
        surname: row.surname,
        firstName: row.first_name,
        patronymic: row.patronymic,
        organisation: row.organisation,
      }),
      bin: row.owner_kind === 'legal' ? row.iin_bin : null,
      vatPayer: row.owner_kind === 'legal' && Number(row.vat_payer) === 1,
      email: row.email,
      language: row.language,
    },
    address: {
      streetKind: row.street_kind,
      street: row.street,
      house: row.house,
      apartment: row.apartment,
      apartmentPrefix: row.apartment_prefix,
    },
  };
}

/** Everything one account-month's breakdown is built from, as read from a store. */
export interface StoredBreakdown {
  parties: StatementParties;
  period: Period;
  /** the period's stored balance, if the period is closed */
  balance: BalanceRow | null | undefined;
  /** the latest stored balance before the period (read only when `balance` is missing) */
  balanceBefore: BalanceRow | null | undefined;
  /** the period's charge lines, ordered by service, tariff start, id */
  charges: ChargeLineRow[];
  recalculations: RecalculationLineRow[];
  payments: PaymentLineRow[];
  /** meters in service during the period, each with its period's reading and the one before */
  meters: {
    meter: StatementMeterRow;
    current: StatementReadingRow | null | undefined;
    previous: StatementReadingRow | null | undefined;
  }[];
  waterNormLitres: number | null;
}

export function breakdownRowsFromStored(stored: StoredBreakdown): BreakdownRows {
  const { balance } = stored;
  const previous = balance ? undefined : stored.balanceBefore;
  return {
    parties: stored.parties,
    period: stored.period,
    balance: balance ? { openingTiyn: balance.opening_tiyn, closingTiyn: balance.closing_tiyn } : null,
    previousClosingTiyn: previous ? previous.closing_tiyn : null,
    charges: stored.charges.map((c) => ({
      service: c.service,
      basis: c.basis,
      days: c.days,
      volumeLitres: c.volume_litres,
      priceTiynPerM3: c.price_tiyn_per_m3,
      amountTiyn: c.amount_tiyn,
      tariffValidFrom: c.tariff_valid_from,
    })),
    recalculations: stored.recalculations.map((r) => ({
      service: r.service,
      amountTiyn: r.amount_tiyn,
      reason: r.reason,
      postedOn: r.posted_on,
    })),
    payments: stored.payments.map((p) => ({ paidOn: p.paid_on, amountTiyn: p.amount_tiyn, channel: p.channel })),
    meters: stored.meters.map(({ meter, current, previous: before }) => ({
      meterId: meter.id,
      serial: meter.serial,
      place: meter.place,
      intDigits: meter.int_digits,
      fracDigits: meter.frac_digits,
      installLitres: Number(meter.install_litres ?? 0),
      previous: before ? { litres: before.value_litres, readOn: before.read_on } : null,
      current: current ? { litres: current.value_litres, readOn: current.read_on, kind: current.kind } : null,
    })),
    waterNormLitres: stored.waterNormLitres,
  };
}
