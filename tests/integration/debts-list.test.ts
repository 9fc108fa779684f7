// The office's month: the debt list of the office's districts, against the demo city's own figures —
// every filter (minimum debt typed as money, months in arrears, district, street), the sort, and the
// totals of everything matched; a minimum that is not a sum is refused with a translated reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebtsList } from '../../src-shared/schemas/debts';
import debts from '../../src-renderer/i18n/debts';
import { openDemoCore, type DemoCore } from '../fixtures/demo';

const SUPERVISOR = { operatorId: 6, role: 'supervisor' as const };
let demo: DemoCore;
beforeAll(async () => {
  demo = await openDemoCore(300, 24);
});
afterAll(() => demo.cleanup());

async function list(input: Record<string, unknown>): Promise<DebtsList> {
  const outcome = await demo.core.services.dispatch('debts.list', input, SUPERVISOR);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.result as DebtsList;
}

/** The months in arrears from the balances themselves: the latest closing balances in a row above zero. */
function monthsOf(accountId: number): number {
  const closings = demo.core.db
    .prepare<[number], number>('SELECT closing_tiyn FROM balances WHERE account_id = ? ORDER BY period DESC')
    .pluck()
    .all(accountId);
  let n = 0;
  while (n < closings.length && closings[n]! > 0) n++;
  return n;
}

describe('the debt list', () => {
  it('lists every account that owes, with the totals of the store', async () => {
    const all = await list({});
    const expected = demo.core.db
      .prepare<[], { n: number; sum: number }>(
        'SELECT count(*) AS n, sum(balance_tiyn) AS sum FROM accounts WHERE balance_tiyn > 0',
      )
      .get()!;
    expect(expected.n).toBeGreaterThan(50);
    expect(all.totals).toEqual({ count: expected.n, debtTiyn: expected.sum });
    expect(all.rows).toHaveLength(expected.n);
    // Biggest debt first by default; every row's months agree with its balances.
    const debtsShown = all.rows.map((r) => r.debtTiyn);
    expect(debtsShown).toEqual([...debtsShown].sort((a, b) => b - a));
    for (const row of all.rows.slice(0, 40)) expect(row.months, row.number).toBe(monthsOf(row.accountId));
    expect(all.period).toBe('2026-10');
    expect(all.districts.length).toBeGreaterThan(1);
  });

  it('filters by the minimum debt typed as money, the months, the district and the street', async () => {
    const big = await list({ minDebt: '2 000,50' });
    expect(big.rows.every((r) => r.debtTiyn >= 200_050)).toBe(true);
    const count = demo.core.db
      .prepare<[], number>('SELECT count(*) FROM accounts WHERE balance_tiyn >= 200050')
      .pluck()
      .get()!;
    expect(big.totals.count).toBe(count);
    expect(big.totals.debtTiyn).toBe(big.rows.reduce((s, r) => s + r.debtTiyn, 0));

    const long = await list({ minMonths: 3 });
    expect(long.rows.length).toBeGreaterThan(0);
    expect(long.rows.every((r) => r.months >= 3 && monthsOf(r.accountId) >= 3)).toBe(true);

    const district = big.districts.find((d) => d.id === big.rows[0]!.districtId)!;
    const inDistrict = await list({ districtId: district.id });
    const byStore = demo.core.db
      .prepare<[number], { n: number; sum: number }>(
        'SELECT count(*) AS n, sum(balance_tiyn) AS sum FROM accounts WHERE balance_tiyn > 0 AND district_id = ?',
      )
      .get(district.id)!;
    expect(byStore.n).toBeGreaterThan(0);
    expect(inDistrict.totals).toEqual({ count: byStore.n, debtTiyn: byStore.sum });
    expect(inDistrict.rows.every((r) => r.district === district.name)).toBe(true);

    const street = inDistrict.streets.find((s) => s.districtIds.includes(district.id))!;
    const onStreet = await list({ streetId: street.id, sort: 'address', order: 'asc' });
    expect(onStreet.rows.length).toBeGreaterThan(0);
    expect(onStreet.rows.every((r) => `${r.address.streetKind} ${r.address.street}` === street.name)).toBe(true);
    const houses = onStreet.rows.map((r) => parseInt(r.address.house, 10));
    expect(houses).toEqual([...houses].sort((a, b) => a - b));
  });

  it('sorts by any column both ways and cuts the rows, never the totals', async () => {
    const byAccount = await list({ sort: 'account', order: 'asc', limit: 5 });
    expect(byAccount.rows).toHaveLength(5);
    const numbers = byAccount.rows.map((r) => r.number);
    expect(numbers).toEqual([...numbers].sort());
    expect(byAccount.totals.count).toBeGreaterThan(5);
    const byMonths = await list({ sort: 'months', order: 'desc' });
    const months = byMonths.rows.map((r) => r.months);
    expect(months).toEqual([...months].sort((a, b) => b - a));
  });

  it('refuses a minimum that is not a sum of money, with a reason in ru, kk and en', async () => {
    for (const minDebt of ['десять', '10,999', '-5']) {
      const outcome = await demo.core.services.dispatch('debts.list', { minDebt }, SUPERVISOR);
      expect(outcome.ok, minDebt).toBe(false);
      const error = (outcome as { error: { code: string; details: { fields: { path: string; code: string }[] } } })
        .error;
      expect(error.code).toBe('VALIDATION');
      expect(error.details.fields[0]).toMatchObject({ path: 'minDebt', code: 'debts.minDebt' });
    }
    expect(debts.ru.reasons.minDebt).toMatch(/10 000,00/);
    expect(debts.kk.reasons.minDebt).toMatch(/10 000,00/);
    expect(debts.en.reasons.minDebt).toMatch(/10 000,00/);
    const refused = await demo.core.services.dispatch('debts.list', { minMonths: -1 }, SUPERVISOR);
    expect(refused.ok).toBe(false);
  });
});
