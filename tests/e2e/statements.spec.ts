// The charges breakdown and the reconciliation in the web shell: open, switch period, download PDFs.
import { readFileSync } from 'node:fs';
import { pdfText } from '../helpers/pdf';
import { expect, test, type Shell, screenshot, readDesk } from './shell';

function meteredAccount(shell: Shell): { id: number; number: string; surname: string } {
  return readDesk(shell, (db) => {
    return db
      .prepare(
        `SELECT a.id, a.number, o.surname FROM accounts a JOIN owners o ON o.id = a.owner_id
          WHERE a.kind = 'individual' AND o.language = 'ru' AND o.email IS NOT NULL AND a.closed_on IS NULL
            AND EXISTS (SELECT 1 FROM charges c WHERE c.account_id = a.id AND c.basis = 'meter') ORDER BY a.id LIMIT 1`,
      )
      .get() as { id: number; number: string; surname: string };
  });
}

const previousPeriod = (monthsBack: number) => {
  const now = new Date(Date.now() + 5 * 3600_000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

test('breakdown: the previous month by default, PageUp to the month before, download the PDF', async ({
  page,
  shell,
}) => {
  const account = meteredAccount(shell);
  await page.goto(`${shell.url}#/account/${account.id}`);
  await page.getByTestId('walk-in-breakdown').click();
  const table = page.getByTestId('breakdown-table');
  await expect(table).toContainText('Водоснабжение');
  await expect(table).toContainText('Водоотведение');
  const month = page.getByTestId('breakdown-month').locator('input');
  const last = previousPeriod(1);
  await expect(month).toHaveValue(`${last.slice(5)}.${last.slice(0, 4)}`);
  await screenshot(page, 'breakdown-ru');

  await page.keyboard.press('PageUp');
  const before = previousPeriod(2);
  await expect(month).toHaveValue(`${before.slice(5)}.${before.slice(0, 4)}`);
  await expect(page.getByTestId('to-pay')).toContainText('₸');

  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const file = await download;
  expect(file.suggestedFilename()).toBe(`Расшифровка_${account.number}_${before}.pdf`);
  const text = pdfText(readFileSync(await file.path()));
  expect(text).toContain(account.surname);
  expect(text).toContain('Итого к оплате');

  // A month that has not begun is explained, not printed.
  for (const back of [1, 0, -1]) {
    await page.keyboard.press('PageDown');
    const p = previousPeriod(back);
    await expect(month).toHaveValue(`${p.slice(5)}.${p.slice(0, 4)}`);
  }
  await expect(page.getByTestId('breakdown-problem')).toContainText('ещё не начался');
});

test('breakdown by email is queued to the owner; subscription toggles and shows it is pending', async ({
  page,
  shell,
}) => {
  const account = meteredAccount(shell);
  await page.goto(`${shell.url}#/account/${account.id}?tab=breakdown`);
  await expect(page.getByTestId('breakdown-table')).toBeVisible();
  await page.keyboard.press('Control+e');
  const to = page.getByTestId('email-to');
  await expect(to).not.toHaveValue('');
  await to.fill('not an email');
  await to.press('Enter');
  await expect(page.getByTestId('email-dialog')).toContainText('Неверный формат');
  await to.fill('walk-in@example.kz');
  await to.press('Enter');
  await expect(page.getByText('Письмо поставлено в очередь: walk-in@example.kz')).toBeVisible();

  const subscription = page.getByTestId('subscription');
  const wasSubscribed = (await subscription.textContent())!.includes('Подписан на');
  await page.getByTestId('subscription-toggle').click();
  await expect(subscription).toContainText(wasSubscribed ? 'Не подписан' : 'Подписан на');
  await expect(subscription).toContainText('ожидает отправки');
});

test('subscribing a customer without an email asks for the address in the same dialog, checks it and keeps it', async ({
  page,
  shell,
}) => {
  const account = readDesk(
    shell,
    (db) =>
      db
        .prepare(
          `SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id
        WHERE a.kind = 'individual' AND o.email IS NULL AND a.closed_on IS NULL ORDER BY a.id LIMIT 1`,
        )
        .get() as { id: number },
  );
  await page.goto(`${shell.url}#/account/${account.id}?tab=breakdown`);
  const subscription = page.getByTestId('subscription');
  await expect(subscription).toContainText('Не подписан');
  await page.getByTestId('subscription-toggle').click();
  const dialog = page.getByTestId('subscribe-email-dialog');
  await expect(dialog).toBeVisible();
  const email = page.getByTestId('subscribe-email');
  await expect(email).toBeFocused();
  await email.fill('без собаки');
  await email.press('Enter');
  await expect(dialog).toContainText('Неверный формат');
  await expect(subscription).toContainText('Не подписан');
  await email.fill('no-email-yet@example.kz');
  await email.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(subscription).toContainText('Подписан на ежемесячную рассылку (no-email-yet@example.kz)');
  await expect(subscription).toContainText('ожидает отправки');
  // Kept on the owner: the card's email and the breakdown's letter go to it from now on.
  await page.reload();
  await expect(page.getByTestId('subscription')).toContainText('no-email-yet@example.kz');
});

test('reconciliation: running balance for a range, PDF download', async ({ page, shell }) => {
  const account = meteredAccount(shell);
  await page.goto(`${shell.url}#/account/${account.id}?tab=reconciliation`);
  await expect(page.getByTestId('reconciliation-closing')).toContainText('₸');
  const download = page.waitForEvent('download');
  await page.getByTestId('save-reconciliation').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(
    new RegExp(`^Сверка_${account.number}_\\d{4}-\\d{2}-\\d{2}_\\d{4}-\\d{2}-\\d{2}\\.pdf$`),
  );
  expect(pdfText(readFileSync(await file.path()))).toContain('Сверка взаиморасчётов');
});

/** What the stubbed `print()` of any frame saw: the frame's address and what its document is. */
interface PrintCall {
  href: string;
  contentType: string;
  top: boolean;
}
type PrintStubWindow = Window & { __printCalls?: PrintCall[]; __printFails?: boolean; __blobs?: Record<string, Blob> };

test("print in the browser: the shell says 'browser', the statement's PDF goes into a frame and its print() is called; where that cannot be, a message", async ({
  page,
  shell,
}) => {
  // Up to the call of print: every frame's print() records itself instead of opening the dialog.
  await page.addInitScript(() => {
    window.print = function print() {
      const top = window.top as PrintStubWindow;
      if (top.__printFails) throw new Error('print is not allowed here');
      (top.__printCalls ??= []).push({
        href: location.href,
        contentType: document.contentType,
        top: window === window.top,
      });
    };
    // The page's CSP lets nothing fetch a blob: address, so the test keeps each blob it makes to read it.
    const createObjectURL = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (object: Blob | MediaSource) => {
      const url = createObjectURL(object);
      if (object instanceof Blob) ((window as PrintStubWindow).__blobs ??= {})[url] = object;
      return url;
    };
  });
  const account = meteredAccount(shell);
  await page.goto(`${shell.url}#/account/${account.id}?tab=breakdown`);
  await expect(page.getByTestId('breakdown-table')).toBeVisible();
  const month = await page.getByTestId('breakdown-month').locator('input').inputValue(); // MM.YYYY
  const period = `${month.slice(3)}-${month.slice(0, 2)}`;

  const asked = page.waitForResponse((r) => r.url().endsWith('/api/statements.print'));
  await page.getByTestId('print').click();
  expect(await (await asked).json()).toEqual({ ok: true, result: { status: 'browser' } });
  await expect.poll(() => page.evaluate(() => (window as PrintStubWindow).__printCalls?.length ?? 0)).toBe(1);
  const [call] = await page.evaluate(() => (window as PrintStubWindow).__printCalls!);
  expect(call).toMatchObject({ top: false, contentType: 'application/pdf' }); // the frame, not the page
  expect(call!.href).toMatch(/^blob:/);
  await expect(page.locator('iframe[data-print]')).toHaveAttribute(
    'data-print',
    `Расшифровка_${account.number}_${period}.pdf`,
  );
  // The frame holds the statement's PDF itself.
  const base64 = await page.evaluate(async (href) => {
    const bytes = new Uint8Array(await (window as PrintStubWindow).__blobs![href]!.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }, call!.href);
  const text = pdfText(Buffer.from(base64, 'base64'));
  expect(text).toContain(account.surname);
  expect(text).toContain(account.number);
  expect(text).toContain('Итого к оплате');

  // A browser where the frame cannot print and no tab may be opened: it says so, in the operator's language.
  await page.evaluate(() => {
    (window as PrintStubWindow).__printFails = true;
    window.open = () => null;
  });
  await page.keyboard.press('Control+p');
  await expect(
    page.getByText('Этот браузер не может напечатать документ: сохраните PDF (Ctrl+S) и напечатайте файл'),
  ).toBeVisible();
  expect(await page.evaluate(() => (window as PrintStubWindow).__printCalls!.length)).toBe(1);
  await expect(page.locator('iframe[data-print]')).toHaveCount(1); // the last frame replaced, not piled up
});

test('print in the browser: the reconciliation too', async ({ page, shell }) => {
  await page.addInitScript(() => {
    window.print = function print() {
      const top = window.top as PrintStubWindow;
      (top.__printCalls ??= []).push({
        href: location.href,
        contentType: document.contentType,
        top: window === window.top,
      });
    };
  });
  const account = meteredAccount(shell);
  await page.goto(`${shell.url}#/account/${account.id}?tab=reconciliation`);
  await expect(page.getByTestId('reconciliation-closing')).toContainText('₸');
  await page.getByTestId('print-reconciliation').click();
  await expect.poll(() => page.evaluate(() => (window as PrintStubWindow).__printCalls?.length ?? 0)).toBe(1);
  expect((await page.evaluate(() => (window as PrintStubWindow).__printCalls!))[0]).toMatchObject({
    top: false,
    contentType: 'application/pdf',
  });
  await expect(page.locator('iframe[data-print]')).toHaveAttribute(
    'data-print',
    new RegExp(`^Сверка_${account.number}_`),
  );
});

test("print in the desktop app: the renderer leaves it to the shell and says what came of it, in the operator's language", async ({
  page,
  shell,
}) => {
  // The Electron bridge (window.api) stood in for by the web shell's API, except statements.print,
  // whose answers are those of src-main/electron/print.ts (tested there on fakes of Electron).
  await page.addInitScript((token) => {
    const answers = [
      {
        ok: false,
        error: {
          code: 'UNAVAILABLE',
          message: 'No printer is installed on this computer',
          details: { reason: 'statements.noPrinter' },
        },
      },
      { ok: true, result: { status: 'cancelled' } },
      { ok: true, result: { status: 'printed' } },
      {
        ok: false,
        error: {
          code: 'UNAVAILABLE',
          message: 'Printing failed: Print job failed',
          details: { reason: 'statements.printFailed', failureReason: 'Print job failed' },
        },
      },
    ];
    const asked: unknown[] = [];
    Object.assign(window, {
      __printAsked: asked,
      api: {
        async call(name: string, input: unknown) {
          if (name === 'statements.print') {
            asked.push(input);
            return answers.shift();
          }
          const response = await fetch(`/api/${name}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify(input ?? {}),
          });
          return response.json();
        },
        onEvent: () => () => undefined,
      },
    });
  }, shell.token);
  const account = meteredAccount(shell);
  await page.goto(`${shell.url}#/account/${account.id}?tab=breakdown`);
  await expect(page.getByTestId('breakdown-table')).toBeVisible();
  const print = page.getByTestId('print');

  await print.click();
  await expect(page.getByText('Принтер не найден: на этом компьютере не установлен ни один принтер')).toBeVisible();
  await print.click(); // cancelled in the dialog: nothing to say
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __printAsked: unknown[] }).__printAsked.length))
    .toBe(2);
  await print.click();
  await expect(page.getByText('Документ отправлен на печать')).toBeVisible();
  await print.click();
  await expect(page.getByText('Принтер не напечатал документ')).toBeVisible();
  const asked = await page.evaluate(() => (window as unknown as { __printAsked: unknown[] }).__printAsked);
  expect(asked).toHaveLength(4);
  expect(asked[0]).toMatchObject({ kind: 'breakdown', accountId: account.id, language: 'ru' });
  await expect(page.locator('iframe[data-print]')).toHaveCount(0); // the shell printed: no frame here
});

const squash = (text: string) => text.replace(/\s+/g, ' ');

test("a VAT payer's breakdown and reconciliation on screen show the VAT lines its PDFs print, with the same sums", async ({
  page,
  shell,
}) => {
  const account = readDesk(
    shell,
    (db) =>
      db
        .prepare(
          `SELECT a.id FROM accounts a JOIN owners o ON o.id = a.owner_id
        WHERE a.kind = 'legal' AND o.vat_payer = 1 AND a.closed_on IS NULL
          AND EXISTS (SELECT 1 FROM charges c WHERE c.account_id = a.id AND c.period = ?) ORDER BY a.id LIMIT 1`,
        )
        .get(previousPeriod(1)) as { id: number },
  );
  expect(account).toBeTruthy();
  await page.goto(`${shell.url}#/account/${account.id}?tab=breakdown`);
  const vat = page.getByTestId('breakdown-vat');
  await expect(vat).toHaveCount(1);
  await expect(vat).toContainText('в т. ч. НДС 16 %');
  const sum = squash((await vat.locator('td').nth(1).textContent())!.trim());
  expect(sum).toMatch(/^[\d ]+,\d\d$/);
  await screenshot(page, 'breakdown-vat');
  let download = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  expect(squash(pdfText(readFileSync(await (await download).path())))).toContain(`в т. ч. НДС 16 % ${sum} ₸`);

  await page.keyboard.press('Alt+4');
  await expect(page.getByTestId('reconciliation-closing')).toContainText('₸');
  const lines = page.getByTestId('reconciliation-vat');
  // The default year reaches back into 2025: its charges at 12 %, those of 2026 at 16 %.
  await expect(lines).toHaveCount(2);
  await screenshot(page, 'reconciliation-vat');
  download = page.waitForEvent('download');
  await page.getByTestId('save-reconciliation').click();
  const act = squash(pdfText(readFileSync(await (await download).path())));
  for (const [i, percent] of [12, 16].entries()) {
    const text = squash((await lines.nth(i).textContent())!);
    expect(text).toMatch(new RegExp(`^в т\\. ч\\. НДС ${percent} %: [\\d ]+,\\d\\d ₸$`));
    expect(act).toContain(`в т. ч. НДС ${percent} % ${text.replace(/^.*: /, '').replace(' ₸', '')}`);
  }
});

test('a closed account: the breakdown opens on its closing month, the reconciliation ends on its closing day, no subscribing', async ({
  page,
  shell,
}) => {
  const account = readDesk(
    shell,
    (db) =>
      db
        .prepare(
          `SELECT a.id, a.closed_on AS closedOn FROM accounts a
        WHERE a.closed_on IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = a.id AND s.subscribed = 1)
        ORDER BY a.id LIMIT 1`,
        )
        .get() as { id: number; closedOn: string },
  );
  expect(account).toBeTruthy();
  const [year, month, day] = account.closedOn.split('-');
  await page.goto(`${shell.url}#/account/${account.id}?tab=breakdown`);
  const picker = page.getByTestId('breakdown-month').locator('input');
  await expect(picker).toHaveValue(`${month}.${year}`);
  await expect(page.getByTestId('account-closed')).toBeVisible();
  await expect(page.getByTestId('breakdown-problem')).toHaveCount(0);
  // No subscribing a closed account: the reason instead of the button.
  await expect(page.getByTestId('subscription-closed')).toHaveText(
    `Лицевой счёт закрыт ${day}.${month}.${year}: рассылка не ведётся`,
  );
  await expect(page.getByTestId('subscription-toggle')).toHaveCount(0);
  await screenshot(page, 'breakdown-closed');
  await page.keyboard.press('PageUp');
  const before = new Date(Date.UTC(Number(year), Number(month) - 2, 1));
  await expect(picker).toHaveValue(`${String(before.getUTCMonth() + 1).padStart(2, '0')}.${before.getUTCFullYear()}`);

  await page.keyboard.press('Alt+4');
  const inputs = page.getByTestId('reconciliation-range').locator('input');
  await expect(inputs.nth(1)).toHaveValue(`${day}.${month}.${year}`);
  await expect(page.getByTestId('reconciliation-closing')).toContainText('₸');
  await expect(page.getByTestId('reconciliation-problem')).toHaveCount(0);
  await screenshot(page, 'reconciliation-closed');
});

test('reconciliation range: a start after the end and a day that does not exist are said, and the range stays', async ({
  page,
  shell,
}) => {
  const account = meteredAccount(shell);
  await page.goto(`${shell.url}#/account/${account.id}?tab=reconciliation`);
  const closing = page.getByTestId('reconciliation-closing');
  await expect(closing).toContainText('₸');
  const inputs = page.getByTestId('reconciliation-range').locator('input');
  const typeInto = async (index: number, text: string) => {
    await inputs.nth(index).click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type(text);
  };
  const issue = page.getByTestId('reconciliation-range-issue');

  await typeInto(0, '01.06.2026');
  await expect(inputs.nth(0)).toHaveValue('01.06.2026');
  const endBefore = await inputs.nth(1).inputValue();
  await expect(issue).toHaveCount(0);
  const shownBefore = await closing.textContent();
  await typeInto(1, '01.01.2026');
  await expect(issue).toHaveText('Начало периода позже его конца: период не изменён');
  await expect(issue).toHaveAttribute('data-field', 'from');
  await expect(page.getByTestId('reconciliation-range').locator('.n-input--error-status')).toHaveCount(1);
  await page.mouse.click(900, 700);
  await expect(inputs.nth(0)).toHaveValue('01.06.2026');
  await expect(inputs.nth(1)).toHaveValue(endBefore);
  await expect(closing).toHaveText(shownBefore!);
  await screenshot(page, 'reconciliation-range-inverted');

  await typeInto(0, '31.02.2026');
  await page.mouse.click(900, 700);
  await expect(issue).toHaveText('Начало периода: такой даты нет — введите дату как дд.мм.гггг');
  await expect(issue).toHaveAttribute('data-field', 'from');
  await expect(inputs.nth(0)).toHaveValue('01.06.2026');
  await screenshot(page, 'reconciliation-range-not-a-date');

  // A good range clears the message.
  await typeInto(0, '01.03.2026');
  await expect(issue).toHaveCount(0);
  await expect(inputs.nth(0)).toHaveValue('01.03.2026');
});
