// Statements laid out from their content, as a property: parties from the demo city's generator
// (src-shared/demo), names stretched up to 120 characters from its word lists, every sum drawn at
// random up to 10^10 tiyn by its seeded PRNG (deterministic: the same cases on every run). Each PDF is
// read back through pdftotext, and every sum printed on it must be found whole on one line, every
// word of the owner's name whole, every charge line naming its service.
import { describe, expect, it } from 'vitest';
import { generateDemoCity } from '../../src-shared/demo/city';
import * as names from '../../src-shared/demo/names';
import { Rng } from '../../src-shared/demo/prng';
import { DEMO_TABLES, type Cell, type DemoTable } from '../../src-shared/demo/tables';
import { addMonths, lastDay } from '../../src-shared/domain/period';
import { vatByRate } from '../../src-shared/domain/vat';
import { readPdfFonts } from '../../src-shared/node/pdf-fonts';
import { pdfLabels, renderBreakdownPdf, renderReconciliationPdf } from '../../src-shared/pdf';
import { layoutTable } from '../../src-shared/pdf/layout';
import { money, volume } from '../../src-shared/pdf/format';
import type { Breakdown, PdfLanguage, Reconciliation, StatementParties } from '../../src-shared/schemas/statements';
import { buildBreakdown, buildReconciliation, partiesFromRow, type AccountPartyRow } from '../../src-shared/statements';
import { settingsDefaults } from '../../src-shared/schemas/settings';
import { pdfText } from '../helpers/pdf';

const fonts = readPdfFonts('resources/fonts');
const printedAt = new Date('2026-11-20T06:00:00Z');
const SEED = 19_2026;
const CASES = 8;

/** The demo city's parties (owner, address, account, contract) as the statements read them. */
function demoParties(): { individual: StatementParties[]; legal: StatementParties[] } {
  const rows = new Map<DemoTable, Record<string, Cell>[]>();
  generateDemoCity(
    { accounts: 400, months: 0, seed: SEED, today: '2026-11-20' },
    {
      row(table, values) {
        const columns = DEMO_TABLES[table];
        const list = rows.get(table) ?? [];
        list.push(Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null])));
        rows.set(table, list);
      },
      progress() {},
    },
  );
  const byId = (table: DemoTable) => new Map((rows.get(table) ?? []).map((r) => [r['id'] as number, r]));
  const [owners, premises, buildings, streets] = [byId('owners'), byId('premises'), byId('buildings'), byId('streets')];
  const parties = (rows.get('accounts') ?? []).map((a) => {
    const o = owners.get(a['owner_id'] as number)!;
    const p = premises.get(a['premise_id'] as number)!;
    const b = buildings.get(p['building_id'] as number)!;
    const s = streets.get(b['street_id'] as number)!;
    const row = {
      id: a['id'],
      number: a['number'],
      kind: a['kind'],
      contract_number: a['contract_number'],
      residents: a['residents'],
      opened_on: a['opened_on'],
      closed_on: null,
      owner_kind: o['kind'],
      surname: o['surname'],
      first_name: o['first_name'],
      patronymic: o['patronymic'],
      organisation: o['organisation'],
      iin_bin: o['iin_bin'],
      vat_payer: o['vat_payer'],
      email: o['email'],
      language: o['language'],
      street_kind: s['kind'],
      street: s['name'],
      house: b['house'],
      apartment: p['apartment'],
      apartment_prefix: p['apartment_prefix'],
    } as AccountPartyRow;
    return partiesFromRow(row, settingsDefaults.utility);
  });
  return {
    individual: parties.filter((p) => p.account.kind === 'individual'),
    legal: parties.filter((p) => p.account.kind === 'legal'),
  };
}

const city = demoParties();

/** Up to `max` characters of the demo's words after `start`, cut at a word boundary. */
function stretch(rng: Rng, start: string, max: number): string {
  const pool = [
    ...names.ORGANISATION_NAMES,
    ...names.KAZAKH_SURNAMES,
    ...names.RUSSIAN_SURNAMES,
    ...names.STREET_NAMES,
    ...names.KAZAKH_PATRONYMICS.flat(),
  ];
  const target = rng.int(Math.min(start.length, max), max);
  let name = start;
  for (;;) {
    const next = `${name} ${rng.pick(pool)}`;
    if (next.length > target) return name.slice(0, max);
    name = next;
  }
}

/** A sum of up to 10^10 tiyn, each order of magnitude as likely (so small and huge both occur). */
function amount(rng: Rng, max = 10_000_000_000): number {
  const digits = rng.int(1, 10);
  return Math.min(max, Math.floor(rng.float() * 10 ** digits));
}
const signed = (rng: Rng) => (rng.chance(0.3) ? -amount(rng) : amount(rng));

