// Every screen as each role, at 1366×768, in ru, kk and en (#21.4), with the embedded central service:
// the menu's screens the role may open and every tab of an account card. On each: no naive-ui stock
// placeholder, no missing translation or library message in English (in ru/kk), no error said, table
// headers in one line, sums and readings right-aligned; after a lock and unlock the screen shows its
// data again, never a blank one. Screenshots of each go to test-results/screenshots/walk-*.
import { expect, test, type Page } from '@playwright/test';
import { canOpen, screens } from '../../src-shared/access';
import { DEMO_OPERATOR_PASSWORD, type Role } from '../../src-shared/schemas/operators';
import { api, screenshot, signInOnline, startShell, stopShell, withSession, type Shell } from './shell';

let shell: Shell;
test.beforeAll(async () => {
  shell = await startShell({ demo: 300, central: 'embedded', signIn: null });
});
test.afterAll(async () => {
  await stopShell(shell);
});

const TABS = ['card', 'readings', 'breakdown', 'reconciliation', 'web', 'history'] as const;
const AREAS =
  'common|shell|about|errors|settings|mail|audit|search|account|readings|statements|outbox|web|session|operators|enrol|history|mailing|utility|note|round|debts';
/** An i18n key shown instead of its text (`audit.operators`), not a part of an address (`x@mail.ru`). */
const KEY = new RegExp(`(?<![@\\w.])(${AREAS})\\.[a-z][A-Za-z_]+(\\.[A-Za-z_]+)*(?![\\w.@])`);
/** A library's or a browser's own words, in a Russian or Kazakh screen. */
const ENGLISH = /No Data|Please (Input|Select)|aborted|timeout|Failed to fetch|NetworkError|Error:|Invalid|Required/;

