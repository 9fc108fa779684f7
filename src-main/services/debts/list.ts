// debts.list: the debt list of the office's districts. The desk's store holds only what its office
// serves (the sync scope purges the rest), so "the office's districts" are those it holds accounts of.
// A debt is a positive balance now; the months in arrears are the latest closed months in a row whose
// closing balance was a debt. Filters go into SQL as bound parameters only, the sort column through a
// fixed table of expressions; the totals are of every matching account, whatever the row limit.
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/errors';
import type {
  DebtFilter,
  DebtRow,
  DebtsList,
  DebtsListInput,
  DebtSortColumn,
  DebtTarget,
} from '../../../src-shared/schemas/debts';
import { ownerName } from '../../../src-shared/statements/parties';

const ORDER: Record<DebtSortColumn, string[]> = {
  debt: ['balance_tiyn'],
  months: ['months'],
  account: ['number'],
  owner: ["COALESCE(organisation, surname || ' ' || COALESCE(first_name, ''))"],
  address: ['street', 'CAST(house AS INTEGER)', 'house', "CAST(COALESCE(apartment, '0') AS INTEGER)", 'apartment'],
  lastPayment: ["COALESCE(last_payment_on, '')"],
};

interface Row {
  id: number;
  number: string;
  kind: 'individual' | 'legal';
  surname: string | null;
  first_name: string | null;
  patronymic: string | null;
  organisation: string | null;
  email: string | null;
  street_kind: string;
  street: string;
  house: string;
  apartment: string | null;
  apartment_prefix: string | null;
  district_id: number;
  district: string;
  balance_tiyn: number;
  months: number;
  last_payment_on: string | null;
}

const SELECT = `
  SELECT a.id, a.number, a.kind, o.surname, o.first_name, o.patronymic, o.organisation, o.email,
         s.kind AS street_kind, s.name AS street, b.house, p.apartment, p.apartment_prefix,
         a.district_id, d.name AS district, a.balance_tiyn, a.last_payment_on,
         (SELECT count(*) FROM balances x WHERE x.account_id = a.id AND x.closing_tiyn > 0 AND x.period >
            COALESCE((SELECT max(c.period) FROM balances c WHERE c.account_id = a.id AND c.closing_tiyn <= 0), '')) AS months
    FROM accounts a JOIN owners o ON o.id = a.owner_id JOIN premises p ON p.id = a.premise_id
    JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id JOIN districts d ON d.id = a.district_id
   WHERE a.balance_tiyn >= @minDebt
     AND (@districtId IS NULL OR a.district_id = @districtId)
     AND (@streetId IS NULL OR b.street_id = @streetId)`;

function toRow(r: Row): DebtRow {
  return {
    accountId: r.id,
    number: r.number,
    owner: ownerName({
      kind: r.kind,
      surname: r.surname,
      firstName: r.first_name,
      patronymic: r.patronymic,
      organisation: r.organisation,
    }),
    address: {
      streetKind: r.street_kind,
      street: r.street,
      house: r.house,
      apartment: r.apartment,
      prefix: r.apartment_prefix,
    },
    districtId: r.district_id,
    district: r.district,
    debtTiyn: r.balance_tiyn,
    months: r.months,
    lastPaymentOn: r.last_payment_on,
    email: Boolean(r.email && r.email.trim()),
  };
}

export function createDebtList(db: Database.Database) {
  const statements = new Map<string, Database.Statement<Record<string, unknown>, Row>>();
  const prepared = (sort: DebtSortColumn, order: 'asc' | 'desc') => {
    const key = `${sort}:${order}`;
    let statement = statements.get(key);
    if (!statement) {
      const direction = order === 'asc' ? 'ASC' : 'DESC';
      const by = ORDER[sort].map((part) => `${part} ${direction}`).join(', ');
      statement = db.prepare<Record<string, unknown>, Row>(
        `SELECT * FROM (${SELECT}) WHERE months >= @minMonths ORDER BY ${by}, id`,
      );
      statements.set(key, statement);
    }
    return statement;
  };
  const districts = db.prepare<[], { id: number; name: string }>(
    'SELECT d.id, d.name FROM districts d WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.district_id = d.id) ORDER BY d.name',
  );
  const streets = db.prepare<[], { id: number; name: string; kind: string; district_ids: string }>(
    `SELECT s.id, s.name, s.kind, group_concat(DISTINCT b.district_id) AS district_ids
       FROM streets s JOIN buildings b ON b.street_id = s.id
      WHERE EXISTS (SELECT 1 FROM premises p JOIN accounts a ON a.premise_id = p.id WHERE p.building_id = b.id)
      GROUP BY s.id ORDER BY s.name, s.kind`,
  );
  const latestPeriod = db.prepare<[], string | null>('SELECT max(period) FROM balances').pluck();

  /** Every debtor the filter matches, in the order asked. */
  function matching(filter: DebtFilter, sort: DebtSortColumn = 'address', order: 'asc' | 'desc' = 'asc'): DebtRow[] {
    return prepared(sort, order)
      .all({
        minDebt: filter.minDebt,
        minMonths: filter.minMonths,
        districtId: filter.districtId,
        streetId: filter.streetId,
      })
      .map(toRow);
  }

  function list(input: DebtsListInput): DebtsList {
    const rows = matching(input, input.sort, input.order);
    return {
      rows: rows.slice(0, input.limit),
      totals: { count: rows.length, debtTiyn: rows.reduce((sum, r) => sum + r.debtTiyn, 0) },
      districts: districts.all(),
      streets: streets.all().map((s) => ({
        id: s.id,
        name: `${s.kind} ${s.name}`,
        districtIds: s.district_ids.split(',').map(Number),
      })),
      period: latestPeriod.get() ?? null,
    };
  }

  /** Whom a batch is for: the accounts picked (each still owing here), or all the filter matches, by address. */
  function customersOf(target: DebtTarget): DebtRow[] {
    const everyDebtor = { minDebt: 1, minMonths: 0, districtId: null, streetId: null };
    const all = matching(target.accountIds ? everyDebtor : target.filter);
    let rows = all;
    if (target.accountIds) {
      const byId = new Map(all.map((r) => [r.accountId, r]));
      rows = [...new Set(target.accountIds)].map((id) => {
        const row = byId.get(id);
        if (!row)
          throw new AppError('VALIDATION', 'Not a debtor of this office', { reason: 'debts.notDebtor', accountId: id });
        return row;
      });
    }
    if (rows.length === 0) throw new AppError('VALIDATION', 'Nobody in the batch', { reason: 'debts.noneSelected' });
    return rows;
  }

  return { list, matching, customersOf, latestPeriod: () => latestPeriod.get() ?? null };
}
export type DebtList = ReturnType<typeof createDebtList>;
