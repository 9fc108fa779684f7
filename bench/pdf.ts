// `npm run bench -- pdf [--samples N] [--json FILE]`: render time and size of a typical breakdown and
// of a 24-month reconciliation with jsPDF (fonts prepared once, as the app does), and in the same run
// the peer: the same breakdown as an HTML page printed to PDF by headless Chromium (`--print-to-pdf`),
// the path most Electron apps take. Targets: breakdown p95 ≤ 20 ms and ≤ 32 KB, ≥ 10× faster than Chromium.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderBreakdownPdf, renderReconciliationPdf } from '../src-shared/pdf';
import { readPdfFonts } from '../src-shared/node/pdf-fonts';
import { formatTiyn } from '../src-shared/domain/money';
import { formatCubicMetres } from '../src-shared/readings/format';
import { individualBreakdown, reconciliation24 } from '../tests/fixtures/statement-models';
import { latencyResults, percentile, type BenchResult } from './report';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

function breakdownHtml(model: ReturnType<typeof individualBreakdown>): string {
  const rows = model.services
    .flatMap((s) => [
      `<tr><th>${s.service === 'water' ? 'Водоснабжение' : 'Водоотведение'}</th><td>м³</td><td>${formatCubicMetres(s.volumeLitres)}</td><td></td><td>${formatTiyn(s.chargedTiyn)}</td><td>${formatTiyn(s.recalculationTiyn)}</td><td>${formatTiyn(s.paidTiyn)}</td></tr>`,
      ...s.lines.map((l) => `<tr><td>${l.from}–${l.to}</td><td></td><td>${formatCubicMetres(l.volumeLitres)}</td><td>${formatTiyn(l.priceTiynPerM3)}</td><td>${formatTiyn(l.chargedTiyn)}</td><td></td><td></td></tr>`),
    ])
    .join('');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>
    body{font-family:'DejaVu Sans',sans-serif;font-size:10pt;margin:15mm} table{border-collapse:collapse;width:100%} td,th{border:1px solid #999;padding:2px 4px;text-align:right}
    </style></head><body><h3>${model.utility.name}</h3><p>БИН ${model.utility.bin} · ${model.utility.address}</p>
    <h2>Расшифровка начислений за ${model.period}</h2><p>Лицевой счёт ${model.account.number} · ${model.owner.name}</p>
    <table><tr><th>Услуга</th><th>Ед.</th><th>Объём</th><th>Тариф</th><th>Начислено</th><th>Перерасчёт</th><th>Оплачено</th></tr>${rows}</table>
    <p>Итого к оплате: ${formatTiyn(Math.max(0, model.totals.closingTiyn))}</p></body></html>`;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const samplesAt = args.indexOf('--samples');
  const samples = samplesAt >= 0 ? Number(args[samplesAt + 1]) : 300;
  const fonts = readPdfFonts('resources/fonts');
  const printedAt = new Date('2026-11-20T06:00:00Z');
  const breakdown = individualBreakdown();
  const reconciliation = reconciliation24();
  const results: BenchResult[] = [];

  const time = (render: () => Uint8Array) => {
    for (let i = 0; i < 5; i++) render(); // warm-up
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      bytes = render().length;
      ms.push(performance.now() - t);
    }
    return { ms, bytes };
  };
  const b = time(() => renderBreakdownPdf(breakdown, { fonts, language: 'ru', printedAt }));
  results.push(...latencyResults('pdf.breakdown', b.ms, { pages: 1 }), { name: 'pdf.breakdown', metric: 'bytes', value: b.bytes, params: { pages: 1 } });
  const r = time(() => renderReconciliationPdf(reconciliation, { fonts, language: 'ru', printedAt }));
  results.push(...latencyResults('pdf.reconciliation', r.ms, { months: 24 }), { name: 'pdf.reconciliation', metric: 'bytes', value: r.bytes, params: { months: 24 } });

  // The peer, in the same run: headless Chromium printing the same breakdown as HTML.
  const dir = mkdtempSync(join(tmpdir(), 'aquadesk-bench-pdf-'));
  try {
    const html = join(dir, 'breakdown.html');
    writeFileSync(html, breakdownHtml(breakdown));
    const runs: number[] = [];
    let size = 0;
    for (let i = 0; i < 5; i++) {
      const out = join(dir, `out-${i}.pdf`);
      const t = performance.now();
      execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', `--print-to-pdf=${out}`, '--no-pdf-header-footer', `file://${html}`], { stdio: 'ignore' });
      runs.push(performance.now() - t);
      size = statSync(out).size;
    }
    const median = percentile([...runs].sort((x, y) => x - y), 50);
    results.push({ name: 'peer.chromiumPrint', metric: 'ms', value: Number(median.toFixed(1)), params: { runs: runs.length, bytes: size } });
    const p95 = percentile([...b.ms].sort((x, y) => x - y), 95);
    results.push({ name: 'pdf.breakdown', metric: 'speedupVsChromium', value: Number((median / p95).toFixed(1)), params: { basis: 'chromium median / jsPDF p95' } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