function party(rng: Rng, legal: boolean): StatementParties {
  const base = rng.pick(legal ? city.legal : city.individual);
  const name = legal
    ? `${base.owner.name.replace(/»$/, '')} ${stretch(rng, '', 100).trim()}»`
    : stretch(rng, base.owner.name, 120);
  return { ...base, owner: { ...base.owner, name: name.slice(0, 120), vatPayer: legal && rng.chance(0.6) } };
}

function randomBreakdown(rng: Rng): Breakdown {
  const parties = party(rng, rng.chance(0.3));
  const period = addMonths('2026-10', -rng.int(0, 20));
  const charges = (['water', 'sewer'] as const).flatMap((service) => {
    const split = rng.chance(0.4);
    const days = split ? rng.int(1, 27) : 30;
    return (split ? [days, 30 - days] : [30]).map((d, i) => ({
      service,
      basis: 'meter' as const,
      days: d,
      volumeLitres: amount(rng, 9_999_999_999),
      priceTiynPerM3: amount(rng),
      amountTiyn: amount(rng),
      tariffValidFrom: i === 0 ? '2020-01-01' : `${period}-15`,
    }));
  });
  const recalculations = Array.from({ length: rng.int(0, 2) }, () => ({
    service: rng.pick(['water', 'sewer'] as const),
    amountTiyn: signed(rng),
    reason: stretch(rng, 'Перерасчёт', 80),
    postedOn: `${period}-20`,
  }));
  const payments = Array.from({ length: rng.int(0, 3) }, () => ({
    paidOn: `${period}-0${rng.int(1, 9)}`,
    amountTiyn: amount(rng) + 1,
    channel: rng.pick(['kaspi', 'bank', 'cash', 'web']),
  }));
  return buildBreakdown({
    parties,
    period,
    balance: null,
    previousClosingTiyn: signed(rng),
    charges,
    recalculations,
    payments,
    meters: [
      {
        meterId: 1,
        serial: `СВ-${rng.int(10, 99)}-${rng.int(1_000_000, 9_999_999)}`,
        place: 'kitchen',
        intDigits: 5,
        fracDigits: 3,
        previous: { litres: rng.int(0, 99_999_999), readOn: `${period}-01` },
        current: { litres: rng.int(0, 99_999_999), readOn: `${period}-25`, kind: 'normal' },
      },
    ],
    waterNormLitres: null,
  });
}

function randomReconciliation(rng: Rng, legal: boolean): Reconciliation {
  const parties = party(rng, legal);
  const months = rng.int(2, 14);
  const last = '2026-10';
  const first = addMonths(last, -(months - 1));
  const rows = {
    parties,
    from: `${first}-01`,
    to: lastDay(last),
    openingTiyn: signed(rng),
    charges: [] as { period: string; service: 'water' | 'sewer'; chargedOn: string; amountTiyn: number }[],
    recalculations: [] as {
      period: string;
      service: 'water' | 'sewer';
      postedOn: string;
      amountTiyn: number;
      reason: string;
    }[],
    payments: [] as { id: number; period: string; paidOn: string; amountTiyn: number; channel: string }[],
  };
  for (let i = 0; i < months; i++) {
    const period = addMonths(first, i);
    for (const service of ['water', 'sewer'] as const)
      rows.charges.push({ period, service, chargedOn: lastDay(period), amountTiyn: amount(rng) });
    if (rng.chance(0.8))
      rows.payments.push({
        id: rng.int(1, 99_999_999),
        period,
        paidOn: `${period}-1${rng.int(0, 9)}`,
        amountTiyn: amount(rng) + 1,
        channel: rng.pick(['kaspi', 'bank', 'cash', 'web']),
      });
    if (rng.chance(0.2))
      rows.recalculations.push({
        period,
        service: 'water',
        postedOn: `${period}-20`,
        amountTiyn: signed(rng),
        reason: stretch(rng, 'Перерасчёт', 60),
      });
  }
  return buildReconciliation(rows);
}

// ---------- what must be on the page ----------

const abs = Math.abs;
function breakdownAmounts(m: Breakdown): string[] {
  const t = m.totals;
  return [
    ...m.services.flatMap((s) => [
      money(s.chargedTiyn),
      money(s.recalculationTiyn),
      money(s.paidTiyn),
      volume(s.volumeLitres),
      ...(s.lines.length > 1 ? s.lines : []).flatMap((l) => [
        money(l.chargedTiyn),
        money(l.priceTiynPerM3),
        volume(l.volumeLitres),
      ]),
      ...(s.lines.length === 1 ? [money(s.lines[0]!.priceTiynPerM3)] : []),
    ]),
    money(t.chargedTiyn),
    money(t.recalculationTiyn),
    money(t.paidTiyn),
    money(abs(t.openingTiyn)),
    money(abs(t.closingTiyn)),
    money(t.toPayTiyn),
    ...m.recalculations.map((r) => money(r.amountTiyn)),
    ...m.payments.map((p) => money(p.amountTiyn)),
  ];
}
function reconciliationAmounts(m: Reconciliation): string[] {
  const entries = m.entries.flatMap((e) => (e.kind === 'payment' ? [money(e.creditTiyn)] : [money(e.debitTiyn)]));
  const totals = [money(m.totals.debitTiyn), money(m.totals.paidTiyn)];
  if (!m.formalAct)
    return [
      money(m.openingTiyn),
      ...entries,
      ...m.entries.map((e) => money(e.balanceTiyn)),
      ...totals,
      money(m.totals.closingTiyn),
    ];
  const vat = m.owner.vatPayer
    ? vatByRate(
        m.entries.filter((e) => e.kind !== 'payment').map((e) => ({ date: e.date, amountTiyn: e.debitTiyn })),
      ).map((r) => money(r.vatTiyn))
    : [];
  return [money(abs(m.openingTiyn)), ...entries, ...totals, ...vat, money(abs(m.totals.closingTiyn))];
}

