// Finding an account from the keyboard only, in the web shell with its demo city.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test, screenshot } from './shell';

interface Target {
  number: string;
  owner: string;
  street: string;
  house: string;
  apartment: string;
  surname: string;
}

function pick(dataDir: string, where: string): Target {
  const db = new Database(join(dataDir, 'aquadesk.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT a.number, o.surname || ' ' || o.first_name || coalesce(' ' || o.patronymic, '') AS owner, o.surname, s.name AS street, b.house, p.apartment
           FROM accounts a JOIN owners o ON o.id = a.owner_id JOIN premises p ON p.id = a.premise_id
           JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id
          WHERE ${where} ORDER BY a.id LIMIT 1`,
      )
      .get() as Target;
  } finally {
    db.close();
  }
}

const plainApartment =
  "a.kind = 'individual' AND p.apartment IS NOT NULL AND p.apartment_prefix IS NULL AND b.house NOT GLOB '*[^0-9]*' AND s.kind = 'ул.' AND s.name NOT LIKE '% %'";

test('type an address in lower case, arrow down, Enter: the card shows the owner', async ({ page, shell }) => {
  const target = pick(shell.dataDir, plainApartment);
  await page.goto(shell.url);
  const search = page.getByTestId('global-search');
  await expect(search).toBeFocused();
  await page.keyboard.type(`${target.street.toLowerCase()} ${target.house} кв ${target.apartment}`);
  const results = page.getByTestId('search-results');
  await expect(results.locator(`[data-test="hit-${target.number}"]`)).toBeVisible();
  await screenshot(page, 'search-ru');
  await page.keyboard.press('ArrowDown');
  await expect(results.locator('tr.selected')).toContainText(target.number);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-strip')).toContainText(target.number);
  await expect(page.getByTestId('account-owner')).toHaveText(target.owner);
  await screenshot(page, 'account-ru');
  // Esc goes back to the results, which are still there.
  await page.keyboard.press('Escape');
  await expect(results.locator(`[data-test="hit-${target.number}"]`)).toBeVisible();
});

test('an account number and Enter open the one exact match directly', async ({ page, shell }) => {
  const target = pick(shell.dataDir, "a.kind = 'individual'");
  await page.goto(shell.url);
  await expect(page.getByTestId('global-search')).toBeFocused();
  await page.keyboard.type(target.number);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-owner')).toHaveText(target.owner);
});

test('an invalid IIN is said to be invalid; nothing found says what was searched and offers the address form', async ({
  page,
  shell,
}) => {
  await page.goto(shell.url);
  await expect(page.getByTestId('global-search')).toBeFocused();
  await page.keyboard.type('990240001238');
  await expect(page.getByTestId('search-invalid')).toContainText('не сходится контрольная цифра');
  await page.getByTestId('global-search').fill('');
  await page.keyboard.type('Щщщщщщ');
  await expect(page.getByTestId('search-empty')).toContainText('«Щщщщщщ»');
  await page.getByText('Попробуйте поиск по адресу').click();
  await expect(page.getByTestId('form-street')).toBeFocused();
});

test('the structured address form: street picker, house, apartment, surname in any case, Enter from field to field', async ({
  page,
  shell,
}) => {
  const target = pick(shell.dataDir, plainApartment);
  await page.goto(shell.url);
  await expect(page.getByRole('heading', { name: 'Поиск лицевого счёта' })).toBeVisible();
  await page.keyboard.press('Alt+A');
  const street = page.getByTestId('form-street');
  await expect(street).toBeFocused();
  await page.keyboard.type(target.street.slice(0, 4).toLowerCase());
  await page.getByText(new RegExp(`^ул\\. ${target.street} \\(`)).click();
  await page.getByTestId('form-house').fill(target.house);
  await page.getByTestId('form-house').press('Enter');
  await expect(page.getByTestId('form-apartment')).toBeFocused();
  await page.keyboard.type(target.apartment);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // the letter field stays empty
  await page.keyboard.type(target.surname.toUpperCase());
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('account-owner')).toHaveText(target.owner);
});

test('SQL and search syntax, emoji and very long text give results or an empty list, never an error', async ({
  page,
  shell,
}) => {
  await page.goto(shell.url);
  const search = page.getByTestId('global-search');
  for (const text of ['"', "Абая' OR 1=1 --", 'NEAR(', '😀💧', 'а'.repeat(300)]) {
    await search.fill(text);
    await expect(page.getByTestId('search-understood').or(page.getByTestId('search-empty')).first()).toBeVisible();
    await expect(page.locator('.n-message--error-type')).toHaveCount(0);
  }
  // A NUL (pasted from a broken file) has no field to mark: the message says what is wrong, once.
  await search.fill('Абая\u0000 1');
  await search.press('Enter');
  await expect(page.getByText('Недопустимые символы (управляющие или нулевой байт)')).toHaveCount(1);
  await expect(page.getByText('Проверьте выделенные поля')).toHaveCount(0);
});
