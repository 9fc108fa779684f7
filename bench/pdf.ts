// `npm run bench -- pdf [--samples N] [--json FILE]`: render time and size of a typical breakdown and
// of a 24-month reconciliation with jsPDF (fonts prepared once, as the app does), and in the same run
// the fair peer: the same breakdown with all its tables (services with their tariff lines, meter
// readings, the norm, recalculations, payments, totals) as an HTML page printed to PDF by Chromium the
// way an app that prints HTML would run it — one browser, one page reused, warm (`page.pdf()` after
// warm-up runs), never a new browser per document. Both sides get the same warm-up (WARM_UP renders or
// prints of the document before the timed ones): the figures are a warm process's, as at a desk that has
// printed its first statement of the day or a mailing past its first letters. Targets: breakdown p95 ≤ 20 ms and ≤ 32 KB, and
// ≥ 10× faster than the warm peer at p95.
import { PerformanceObserver } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import { renderBreakdownPdf, renderReconciliationPdf } from '../src-shared/pdf';
import { readPdfFonts } from '../src-shared/node/pdf-fonts';
import { formatTiyn } from '../src-shared/domain/money';
import { formatCubicMetres } from '../src-shared/readings/format';
import { individualBreakdown, reconciliation24 } from '../tests/fixtures/statement-models';
import { latencyResults, percentile, type BenchResult } from './report';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Renders (ours) and prints (the peer's) before the timed ones, the same on both sides (`--warm-up N`). */
const WARM_UP = 30;

const escape = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function breakdownHtml(model: ReturnType<typeof individualBreakdown>): string {
  const serviceName = (service: string) => (service === 'water' ? 'Водоснабжение' : 'Водоотведение');
  const services = model.services
    .flatMap((s) => [
      `<tr><th>${serviceName(s.service)}</th><td>м³</td><td>${formatCubicMetres(s.volumeLitres)}</td><td></td><td>${formatTiyn(s.chargedTiyn)}</td><td>${formatTiyn(s.recalculationTiyn)}</td><td>${formatTiyn(s.paidTiyn)}</td></tr>`,
      ...s.lines.map(
        (l) =>
          `<tr><td>${l.from}–${l.to}</td><td></td><td>${formatCubicMetres(l.volumeLitres)}</td><td>${formatTiyn(l.priceTiynPerM3)}</td><td>${formatTiyn(l.chargedTiyn)}</td><td></td><td></td></tr>`,
      ),
    ])
    .join('');
  const readings = model.readings
    .map(
      (m) =>
        `<tr><td>${escape(m.serial)}</td><td>${escape(m.place)}</td><td>${m.previous ? formatCubicMetres(m.previous.litres) : ''}</td><td>${m.previous?.readOn ?? ''}</td><td>${m.current ? formatCubicMetres(m.current.litres) : ''}</td><td>${m.current?.readOn ?? ''}</td><td>${m.consumptionLitres === null ? '' : formatCubicMetres(m.consumptionLitres)}</td></tr>`,
    )
    .join('');
  const norm = model.norm
    ? `<p>Норматив: ${model.norm.residents} чел. × ${formatCubicMetres(model.norm.litresPerResident)} м³ = ${formatCubicMetres(model.norm.volumeLitres)} м³</p>`
    : '';
  const recalculations = model.recalculations
    .map(
      (r) =>
        `<tr><td>${r.postedOn}</td><td>${serviceName(r.service)}</td><td>${escape(r.reason)}</td><td>${formatTiyn(r.amountTiyn)}</td></tr>`,
    )
    .join('');
  const payments = model.payments
    .map((p) => `<tr><td>${p.paidOn}</td><td>${escape(p.channel)}</td><td>${formatTiyn(p.amountTiyn)}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>
    body{font-family:'DejaVu Sans',sans-serif;font-size:9pt;margin:0} table{border-collapse:collapse;width:100%;margin:4mm 0} td,th{border:1px solid #999;padding:2px 4px;text-align:right}
    </style></head><body><h3>${escape(model.utility.name)}</h3><p>БИН ${model.utility.bin} · ${escape(model.utility.address)}</p>
    <h2>Расшифровка начислений за ${model.period}</h2><p>Лицевой счёт ${model.account.number} · ${escape(model.owner.name)}</p>
    <table><tr><th>Услуга</th><th>Ед.</th><th>Объём</th><th>Тариф</th><th>Начислено</th><th>Перерасчёт</th><th>Оплачено</th></tr>${services}</table>
    <table><tr><th>Счётчик</th><th>Место</th><th>Пред.</th><th>Дата</th><th>Текущ.</th><th>Дата</th><th>Расход</th></tr>${readings}</table>${norm}
    <table><tr><th>Дата</th><th>Услуга</th><th>Причина перерасчёта</th><th>Сумма</th></tr>${recalculations}</table>
    <table><tr><th>Дата оплаты</th><th>Источник</th><th>Сумма</th></tr>${payments}</table>
    <p>Сальдо на начало: ${formatTiyn(model.totals.openingTiyn)} · на конец: ${formatTiyn(model.totals.closingTiyn)}</p>
    <p>Итого к оплате: ${formatTiyn(Math.max(0, model.totals.closingTiyn))}</p></body></html>`;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const samplesAt = args.indexOf('--samples');
  const samples = samplesAt >= 0 ? Number(args[samplesAt + 1]) : 300;
  const warmUpAt = args.indexOf('--warm-up');
  const warmUp = warmUpAt >= 0 ? Number(args[warmUpAt + 1]) : WARM_UP;
  const fonts = readPdfFonts('resources/fonts');
  const printedAt = new Date('2026-11-20T06:00:00Z');
  const breakdown = individualBreakdown();
  const reconciliation = reconciliation24();
  const results: BenchResult[] = [];

  const time = async (render: () => Uint8Array) => {
    for (let i = 0; i < warmUp; i++) render();
    const ms: number[] = [];
    let bytes = 0;
    // GC pauses during the timed renders (the slowest renders are the ones a collection lands in).
    let gcMs = 0;
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcMs += entry.duration;
    });
    gc.observe({ entryTypes: ['gc'] });
    const cpu = process.cpuUsage();
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      bytes = render().length;
      ms.push(performance.now() - t);
    }
    const used = process.cpuUsage(cpu);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the observer reports after the loop
    gc.disconnect();
    // CPU time per document: what the machine's other load leaves out of the wall-clock figures.
    return {
      ms,
      bytes,
      cpuMs: Number(((used.user + used.system) / 1000 / samples).toFixed(2)),
      gcMs: Number((gcMs / samples).toFixed(2)),
    };
  };
  const b = await time(() => renderBreakdownPdf(breakdown, { fonts, language: 'ru', printedAt }));
  results.push(
    ...latencyResults('pdf.breakdown', b.ms, { pages: 1 }),
    { name: 'pdf.breakdown', metric: 'bytes', value: b.bytes, params: { pages: 1 } },
    { name: 'pdf.breakdown', metric: 'cpuMs', value: b.cpuMs, params: { pages: 1, perDocument: true } },
    { name: 'pdf.breakdown', metric: 'gcMs', value: b.gcMs, params: { pages: 1, perDocument: true } },
  );
  const r = await time(() => renderReconciliationPdf(reconciliation, { fonts, language: 'ru', printedAt }));
  results.push(
    ...latencyResults('pdf.reconciliation', r.ms, { months: 24 }),
    { name: 'pdf.reconciliation', metric: 'bytes', value: r.bytes, params: { months: 24 } },
    { name: 'pdf.reconciliation', metric: 'cpuMs', value: r.cpuMs, params: { months: 24, perDocument: true } },
    { name: 'pdf.reconciliation', metric: 'gcMs', value: r.gcMs, params: { months: 24, perDocument: true } },
  );

  // The fair peer, in the same run: one warm Chromium, one page reused, page.pdf() of the same statement.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    const html = breakdownHtml(breakdown);
    const print = async () => {
      await page.setContent(html, { waitUntil: 'load' });
      return page.pdf({ format: 'A4', margin: { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' } });
    };
    for (let i = 0; i < warmUp; i++) await print(); // fonts, layout code, the PDF backend
    const runs: number[] = [];
    let size = 0;
    const peerSamples = Math.max(20, Math.min(100, Math.floor(samples / 3)));
    for (let i = 0; i < peerSamples; i++) {
      const t = performance.now();
      size = (await print()).length;
      runs.push(performance.now() - t);
    }
    const sorted = [...runs].sort((x, y) => x - y);
    const median = percentile(sorted, 50);
    const peerP95 = percentile(sorted, 95);
    results.push({
      name: 'peer.chromiumPrint',
      metric: 'ms',
      value: Number(median.toFixed(1)),
      params: { runs: runs.length, bytes: size, warm: true },
    });
    results.push({
      name: 'peer.chromiumPrint',
      metric: 'p95Ms',
      value: Number(peerP95.toFixed(1)),
      params: { runs: runs.length, warm: true },
    });
    const p95 = percentile(
      [...b.ms].sort((x, y) => x - y),
      95,
    );
    results.push({
      name: 'pdf.breakdown',
      metric: 'speedupVsChromium',
      value: Number((peerP95 / p95).toFixed(1)),
      params: { basis: 'warm Chromium p95 / jsPDF p95', goal: 10 },
    });
  } finally {
    await browser.close();
  }
  return results;
}
