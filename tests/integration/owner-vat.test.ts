// VAT payers in the data model (#19.1): owners.vat_payer comes from the demo generator for a share of the
// legal entities, is shown on the card, makes the act of reconciliation and the breakdown print the VAT
// their turnovers include (12 % to 2025, 16 % from 2026) and nothing of it for others, and travels from
// the central service to a desk with the owner's row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vatByRate } from '../../src-shared/domain/vat';
import { formatTiyn } from '../../src-shared/domain/money';
import type { AccountCard } from '../../src-shared/schemas/lookup';
import type { Breakdown, Reconciliation, StatementPdf } from '../../src-shared/schemas/statements';
import type { Core } from '../../src-main/core';
import { openDemoCore, type DemoCore } from '../fixtures/demo';
import { startCentral, type Central } from '../helpers/central';
import { openDesk, type Desk } from '../helpers/desk';
import { pdfText } from '../helpers/pdf';

const squash = (text: string) => text.replace(/[\s\u00a0]+/g, ' ');
const money = (tiyn: number) => squash(formatTiyn(tiyn, { currency: false }));
const textOf = (pdf: StatementPdf) => squash(pdfText(Buffer.from(pdf.base64, 'base64')));

async function ok<T>(core: Core, op: string, input: unknown): Promise<T> {
  const outcome = await core.services.dispatch(op as never, input as never);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.result as T;
}

describe('VAT payers on the desk', () => {
  let demo: DemoCore;
  beforeAll(async () => {
    demo = await openDemoCore(300, 24);
  });
  afterAll(() => demo.cleanup());

  /** The first open legal account with charges in October 2026 whose owner is (or is not) a VAT payer. */
  const legalAccount = (vatPayer: 0 | 1) =>
    demo.core.db
      .prepare<[number], number>(
        `SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id
          WHERE a.kind = 'legal' AND a.closed_on IS NULL AND o.vat_payer = ?
            AND EXISTS (SELECT 1 FROM charges c WHERE c.account_id = a.id AND c.period = '2026-10')
          ORDER BY a.id LIMIT 1`,
      )
      .pluck()
      .get(vatPayer)!;

  it('the demo city makes a share of the legal entities VAT payers, and no individual', () => {
    const count = (sql: string) => demo.core.db.prepare<[], number>(sql).pluck().get()!;
    const legal = count("SELECT count(*) FROM owners WHERE kind = 'legal'");
    const payers = count("SELECT count(*) FROM owners WHERE kind = 'legal' AND vat_payer = 1");
    expect(payers).toBeGreaterThan(0);
    expect(payers).toBeLessThan(legal);
    expect(count("SELECT count(*) FROM owners WHERE kind = 'individual' AND vat_payer <> 0")).toBe(0);
  });

  it("a VAT payer's act prints the VAT per rate with its amounts, its breakdown too; a non-payer's neither", async () => {
    const payer = legalAccount(1);
    const other = legalAccount(0);
    expect(payer && other).toBeTruthy();
    const range = { accountId: payer, from: '2025-07-01', to: '2026-10-31' };
    const model = await ok<Reconciliation>(demo.core, 'statements.reconciliation', range);
    const rates = vatByRate(
      model.entries.filter((e) => e.kind !== 'payment').map((e) => ({ date: e.date, amountTiyn: e.debitTiyn })),
    );
    expect(rates.map((r) => r.percent)).toEqual([12, 16]);
    for (const language of ['ru', 'kk', 'en'] as const) {
      const text = textOf(await ok<StatementPdf>(demo.core, 'statements.reconciliationPdf', { ...range, language }));
      const label = { ru: 'в т. ч. НДС', kk: 'оның ішінде ҚҚС', en: 'incl. VAT' }[language];
      for (const r of rates) expect(text).toContain(`${label} ${r.percent} % ${money(r.vatTiyn)}`);
    }
    const breakdown = textOf(
      await ok<StatementPdf>(demo.core, 'statements.breakdownPdf', {
        accountId: payer,
        period: '2026-10',
        language: 'ru',
      }),
    );
    expect(breakdown).toMatch(/в т\. ч\. НДС 16 % [\d ]+,\d\d ₸/);

    const plain = { accountId: other, from: '2025-07-01', to: '2026-10-31', language: 'ru' };
    expect(textOf(await ok<StatementPdf>(demo.core, 'statements.reconciliationPdf', plain))).not.toContain('НДС');
    expect(
      textOf(
        await ok<StatementPdf>(demo.core, 'statements.breakdownPdf', {
          accountId: other,
          period: '2026-10',
          language: 'ru',
        }),
      ),
    ).not.toContain('НДС');
  });

  it("the screens' models carry the very VAT lines the PDFs print (one builder for both), and none for a non-payer", async () => {
    const payer = legalAccount(1);
    const range = { accountId: payer, from: '2025-07-01', to: '2026-10-31' };
    const act = await ok<Reconciliation>(demo.core, 'statements.reconciliation', range);
    expect(act.totals.vat.map((v) => v.percent)).toEqual([12, 16]);
    const actText = textOf(
      await ok<StatementPdf>(demo.core, 'statements.reconciliationPdf', { ...range, language: 'ru' }),
    );
    for (const v of act.totals.vat) {
      expect(v.vatTiyn).toBeGreaterThan(0);
      expect(actText).toContain(`в т. ч. НДС ${v.percent} % ${money(v.vatTiyn)}`);
    }
    const month = { accountId: payer, period: '2026-10' };
    const breakdown = await ok<Breakdown>(demo.core, 'statements.breakdown', month);
    expect(breakdown.totals.vat).toHaveLength(1);
    const [vat] = breakdown.totals.vat;
    expect(vat).toMatchObject({
      percent: 16,
      baseTiyn: breakdown.totals.chargedTiyn + breakdown.totals.recalculationTiyn,
    });
    const breakdownText = textOf(
      await ok<StatementPdf>(demo.core, 'statements.breakdownPdf', { ...month, language: 'ru' }),
    );
    expect(breakdownText).toContain(`в т. ч. НДС 16 % ${money(vat!.vatTiyn)} ₸`);

    const other = legalAccount(0);
    expect(
      (await ok<Breakdown>(demo.core, 'statements.breakdown', { accountId: other, period: '2026-10' })).totals.vat,
    ).toEqual([]);
    expect(
      (await ok<Reconciliation>(demo.core, 'statements.reconciliation', { ...range, accountId: other })).totals.vat,
    ).toEqual([]);
  });

  it('the card says whether a legal entity is a VAT payer', async () => {
    expect((await ok<AccountCard>(demo.core, 'accounts.get', { accountId: legalAccount(1) })).owner.vatPayer).toBe(
      true,
    );
    expect((await ok<AccountCard>(demo.core, 'accounts.get', { accountId: legalAccount(0) })).owner.vatPayer).toBe(
      false,
    );
  });
});

