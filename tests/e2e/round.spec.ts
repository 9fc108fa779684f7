// «Показания обхода» in the web shell: a supervisor picks the controllers' file (BOM, semicolons, CRLF,
// and in Windows-1251), sees every refused row with its reason, takes the report away as CSV, saves
// the accepted rows in one go (source «контролёр»), and the same file again saves nothing.
import { readFileSync } from 'node:fs';
import { almatyDate, periodOf } from '../../src-shared/domain/period';
import { formatReading } from '../../src-shared/readings/format';
import type { ReadingsList } from '../../src-shared/schemas/readings';
import { api, expect, screenshot, signInByApi, test, type Shell, readDesk } from './shell';

/** Meters of open single-meter accounts with history and none this month; a plausible value from readings.list (previous + expected). */
async function meters(shell: Shell, n: number) {
  const period = periodOf(almatyDate(new Date()));
  const rows = readDesk(shell, (db) =>
    db
      .prepare<[string, string, number], { id: number; number: string; serial: string }>(
        `SELECT a.id, a.number, m.serial FROM accounts a JOIN meters m ON m.account_id = a.id AND m.removed_on IS NULL
          WHERE a.closed_on IS NULL AND (SELECT count(*) FROM meters x WHERE x.account_id = a.id AND x.removed_on IS NULL) = 1
            AND (SELECT count(*) FROM readings r WHERE r.meter_id = m.id) >= 8
            AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = m.id AND r.period = ?)
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.account_id = a.id AND o.name = 'readings.submit' AND json_extract(o.args, '$.period') = ?)
          ORDER BY a.id DESC LIMIT ?`,
      )
      .all(period, period, n),
  );
  return Promise.all(
    rows.map(async (row) => {
      const meter = (await api<ReadingsList>(shell, 'readings.list', { accountId: row.id })).result!.meters[0]!;
      const step = 10 ** (3 - meter.format.fracDigits);
      const previous = meter.previous!.litres;
      const used = Math.max(step, Math.round((meter.expectedLitres ?? 3_000) / step) * step);
      return {
        ...row,
        format: meter.format,
        value: formatReading(previous + used, meter.format),
        lower: formatReading(Math.max(0, previous - 100 * step), meter.format),
      };
    }),
  );
}

test('a round file: every refused row with its reason, the report, the accepted saved once as the controller’s', async ({
  page,
  shell,
}) => {
  const [a, b, c, d, e] = await meters(shell, 5);
  const today = almatyDate(new Date());
  const date = `${today.slice(8, 10)}.${today.slice(5, 7)}.${today.slice(0, 4)}`;
  const rows = [
    'Лицевой счёт;Заводской номер;Показание;Дата',
    `${a!.number};${a!.serial};${a!.value};${date}`,
    `${b!.number};${b!.serial};${b!.value};${date}`,
    `${c!.number};${c!.serial};${c!.value};${date}`,
    `${d!.number};${d!.serial};${d!.lower};${date}`, // lower than the previous reading
    `${e!.number};${e!.serial};1234567,1;${date}`, // wrong digits
    `;НЕТ-0001;00010,00;${date}`, // unknown serial
    `${a!.number};${a!.serial};${a!.value};${date}`, // a duplicate
    `${b!.number};${b!.serial};${b!.value};01.01.2099`, // in the future (and the same meter again)
  ];
  const csv = `\uFEFF${rows.join('\r\n')}\r\n`;

  await page.goto(`${shell.url}#/round`);
  await expect(page.getByRole('heading', { name: 'Показания обхода' })).toBeVisible();
  await page
    .getByTestId('round-file')
    .setInputFiles({ name: 'обход-декабрь.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  const summary = page.getByTestId('round-summary');
  await expect(summary).toContainText('строк 8 · принято 3 · отклонено 5');
  const refused = page.getByTestId('round-refused');
  await expect(refused.locator('tbody tr')).toHaveCount(5);
  await expect(refused).toContainText('Меньше предыдущего');
  await expect(refused).toContainText(`Слишком много цифр до запятой: у счётчика ${e!.format.intDigits}`);
  await expect(refused).toContainText('Нет счётчика с таким номером');
  await expect(refused).toContainText('Этот счётчик уже есть в строке 2');
  await expect(refused).toContainText('Дата в будущем');
  await screenshot(page, 'round-ru');

  // The report, as Excel opens it: a BOM, semicolons, a row per refused line with its reason in words.
  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const report = readFileSync(await (await download).path(), 'utf8');
  expect((await download).suggestedFilename()).toBe('Отклонённые_обход-декабрь.csv');
  expect(report.startsWith('\uFEFFСтрока файла;Лицевой счёт;Заводской номер;Показание;Дата;Причина\r\n')).toBe(true);
  expect(report.trim().split('\r\n')).toHaveLength(6);
  expect(report).toContain(`8;${a!.number};${a!.serial};${a!.value};${date};Этот счётчик уже есть в строке 2`);

  // Saved in one go (Ctrl+Enter); the file checked again has nothing left to save.
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('Сохранено показаний: 3 — ожидают отправки')).toBeVisible();
  await expect(summary).toContainText('принято 0 · отклонено 8');
  await expect(page.getByTestId('round-save')).toBeDisabled();
  const list = await api<{ meters: { serial: string; current: { source: string; state: string } | null }[] }>(
    shell,
    'readings.list',
    {
      accountId: (await api<{ hits: { accountId: number }[] }>(shell, 'lookup.search', { text: a!.number })).result!
        .hits[0]!.accountId,
    },
  );
  expect(list.result!.meters[0]!.current).toMatchObject({ source: 'controller', state: 'pending' });
});

test('a file in Windows-1251 without a header is read; a file without the columns is explained', async ({
  page,
  shell,
}) => {
  const [a] = await meters(shell, 1);
  const today = almatyDate(new Date());
  await page.goto(`${shell.url}#/round`);
  // Windows-1251: the header's Cyrillic as single bytes (here, «Показание» alone would not decode as UTF-8).
  const cp1251 = Buffer.from(
    [...'Лицевой счёт;Показание;Дата\r\n'].map((ch) =>
      ch === 'ё' ? 0xb8 : ch.charCodeAt(0) >= 0x410 ? ch.charCodeAt(0) - 0x410 + 0xc0 : ch.charCodeAt(0),
    ),
  );
  const body = Buffer.from(`${a!.number};${a!.value};${today}\r\n`, 'ascii');
  await page
    .getByTestId('round-file')
    .setInputFiles({ name: 'win.csv', mimeType: 'text/csv', buffer: Buffer.concat([cp1251, body]) });
  await expect(page.getByTestId('round-summary')).toContainText('строк 1 · принято 1 · отклонено 0');
  await expect(page.getByTestId('round-summary')).toContainText('Windows-1251');
  await page.getByTestId('round-file').setInputFiles({
    name: 'other.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('фамилия;адрес\r\nИванов;Абая 10\r\n'),
  });
  await expect(page.getByTestId('round-problem')).toHaveText(
    'В файле нет столбцов «показание», «дата» и «лицевой счёт» или «счётчик»',
  );
});

test('a counter operator has no round screen', async ({ shell }) => {
  await signInByApi(shell, 'kassa1');
  const refused = await api(shell, 'readings.importCheck', { fileName: 'x.csv', csv: 'a;b;c' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