/** What a person would notice on the screen now; empty when all is well. */
async function problems(page: Page, language: string, seen: string[]): Promise<string[]> {
  const found = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll('input, textarea, .n-base-selection-placeholder')) {
      const p = ((el as HTMLInputElement).placeholder ?? el.textContent ?? '').trim();
      if (/^(Ввести|Выбрать|Please Input|Please Select|Енгізіңіз|Таңдаңыз)$/.test(p)) out.push(`placeholder «${p}»`);
    }
    // An example that does not fit its field («кк.аа.жжжж ба…») says nothing.
    const ruler = document.createElement('canvas').getContext('2d')!;
    for (const input of document.querySelectorAll<HTMLInputElement>('input[placeholder]')) {
      if (!input.placeholder || input.value || !input.offsetParent) continue;
      const style = getComputedStyle(input);
      ruler.font = `${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (ruler.measureText(input.placeholder).width > room + 1) out.push(`placeholder cut «${input.placeholder}»`);
    }
    // A header cut («Отправлено / сле…») or broken inside a word («Recalculate/d»); between words is fine.
    for (const th of document.querySelectorAll('thead .n-data-table-th__title')) {
      if (th.scrollWidth > th.clientWidth + 1) out.push(`header cut «${th.textContent}»`);
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        const range = document.createRange();
        let top: number | null = null;
        for (let i = 0; i < text.length; i++) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getClientRects()[0];
          if (!rect) continue;
          if (top !== null && rect.top > top + 2 && /\p{L}/u.test(text[i - 1] ?? '') && /\p{L}/u.test(text[i]!))
            out.push(`header broken inside a word «${th.textContent}»`);
          top = rect.top;
        }
      }
    }
    for (const td of document.querySelectorAll('tbody td.n-data-table-td')) {
      const text = (td.textContent ?? '').trim();
      if (/^[−-]?\d[\d\s\u00a0\u202f]*,\d+(\s?₸)?$|₸$/.test(text) && getComputedStyle(td).textAlign !== 'right')
        out.push(`number not right-aligned «${text}»`);
    }
    // A column with a header and rows but nothing in any of its cells (the debt list's «Л/с» once).
    for (const table of document.querySelectorAll('.n-data-table')) {
      const heads = [...table.querySelectorAll('thead th')].map((th) => (th.textContent ?? '').trim());
      const rows = [...table.querySelectorAll('tbody tr.n-data-table-tr')].map((tr) => [...tr.querySelectorAll('td')]);
      if (rows.length < 3) continue;
      heads.forEach((head, i) => {
        if (head && rows.every((cells) => !(cells[i]?.textContent ?? '').trim())) out.push(`empty column «${head}»`);
      });
    }
    for (const m of document.querySelectorAll('.n-message--error-type, .n-notification--error-type'))
      out.push(`error said «${m.textContent}»`);
    return { out, text: document.body.innerText };
  });
  const out = [...found.out, ...seen.splice(0)];
  const key = KEY.exec(found.text);
  if (key) out.push(`i18n key «${key[0]}»`);
  if (/undefined|NaN|\[object Object\]/.test(found.text)) out.push('undefined / NaN on screen');
  if (language !== 'en') {
    const english = ENGLISH.exec(found.text);
    if (english) out.push(`English «${english[0]}»`);
  }
  return out;
}

/** The screen settled: no skeleton, no table loading. */
async function settled(page: Page) {
  await expect(page.locator('.content .n-skeleton')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.locator('.content .n-data-table-loading-wrapper')).toHaveCount(0, { timeout: 15_000 });
  await page.waitForTimeout(150);
}

const ROLES: [string, Role][] = [
  ['kassa1', 'counter'],
  ['call1', 'callcenter'],
  ['senior', 'supervisor'],
  ['admin', 'admin'],
];

for (const [login, role] of ROLES) {
  test(`every screen as ${login} (${role}) in ru, kk and en: words, dense tables, no blank screen after unlock`, async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const seen: string[] = [];
    page.on('console', (m) => {
      if (/Not found '.*' key|Fall back to translate/.test(m.text())) seen.push(`missing translation: ${m.text()}`);
    });
    page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
    await signInOnline(shell, login);
    await withSession(page, shell);
    // An open account with meters and readings: every tab has something to show.
    const hits = (await api<{ hits: { accountId: number }[] }>(shell, 'lookup.search', { text: 'Абая' })).result!.hits;
    let account = hits[0]!.accountId;
    for (const hit of hits) {
      const list = (
        await api<{ meters: { previous: unknown }[] }>(shell, 'readings.list', { accountId: hit.accountId })
      ).result;
      if (list?.meters.length && list.meters.every((m) => m.previous)) {
        account = hit.accountId;
        break;
      }
    }
    // Something of this operator's on that account in the audit trail (its «Л/с» column has a number).
    await api(shell, 'accounts.revealIin', { accountId: account });
    const report: Record<string, string[]> = {};
    try {
      for (const language of ['ru', 'kk', 'en'] as const) {
        expect((await api(shell, 'settings.set', { language })).ok).toBe(true);
        const places = [
          ...screens.filter((s) => canOpen(role, s)).map((s) => `#/${s}`),
          ...TABS.map((tab) => `#/account/${account}?tab=${tab}`),
        ];
        for (const place of places) {
          await page.goto(`${shell.url}${place}`);
          await settled(page);
          const name = place.replace(/^#\//, '').replace(/\/\d+\?tab=/, '-');
          await screenshot(page, `walk-${login}-${language}-${name}`);
          const found = await problems(page, language, seen);
          if (found.length) report[`${language} ${place}`] = found;
        }
      }
      // Locked and unlocked on the screens that once came back blank: each shows its data again.
      for (const place of ['#/settings', `#/account/${account}?tab=readings`, '#/outbox']) {
        await page.goto(`${shell.url}${place}`);
        await settled(page);
        const before = (await page.locator('.content').innerText()).length;
        await page.keyboard.press('Control+l');
        await expect(page.getByTestId('lock-screen')).toBeVisible();
        await page.getByTestId('unlock-password').fill(DEMO_OPERATOR_PASSWORD);
        await page.getByTestId('unlock-password').press('Enter');
        await settled(page);
        const after = (await page.locator('.content').innerText()).length;
        if (after < Math.min(before, 40)) report[`blank after unlock ${place}`] = [`${after} characters`];
      }
    } finally {
      await api(shell, 'settings.set', { language: 'ru' });
    }
    expect(report).toEqual({});
  });
}
