// What a mailing run starts from — the month to mail (one that is over in Almaty), the requisites the
// service starts with (a file, or the built-in ones), the subset PDF fonts — and its report as the
// command line prints it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError, validationError } from '../src-shared/errors';
import { almatyDate, PERIOD_RE, periodOf, type Period } from '../src-shared/domain/period';
import { FONT_FILES, type PdfFonts } from '../src-shared/pdf';
import { readPdfFonts } from '../src-shared/node/pdf-fonts';
import { settingsDefaults, utilitySchema } from '../src-shared/schemas/settings';
import { requisitesSchema, type Requisites } from '../src-shared/schemas/utility';
import type { MailingReport } from './mailing-report';

export type Utility = z.infer<typeof utilitySchema>;

/** The period to mail: a calendar month that is over in Almaty (its charges are final). */
export function mailingPeriodSchema(now: Date) {
  const current = periodOf(almatyDate(now));
  return z
    .string()
    .regex(PERIOD_RE, 'A period is written YYYY-MM')
    .pipe(
      z.string().refine((period) => period < current, {
        message: `Only a month that is over can be mailed (before ${current})`,
      }),
    );
}

export function parseMailingPeriod(input: unknown, now: Date): Period {
  const parsed = mailingPeriodSchema(now).safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/**
 * The requisites the service starts with from a JSON file (AQUADESK_UTILITY): the full form of
 * src-shared/schemas/utility.ts (numbers, words in ru/kk/en), or the one-language form of before;
 * else the settings' defaults. They print until an administrator sets the service's own.
 */
export function utilityFromFile(file: string | undefined): Utility | Requisites {
  if (!file) return settingsDefaults.utility;
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const full = requisitesSchema.safeParse(value);
  if (full.success) return full.data;
  const parsed = utilitySchema.safeParse(value);
  if (!parsed.success)
    throw new AppError(
      'VALIDATION',
      `${file} is not a valid utility description`,
      validationError(parsed.error).details,
    );
  return parsed.data;
}

const fontCache = new Map<string, PdfFonts>();

/** The subset PDF fonts (the desktop's resources/fonts, built by scripts/build-fonts.mjs), read once. */
export function loadMailingFonts(fontsDir?: string): PdfFonts {
  const dir = mailingFontsDir(fontsDir);
  let fonts = fontCache.get(dir);
  if (!fonts) {
    fonts = readPdfFonts(dir);
    fontCache.set(dir, fonts);
  }
  return fonts;
}

/** The folder of the subset PDF fonts (the argument, AQUADESK_FONTS_DIR, or resources/fonts). */
export function mailingFontsDir(fontsDir?: string): string {
  const candidates = [
    fontsDir,
    process.env['AQUADESK_FONTS_DIR'],
    resolve(import.meta.dirname ?? '.', '../resources/fonts'),
    resolve(process.cwd(), 'resources/fonts'),
  ];
  const dir = candidates.find(
    (d): d is string => Boolean(d) && existsSync(join(d!, FONT_FILES.normal)) && existsSync(join(d!, FONT_FILES.bold)),
  );
  if (!dir)
    throw new AppError(
      'INTERNAL',
      `The PDF fonts (${FONT_FILES.normal}, ${FONT_FILES.bold}) were not found; run node scripts/build-fonts.mjs`,
    );
  return dir;
}

/** The report as the CLI prints it. */
export function formatMailingReport(report: MailingReport): string {
  const lines = [
    `Mailing ${report.period}: ${report.subscribed} subscribed · ${report.sent} sent · ${report.failed} failed · ${report.alreadySent} already sent` +
      (report.inProgress ? ` · ${report.inProgress} being sent by another run` : '') +
      (report.waiting ? ` · ${report.waiting} waiting for their next attempt` : '') +
      (report.givenUp ? ` · ${report.givenUp} failed for good` : '') +
      (report.possibleDuplicates ? ` · ${report.possibleDuplicates} possible duplicates` : ''),
  ];
  for (const f of report.failures) lines.push(`  failed              ${f.number} <${f.email}>: ${f.error}`);
  for (const f of report.duplicates)
    lines.push(
      `  possible duplicate  ${f.number} <${f.email}>: sent again as ${f.messageId ?? 'the same letter'} after an interrupted attempt`,
    );
  if (report.failed)
    lines.push(
      'Failed letters are tried again by the schedule (8 attempts in about an hour, not after a refusal by the relay); a run by hand tries every one now.',
    );
  if (report.possibleDuplicates)
    lines.push('A possible duplicate may reach the customer twice, both with the same Message-ID.');
  return lines.join('\n');
}
