import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatTiyn } from '../../src-shared/domain/money';
import { addMonths } from '../../src-shared/domain/period';
import type { Breakdown, Reconciliation, StatementPdf } from '../../src-shared/schemas/statements';
import { createStatementsService } from '../../src-main/services/statements';
import { defaultReconciliationRange } from '../../src-shared/statements';
import { openDemoCore, type DemoCore } from '../fixtures/demo';
import { pdfText } from '../helpers/pdf';
import { startSmtp as startTestSmtp, type TestSmtp } from '../helpers/smtp';

let demo: DemoCore;
beforeAll(async () => {
  demo = await openDemoCore(300, 24);
});
afterAll(() => demo.cleanup());

const db = () => demo.core.db;
const ok = async <T>(op: string, input: unknown): Promise<T> => {
  const outcome = await demo.core.services.dispatch(op as never, input as never);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.result as T;
};
const refused = async (op: string, input: unknown) => {
  const outcome = await demo.core.services.dispatch(op as never, input as never);
  expect(outcome.ok).toBe(false);
  return (outcome as { error: { code: string; details?: { fields?: { path: string; code: string }[] } } }).error;
};
const squash = (text: string) => text.replace(/\s+/g, ' ');

describe('breakdown', () => {
  it('reconciles to the tiyn on every account of the demo city, every month of its history', () => {
    const statements = createStatementsService(demo.core.ctx, demo.core.services.settings);
    const accounts = db()
      .prepare<[], { id: number }>('SELECT id FROM accounts WHERE closed_on IS NULL ORDER BY id')
      .all();
    let checked = 0;
    for (const { id } of accounts) {
      for (let back = 1; back <= 24; back++) {
        const period = addMonths('2026-11', -back);
        const model = statements.breakdown({ accountId: id, period });
        const t = model.totals;
        expect(t.discrepancyTiyn).toBe(0);
        expect(t.openingTiyn + t.chargedTiyn + t.recalculationTiyn - t.paidTiyn).toBe(t.closingTiyn);
        expect(model.services.reduce((sum, s) => sum + s.chargedTiyn, 0)).toBe(t.chargedTiyn);
        expect(model.services.reduce((sum, s) => sum + s.paidTiyn, 0)).toBe(t.paidTiyn);
        for (const service of model.services)
          expect(service.lines.reduce((sum, l) => sum + l.chargedTiyn, 0)).toBe(service.chargedTiyn);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(7_000);
  });

  it('defaults to the previous month, splits lines at the mid-month tariff change, lists the readings or the norm', async () => {
    const metered = db()
      .prepare<[], number>("SELECT account_id FROM charges WHERE basis = 'meter' AND period = '2026-09' LIMIT 1")
      .pluck()
      .get()!;
    const latest = await ok<Breakdown>('statements.breakdown', { accountId: metered });
    expect(latest.period).toBe('2026-10');
    const split = await ok<Breakdown>('statements.breakdown', { accountId: metered, period: '2026-09' });
    expect(split.services.map((s) => s.lines.length)).toEqual([2, 2]);
    expect(split.readings.length).toBeGreaterThan(0);
    expect(split.norm).toBeNull();
    const byNorm = db()
      .prepare<[], number>("SELECT account_id FROM charges WHERE basis = 'norm' AND period = '2026-10' LIMIT 1")
      .pluck()
      .get()!;
    const norm = await ok<Breakdown>('statements.breakdown', { accountId: byNorm, period: '2026-10' });
    expect(norm.norm).not.toBeNull();
    expect(norm.norm!.volumeLitres).toBe(norm.norm!.residents * norm.norm!.litresPerResident);
  });

  it('as a PDF names the owner, address and month, and is named Расшифровка_<account>_<period>.pdf', async () => {
    const account = db()
      .prepare<[], { id: number; number: string; surname: string }>(
        "SELECT a.id, a.number, o.surname FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.language = 'ru' AND a.kind = 'individual' LIMIT 1",
      )
      .get()!;
    const pdf = await ok<StatementPdf>('statements.breakdownPdf', { accountId: account.id, period: '2026-10' });
    expect(pdf.fileName).toBe(`Расшифровка_${account.number}_2026-10.pdf`);
    const text = squash(pdfText(Buffer.from(pdf.base64, 'base64')));
    expect(text).toContain(account.surname);
    expect(text).toContain('за октябрь 2026 г.');
    expect(pdf.sizeBytes).toBeLessThan(40_000);
  });
});

describe('reconciliation', () => {
  it('runs from the opening balance through every charge and payment to the stored closing balance', async () => {
    const id = db()
      .prepare<[], number>('SELECT account_id FROM payments GROUP BY account_id HAVING count(*) > 10 LIMIT 1')
      .pluck()
      .get()!;
    const model = await ok<Reconciliation>('statements.reconciliation', {
      accountId: id,
      from: '2025-01-01',
      to: '2026-10-31',
    });
    const stored = db()
      .prepare<[number], { opening_tiyn: number; closing_tiyn: number }>(
        "SELECT opening_tiyn, closing_tiyn FROM balances WHERE account_id = ? AND period IN ('2025-01', '2026-10') ORDER BY period",
      )
      .all(id);
    expect(model.openingTiyn).toBe(stored[0]!.opening_tiyn);
    expect(model.totals.closingTiyn).toBe(stored[1]!.closing_tiyn);
    let running = model.openingTiyn;
    for (const entry of model.entries) {
      running += entry.debitTiyn - entry.creditTiyn;
      expect(entry.balanceTiyn).toBe(running);
    }
    expect([...model.entries].map((e) => e.date)).toEqual([...model.entries].map((e) => e.date).sort());
  });

  it('for a legal entity is printed as an акт сверки', async () => {
    const id = db()
      .prepare<[], number>("SELECT id FROM accounts WHERE kind = 'legal' AND closed_on IS NULL LIMIT 1")
      .pluck()
      .get()!;
    const model = await ok<Reconciliation>('statements.reconciliation', {
      accountId: id,
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(model.formalAct).toBe(true);
    const pdf = await ok<StatementPdf>('statements.reconciliationPdf', {
      accountId: id,
      from: '2025-01-01',
      to: '2025-12-31',
      language: 'ru',
    });
    expect(pdf.fileName).toMatch(/^Акт_сверки_\d+_2025-01-01_2025-12-31\.pdf$/);
    expect(squash(pdfText(Buffer.from(pdf.base64, 'base64')))).toContain('Акт сверки взаиморасчётов');
  });
});

describe('bad input gets a clear refusal, no PDF and nothing queued', () => {
  const queued = () => db().prepare('SELECT count(*) FROM mail_outbox').pluck().get();

  it.each([
    ['a period in the future', 'statements.breakdownPdf', { period: '2027-01' }, 'statements.periodInFuture'],
    [
      'a period before the account opened',
      'statements.breakdownPdf',
      { period: '1990-01' },
      'statements.periodBeforeAccountOpened',
    ],
    [
      'an inverted range',
      'statements.reconciliationPdf',
      { from: '2026-05-01', to: '2026-01-01' },
      'statements.rangeInverted',
    ],
    [
      'a range of 20 years',
      'statements.reconciliationPdf',
      { from: '2006-01-01', to: '2026-01-01' },
      'statements.rangeTooLong',
    ],
    [
      'an impossible date',
      'statements.reconciliation',
      { from: '2026-02-30', to: '2026-03-01' },
      'statements.invalidDate',
    ],
  ])('%s', async (_name, op, extra, code) => {
    const id = db().prepare<[], number>('SELECT id FROM accounts ORDER BY id LIMIT 1').pluck().get()!;
    const before = queued();
    const error = await refused(op, { accountId: id, ...extra });
    expect(error.code).toBe('VALIDATION');
    expect(error.details?.fields?.map((f) => f.code)).toContain(code);
    expect(queued()).toBe(before);
  });

  it('an invalid email', async () => {
    const before = queued();
    const error = await refused('mail.send', { accountId: 1, document: { kind: 'breakdown' }, to: 'not-an-email' });
    expect(error.code).toBe('VALIDATION');
    expect(queued()).toBe(before);
  });

  it('an account with no email on file and none typed in', async () => {
    const id = db()
      .prepare<[], number>(
        'SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.email IS NULL LIMIT 1',
      )
      .pluck()
      .get()!;
    const before = queued();
    const error = await refused('mail.send', { accountId: id, document: { kind: 'breakdown' } });
    expect(error.details?.fields?.[0]?.code).toBe('mail.noAddress');
    expect(queued()).toBe(before);
  });
});

describe('mail.send through a real SMTP server', () => {
  let server: TestSmtp | undefined;
  const received: ParsedMail[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function startSmtp(port = 0): Promise<number> {
    server = await startTestSmtp(port, received);
    return server.port;
  }

  it('queues the breakdown in the owner’s language and delivers it with the PDF attached', async () => {
    const port = await startSmtp();
    await ok('settings.set', {
      smtp: { host: '127.0.0.1', port, secure: false, user: '', password: '', from: 'billing@su.kz' },
    });
    const owner = db()
      .prepare<[], { id: number; number: string; email: string }>(
        "SELECT a.id, a.number, o.email FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE o.language = 'kk' AND o.email IS NOT NULL AND a.closed_on IS NULL LIMIT 1",
      )
      .get()!;
    const sent = await ok<{ id: number; to: string; attachmentName: string; language: string }>('mail.send', {
      accountId: owner.id,
      document: { kind: 'breakdown', period: '2026-10' },
    });
    expect(sent.to).toBe(owner.email);
    expect(sent.language).toBe('kk');
    expect(await demo.core.services.mail.drain()).toBeGreaterThanOrEqual(1);
    const mail = received.find((m) => m.subject?.includes(owner.number))!;
    expect(mail).toBeDefined();
    expect((mail.to as { text: string }).text).toBe(owner.email);
    expect(mail.subject).toContain('үшін есептеулер');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.contentType).toBe('application/pdf');
    expect(mail.attachments[0]!.filename).toBe(sent.attachmentName);
    expect(squash(pdfText(mail.attachments[0]!.content))).toContain(owner.number);
  });

  it('with the SMTP server down the message waits in the outbox and goes out once when it is back', async () => {
    const port = await startSmtp();
    await server!.close();
    server = undefined;
    await ok('settings.set', {
      smtp: { host: '127.0.0.1', port, secure: false, user: '', password: '', from: 'billing@su.kz' },
    });
    const id = db()
      .prepare<[], number>(
        "SELECT id FROM accounts WHERE kind = 'individual' AND closed_on IS NULL ORDER BY id DESC LIMIT 1",
      )
      .pluck()
      .get()!;
    const sent = await ok<{ id: number }>('mail.send', {
      accountId: id,
      document: { kind: 'reconciliation', from: '2026-01-01', to: '2026-10-31' },
      to: 'walk-in@example.kz',
    });
    await demo.core.services.mail.drain();
    const row = () =>
      db()
        .prepare<[number], { state: string; attempts: number; next_attempt_at: string }>(
          'SELECT state, attempts, next_attempt_at FROM mail_outbox WHERE id = ?',
        )
        .get(sent.id)!;
    expect(row().state).toBe('queued');
    expect(row().attempts).toBe(1);
    const before = received.length;
    await startSmtp(port);
    db().prepare('UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ?').run('2000-01-01T00:00:00.000Z', sent.id); // the backoff has passed
    await demo.core.services.mail.drain();
    await demo.core.services.mail.drain();
    expect(row().state).toBe('sent');
    expect(received.length - before).toBe(1);
    expect(received.at(-1)!.attachments[0]!.filename).toMatch(/^Сверка_\d+_2026-01-01_2026-10-31\.pdf$/);
  });
});

describe('the act of reconciliation as an accountant expects it', () => {
  const lines = (base64: string) =>
    pdfText(Buffer.from(base64, 'base64'))
      .split(/\n|\f/)
      .map((line) => line.replace(/\u00a0/g, ' ').replace(/ +/g, ' '));
  const whole = (all: string[], tiyn: number) => {
    const wanted = formatTiyn(tiyn, { currency: false }).replace(/\u00a0/g, ' ');
    return all.some((line) =>
      new RegExp(`(^|[^\\d,])${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\d)`).test(line),
    );
  };

  it('of a legal entity with turnovers over 10^9 tiyn: every sum whole on one line, every charge naming its service, number, date and «Мы, нижеподписавшиеся…»', async () => {
    const id = db()
      .prepare<[], number>(
        "SELECT a.id FROM accounts a WHERE a.kind = 'legal' AND a.closed_on IS NULL AND EXISTS (SELECT 1 FROM charges c WHERE c.account_id = a.id AND c.period = '2026-10') ORDER BY a.id LIMIT 1",
      )
      .pluck()
      .get()!;
    // The same account a thousand times larger: every stored sum scaled, so the balances still hold.
    db().transaction(() => {
      for (const sql of [
        'UPDATE charges SET amount_tiyn = amount_tiyn * 1000 WHERE account_id = ?',
        'UPDATE recalculations SET amount_tiyn = amount_tiyn * 1000 WHERE account_id = ?',
        'UPDATE payments SET amount_tiyn = amount_tiyn * 1000 WHERE account_id = ?',
        'UPDATE balances SET opening_tiyn = opening_tiyn * 1000, closing_tiyn = closing_tiyn * 1000 WHERE account_id = ?',
      ])
        db().prepare(sql).run(id);
    })();
    const range = { accountId: id, from: '2025-11-01', to: '2026-10-31' };
    const model = await ok<Reconciliation>('statements.reconciliation', range);
    expect(model.formalAct).toBe(true);
    expect(model.totals.debitTiyn).toBeGreaterThan(1_000_000_000);
    const pdf = await ok<StatementPdf>('statements.reconciliationPdf', { ...range, language: 'ru' });
    const text = lines(pdf.base64);
    const all = squash(text.join(' '));
    expect(all).toContain('Акт сверки взаиморасчётов');
    expect(all).toContain(`№ ${model.account.number}-251101-261031 от 20.11.2026`);
    expect(all).toContain('Мы, нижеподписавшиеся,');
    expect(all).toContain(`По данным ${model.owner.name}`);
    expect(all).toContain('Обороты за период');
    const sums = [
      model.totals.debitTiyn,
      model.totals.paidTiyn,
      Math.abs(model.openingTiyn),
      Math.abs(model.totals.closingTiyn),
      ...model.entries.map((e) => (e.kind === 'payment' ? e.creditTiyn : e.debitTiyn)),
    ];
    expect(sums.filter((s) => !whole(text, s))).toEqual([]);
    // Every charge and recalculation names its service; every payment its number.
    for (const [service, label] of [
      ['water', 'Водоснабжение'],
      ['sewer', 'Водоотведение'],
    ] as const) {
      expect(all.split(label).length - 1).toBe(
        model.entries.filter((e) => e.kind !== 'payment' && e.service === service).length,
      );
    }
    for (const payment of model.entries.filter((e) => e.kind === 'payment'))
      expect(all).toContain(`Оплата № ${payment.paymentId} от`);
    expect(all).not.toMatch(/Начисление за \S+ \d{4} г\.(?! ·)/);
    expect(pdf.sizeBytes).toBeLessThan(40_000);
    // The same act in Kazakh and English.
    const kk = squash(
      lines((await ok<StatementPdf>('statements.reconciliationPdf', { ...range, language: 'kk' })).base64).join(' '),
    );
    expect(kk).toContain('Өзара есеп айырысуларды салыстыру актісі');
    expect(kk).toContain('Біз, төменде қол қоюшылар,');
    expect(kk).toContain('Сумен жабдықтау');
    const en = await ok<StatementPdf>('statements.reconciliationPdf', { ...range, language: 'en' });
    expect(en.fileName).toMatch(/^Reconciliation_act_\d+_2025-11-01_2026-10-31\.pdf$/);
    const enText = squash(lines(en.base64).join(' '));
    expect(enText).toContain('Reconciliation act');
    expect(enText).toContain('We, the undersigned,');
    expect(enText).toContain('Water supply, ');
  });

  it("an individual's reconciliation names the service of every charge line", async () => {
    const id = db()
      .prepare<[], number>(
        "SELECT a.id FROM accounts a WHERE a.kind = 'individual' AND a.closed_on IS NULL AND EXISTS (SELECT 1 FROM charges c WHERE c.account_id = a.id AND c.service = 'sewer') ORDER BY a.id DESC LIMIT 1",
      )
      .pluck()
      .get()!;
    const range = { accountId: id, from: '2025-01-01', to: '2026-10-31' };
    const model = await ok<Reconciliation>('statements.reconciliation', range);
    const all = squash(
      lines((await ok<StatementPdf>('statements.reconciliationPdf', { ...range, language: 'ru' })).base64).join(' '),
    );
    const charges = model.entries.filter((e) => e.kind === 'charge');
    expect(charges.length).toBeGreaterThan(20);
    expect(all.split('Водоснабжение, начисление за').length - 1).toBe(
      charges.filter((e) => e.service === 'water').length,
    );
    expect(all.split('Водоотведение, начисление за').length - 1).toBe(
      charges.filter((e) => e.service === 'sewer').length,
    );
  });
});

describe('closed accounts', () => {
  it('refuse statements for after the closing day, with its date; those before carry «лицевой счёт закрыт dd.MM.yyyy»', async () => {
    const id = db()
      .prepare<[], number>(
        "SELECT a.id FROM accounts a WHERE a.kind = 'individual' AND a.closed_on IS NULL AND EXISTS (SELECT 1 FROM charges c WHERE c.account_id = a.id AND c.period = '2026-02') ORDER BY a.id DESC LIMIT 1 OFFSET 3",
      )
      .pluck()
      .get()!;
    db().prepare("UPDATE accounts SET closed_on = '2026-03-15' WHERE id = ?").run(id);
    try {
      const after = await refused('statements.breakdownPdf', { accountId: id, period: '2026-04' });
      expect(after.code).toBe('VALIDATION');
      expect(after.details?.fields?.map((f) => f.code)).toEqual(['statements.periodAfterAccountClosed']);
      expect((after.details as { closedOn?: string }).closedOn).toBe('2026-03-15');
      // Asked for no month, a closed account's breakdown is that of its closing month (its last), not a refusal.
      const byDefault = await ok<Breakdown>('statements.breakdown', { accountId: id });
      expect(byDefault.period).toBe('2026-03');
      // And its reconciliation's default range ends on the closing day, a year back from its month.
      const range = defaultReconciliationRange('2026-12-01', { openedOn: '2019-05-20', closedOn: '2026-03-15' });
      expect(range).toEqual({ from: '2025-03-01', to: '2026-03-15' });
      const openedOn = db().prepare<[number], string>('SELECT opened_on FROM accounts WHERE id = ?').pluck().get(id)!;
      const asOpened = defaultReconciliationRange('2026-12-01', { openedOn, closedOn: '2026-03-15' });
      expect((await ok<Reconciliation>('statements.reconciliation', { accountId: id, ...asOpened })).to).toBe(
        '2026-03-15',
      );
      expect(defaultReconciliationRange('2026-12-01', { openedOn: '2026-01-10', closedOn: '2026-03-15' }).from).toBe(
        '2026-01-10',
      );
      expect(defaultReconciliationRange('2026-12-01', { openedOn: '2019-05-20' })).toEqual({
        from: '2025-12-01',
        to: '2026-12-01',
      });
      const past = await refused('statements.reconciliationPdf', {
        accountId: id,
        from: '2026-01-01',
        to: '2026-10-31',
      });
      expect(past.details?.fields?.map((f) => [f.path, f.code])).toEqual([['to', 'statements.afterAccountClosed']]);
      const later = await refused('statements.reconciliation', { accountId: id, from: '2026-04-01', to: '2026-10-31' });
      expect(later.details?.fields?.map((f) => [f.path, f.code])).toEqual([['from', 'statements.afterAccountClosed']]);

      const march = await ok<Breakdown>('statements.breakdown', { accountId: id, period: '2026-03' });
      expect(march.account.closedOn).toBe('2026-03-15');
      for (const [language, mark] of [
        ['ru', 'Лицевой счёт закрыт 15.03.2026'],
        ['kk', 'Дербес шот 15.03.2026 жабылған'],
        ['en', 'Account closed on 15.03.2026'],
      ] as const) {
        const pdf = await ok<StatementPdf>('statements.breakdownPdf', { accountId: id, period: '2026-02', language });
        expect(squash(pdfText(Buffer.from(pdf.base64, 'base64')))).toContain(mark);
      }
      const reconciliation = await ok<StatementPdf>('statements.reconciliationPdf', {
        accountId: id,
        from: '2026-01-01',
        to: '2026-03-15',
        language: 'ru',
      });
      expect(squash(pdfText(Buffer.from(reconciliation.base64, 'base64')))).toContain('Лицевой счёт закрыт 15.03.2026');
    } finally {
      db().prepare('UPDATE accounts SET closed_on = NULL WHERE id = ?').run(id);
    }
  });

  it('an open account carries no mark', async () => {
    const id = db()
      .prepare<[], number>(
        "SELECT id FROM accounts WHERE kind = 'individual' AND closed_on IS NULL ORDER BY id LIMIT 1 OFFSET 5",
      )
      .pluck()
      .get()!;
    const pdf = await ok<StatementPdf>('statements.breakdownPdf', { accountId: id, period: '2026-10' });
    expect(squash(pdfText(Buffer.from(pdf.base64, 'base64')))).not.toContain('закрыт');
  });
});