/** pdftotext's lines with no-break and thin spaces as plain ones and runs of spaces as one. */
const linesOf = (bytes: Uint8Array) =>
  pdfText(bytes)
    .split(/\n|\f/)
    .map((line) => line.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/ +/g, ' '));
const plain = (text: string) => text.replace(/[\u00a0\u202f\u2009]/g, ' ');
/** Whole: not preceded by a digit or a comma, not followed by a digit. */
const wholeIn = (lines: string[], value: string) => {
  const wanted = plain(value);
  const re = new RegExp(`(^|[^\\d,])${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\d)`);
  return lines.some((line) => re.test(line));
};

function expectWhole(bytes: Uint8Array, amounts: string[], owner: string, what: string): void {
  const lines = linesOf(bytes);
  const broken = [...new Set(amounts)].filter((a) => !wholeIn(lines, a));
  expect(broken, `${what}: sums not found whole on one line`).toEqual([]);
  const text = lines.join('\n');
  const words = owner.split(' ').filter((w) => w.length > 0);
  expect(
    words.filter((w) => !text.includes(plain(fonts.sanitize(w)))),
    `${what}: words of the owner's name cut in two`,
  ).toEqual([]);
}

const languages: PdfLanguage[] = ['ru', 'kk', 'en'];

describe('statements laid out from their content (seeded property test)', () => {
  it('every sum of a breakdown is printed whole on one line, whatever its size and the owner’s name', () => {
    const rng = new Rng(SEED);
    for (let i = 0; i < CASES; i++) {
      const model = randomBreakdown(rng);
      const language = languages[i % 3]!;
      const bytes = renderBreakdownPdf(model, { fonts, language, printedAt });
      expectWhole(
        bytes,
        breakdownAmounts(model),
        model.owner.name,
        `breakdown #${i} (${language}, ${model.owner.name.length} chars)`,
      );
      expect(bytes.length).toBeLessThan(40_000);
    }
  });

  it('every sum of a reconciliation and of an act of reconciliation is printed whole, every charge names its service', () => {
    const rng = new Rng(SEED + 1);
    for (let i = 0; i < CASES; i++) {
      const model = randomReconciliation(rng, i % 2 === 1);
      const language = languages[i % 3]!;
      const l = pdfLabels[language];
      const bytes = renderReconciliationPdf(model, { fonts, language, printedAt });
      expectWhole(
        bytes,
        reconciliationAmounts(model),
        model.owner.name,
        `${model.formalAct ? 'act' : 'reconciliation'} #${i} (${language})`,
      );
      const text = pdfText(bytes);
      for (const [service, label] of [
        ['water', l.serviceWater],
        ['sewer', l.serviceSewer],
      ] as const) {
        expect(text.split(label).length - 1, `${language}: ${label} once per charge and recalculation`).toBe(
          model.entries.filter((e) => e.kind !== 'payment' && e.service === service).length,
        );
      }
    }
  });

  it('a sum too wide for its column shrinks that column’s font instead of wrapping', () => {
    const measure = (text: string, size: number) => text.length * size * 0.2;
    const { widths, fontSizes } = layoutTable(
      [{ kind: 'text' }, { kind: 'money' }, { kind: 'money' }],
      [
        {
          section: 'body',
          cells: [
            { text: 'Водоснабжение', colSpan: 1, bold: false, fontSize: 10 },
            { text: '1\u00a0000,00', colSpan: 1, bold: false, fontSize: 10 },
            { text: '100\u00a0000\u00a0000\u00a0000,00', colSpan: 1, bold: false, fontSize: 10 },
          ],
        },
      ],
      { width: 80, paddingX: 2 },
      measure,
    );
    expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(80, 6);
    expect(fontSizes[0]![1]).toBe(10);
    expect(fontSizes[0]![2]).toBeLessThan(10);
    // At its shrunken size the value fits its column.
    expect(measure('100\u00a0000\u00a0000\u00a0000,00', fontSizes[0]![2]!) + 2).toBeLessThanOrEqual(widths[2]! + 1e-6);
  });
});
