// `npm run server -- mailing [--period YYYY-MM]`: the monthly mailing of the breakdown PDFs, by hand,
// with its report on stdout and exit code 1 when a letter failed. A command module of cli.ts.
import { join } from 'node:path';
import { defaultBreakdownPeriod } from '../src-shared/statements';
import { formatMailingReport, parseMailingPeriod, runMonthlyMailing, utilityFromFile } from './mailing';
import { dataDirOf, mailerFor, openDb } from './cli-common';

export async function mailing(values: { data?: string; schema?: string; period?: string }): Promise<number> {
  const dataDir = dataDirOf(values.data);
  const period = parseMailingPeriod(values.period ?? defaultBreakdownPeriod(new Date()), new Date()); // refused before anything opens
  const utility = utilityFromFile(process.env['AQUADESK_UTILITY'] || undefined);
  const db = await openDb(dataDir, values.schema);
  const mailer = mailerFor(dataDir);
  try {
    const interactive = process.stderr.isTTY;
    const report = await runMonthlyMailing(db, mailer, {
      period,
      utility,
      publicUrl: process.env['PUBLIC_URL'] || undefined,
      onProgress: interactive ? (done, total) => process.stderr.write(`\r${done} / ${total}`) : undefined,
    });
    if (interactive && report.subscribed > 0) process.stderr.write('\n');
    process.stdout.write(`${formatMailingReport(report)}\n`);
    if (!process.env['SMTP_URL'] && report.sent > 0)
      process.stdout.write(`No SMTP_URL: the letters are in ${join(dataDir, 'mail')}\n`);
    return report.failed > 0 ? 1 : 0;
  } finally {
    mailer.close();
    await db.close();
  }
}