describe('the VAT-payer flag replicates', () => {
  let central: Central;
  let desk: Desk;

  beforeAll(async () => {
    central = await startCentral('pglite', { accounts: 200, months: 1 });
    desk = await openDesk(central, { login: 'kassa1' });
    expect(await desk.sync()).toMatchObject({ state: 'online' });
  }, 120_000);
  afterAll(async () => {
    desk?.close();
    await central?.close();
  });

  it('from the service to a desk with the owner, both ways, and the card follows', async () => {
    const flagOf = (id: number) =>
      desk.db.prepare<[number], number>('SELECT vat_payer FROM owners WHERE id = ?').pluck().get(id);
    const legal = desk.db
      .prepare<[], { id: number; owner_id: number; vat_payer: number }>(
        "SELECT a.id, a.owner_id, o.vat_payer FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.kind = 'legal' ORDER BY a.id LIMIT 1",
      )
      .get()!;
    expect(legal).toBeTruthy();
    const [served] = await central.db.query<{ vat_payer: number | string }>(
      'SELECT vat_payer FROM owners WHERE id = $1',
      [legal.owner_id],
    );
    expect(Number(served!.vat_payer)).toBe(legal.vat_payer); // the seed carried the generator's flag
    for (const flag of [1 - legal.vat_payer, legal.vat_payer]) {
      await central.db.query('UPDATE owners SET vat_payer = $1 WHERE id = $2', [flag, legal.owner_id]);
      await desk.sync();
      expect(flagOf(legal.owner_id)).toBe(flag);
      expect((await desk.call<AccountCard>('accounts.get', { accountId: legal.id })).owner.vatPayer).toBe(flag === 1);
    }
  }, 120_000);
});
