// One set of requisites, owned by the central service (#19.2, #19.4): an administrator edits them from
// a desk (utility.set, online only), they replicate to every desk, and they are what the desk's PDFs,
// its letters and the service's monthly mailing print, each in the document's language (Kazakh words
// on a Kazakh PDF).
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { createServerMailer } from '../../src-server/mailer';
import { runMonthlyMailing } from '../../src-server/mailing';
import { writeRequisites } from '../../src-server/utility';
import { DEMO_OPERATOR_PASSWORD } from '../../src-shared/schemas/operators';
import type { StatementPdf } from '../../src-shared/schemas/statements';
import { defaultRequisites, type Requisites, type UtilityState } from '../../src-shared/schemas/utility';
import { startCentral, type Central } from '../helpers/central';
import { pdfText } from '../helpers/pdf';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { makeTempDir } from '../helpers/tmp';

const squash = (text: string) => text.replace(/\s+/g, ' ');
const EDITED: Requisites = {
  ...defaultRequisites,
  iban: 'KZ94601A000000777777',
  bik: 'HSBKKZKX',
  kbe: '16',
  phone: '+7 727 311 22 33',
  words: {
    ru: {
      name: 'ГКП «Алматы Су»',
      bank: 'АО «Халык Банк»',
      address: 'г. Алматы, пр. Абая, 10',
      signOff: 'Абонентский отдел «Алматы Су»',
    },
    kk: {
      name: '«Алматы Су» МКК',
      bank: '«Халық Банк» АҚ',
      address: 'Алматы қ., Абай д-лы, 10',
      signOff: '«Алматы Су» абоненттік бөлімі',
    },
    en: { name: '', bank: '', address: '', signOff: '' },
  },
};

describe('the utility requisites, owned by the service', () => {
  let central: Central;
  let smtp: TestSmtp;
  const desks: { core: Core; cleanup: () => void }[] = [];

  async function openDesk(): Promise<Core> {
    const temp = makeTempDir();
    const core = openCore({ dataDir: temp.dir, shell: 'web', now: () => central.now.value });
    desks.push({ core, cleanup: () => (core.close(), temp.cleanup()) });
    await core.services.dispatch('settings.set', { central: { url: central.url, officeKey: central.officeKey } });
    expect(await core.services.dispatch('sync.now', {})).toMatchObject({ ok: true, result: { state: 'online' } });
    return core;
  }
  async function signIn(core: Core, login: string) {
    await core.services.gate('session.signOut', {});
    expect(await core.services.gate('session.signIn', { login, password: DEMO_OPERATOR_PASSWORD })).toMatchObject({
      ok: true,
      result: { mode: 'online' },
    });
  }
  async function pdfOf(core: Core, accountId: number, language: 'ru' | 'kk' | 'en') {
    const outcome = await core.services.dispatch('statements.breakdownPdf', { accountId, period: '2026-10', language });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    return squash(pdfText(Buffer.from((outcome.result as StatementPdf).base64, 'base64')));
  }

  beforeAll(async () => {
    smtp = await startSmtp();
    central = await startCentral('pglite', { accounts: 40, months: 2 });
  }, 120_000);
  afterAll(async () => {
    for (const desk of desks) desk.cleanup();
    await central?.close();
    await smtp?.close();
  });

  it('edited by an administrator on one desk: that desk, another desk after its pull, and the next mailing print them', async () => {
    const desk = await openDesk();
    // Before any edit the desk prints its own settings (as before) and says so.
    expect(await desk.services.dispatch('utility.get', {})).toMatchObject({ ok: true, result: { source: 'desk' } });

    await signIn(desk, 'kassa1');
    expect(await desk.services.gate('utility.set', EDITED)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await signIn(desk, 'admin');
    const bad = await desk.services.gate('utility.set', { ...EDITED, bin: '12' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const saved = await desk.services.gate('utility.set', EDITED);
    expect(saved).toMatchObject({ ok: true, result: { source: 'service', requisites: { phone: '+7 727 311 22 33' } } });
    expect((saved as { result: UtilityState }).result.updatedAt).toBeTruthy();

    const accountId = desk.db
      .prepare<[], number>(
        "SELECT id FROM accounts WHERE closed_on IS NULL AND kind = 'individual' ORDER BY id LIMIT 1",
      )
      .pluck()
      .get()!;
    const ru = await pdfOf(desk, accountId, 'ru');
    expect(ru).toContain('ГКП «Алматы Су»');
    expect(ru).toContain('KZ94601A000000777777');
    expect(ru).toContain('БИК HSBKKZKX');
    expect(ru).toContain('КБе 16');
    expect(ru).toContain('+7 727 311 22 33');
    expect(ru).not.toContain('000 00 00');
    const kk = await pdfOf(desk, accountId, 'kk');
    expect(kk).toContain('«Алматы Су» МКК');
    expect(kk).toContain('«Халық Банк» АҚ');
    expect(kk).toContain('Алматы қ., Абай д-лы, 10');
    // The street kind in Kazakh, after the name; no Russian kind left on the page.
    expect(kk).toMatch(/(к-сі|д-лы|бульв\.|тұйық к-сі|ш\/а), \d/);
    expect(kk).not.toMatch(/(^|\s)(ул|пр|бул|пер|мкр)\. /);
    // A recalculation's reason in Kazakh.
    const recalculated = desk.db
      .prepare<[], number>(
        "SELECT r.account_id FROM recalculations r JOIN accounts a ON a.id = r.account_id WHERE r.period = '2026-10' AND r.reason = 'Корректировка показаний' AND a.closed_on IS NULL LIMIT 1",
      )
      .pluck()
      .get();
    if (recalculated) {
      const text = await pdfOf(desk, recalculated, 'kk');
      expect(text).toContain('Көрсеткіштерді түзету');
      expect(text).not.toContain('Корректировка показаний');
    }
    // English words left empty print the Russian ones.
    expect(await pdfOf(desk, accountId, 'en')).toContain('ГКП «Алматы Су»');

    // Another desk gets the one row with its pull.
    const other = await openDesk();
    expect(await other.services.dispatch('utility.get', {})).toMatchObject({
      ok: true,
      result: { source: 'service', requisites: { iban: 'KZ94601A000000777777' } },
    });
    expect(await pdfOf(other, accountId, 'kk')).toContain('«Алматы Су» МКК');

    // The service's next mailing prints them, and signs its letters with them.
    const mailer = createServerMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
    try {
      const report = await runMonthlyMailing(central.db, mailer, {
        period: '2026-10',
        now: () => central.now.value,
        concurrency: 2,
      });
      expect(report.sent).toBeGreaterThan(0);
    } finally {
      mailer.close();
    }
    await expect.poll(() => smtp.received.length).toBeGreaterThan(0);
    const letters = smtp.received as ParsedMail[];
    for (const letter of letters) {
      const pdf = letter.attachments.find((a) => a.contentType === 'application/pdf')!;
      const text = squash(pdfText(pdf.content));
      expect(text).toContain('+7 727 311 22 33');
      expect(text).toContain('KZ94601A000000777777');
      expect(text).not.toContain('000 00 00');
      expect(text.includes('ГКП «Алматы Су»') || text.includes('«Алматы Су» МКК')).toBe(true);
      expect(letter.text).toMatch(/«Алматы Су»/);
      expect(letter.text).toContain('+7 727 311 22 33');
    }
  }, 180_000);

  it('numbers that are not what they say are refused by field, on the desk and on the service, and change nothing', async () => {
    const desk = await openDesk();
    await signIn(desk, 'admin');
    const before = await desk.services.dispatch('utility.get', {});
    const fieldsOf = async (patch: Partial<Requisites>) => {
      const outcome = await desk.services.gate('utility.set', { ...EDITED, ...patch });
      expect(outcome).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      return (outcome as { error: { details: { fields: { path: string }[] } } }).error.details.fields.map(
        (f) => f.path,
      );
    };
    expect(await fieldsOf({ iban: 'hello' })).toEqual(['iban']);
    expect(await fieldsOf({ iban: 'KZ12' })).toEqual(['iban']);
    // One digit mistyped: the check digits no longer hold.
    expect(await fieldsOf({ iban: 'KZ94601A000000777778' })).toEqual(['iban']);
    expect(await fieldsOf({ bik: 'X' })).toEqual(['bik']);
    expect(await fieldsOf({ bik: 'HSBKRUKX' })).toEqual(['bik']);
    expect(await fieldsOf({ phone: 'abc' })).toEqual(['phone']);
    expect(await fieldsOf({ phone: '+7 727 311 22 33, звоните' })).toEqual(['phone']);
    expect(await desk.services.dispatch('utility.get', {})).toEqual(before);
    // The service checks again, whatever a desk sent past its own checks.
    await expect(
      writeRequisites(central.db, { ...EDITED, iban: 'KZ00601A000000777777' }, new Date()),
    ).rejects.toThrow();

    // As typed: spaces and lower case are the same account.
    const saved = await desk.services.gate('utility.set', {
      ...EDITED,
      iban: 'kz94 601a 0000 0077 7777',
      bik: 'hsbk kzkx',
      phone: '+7 727 311 22 33, 8 (727) 311-22-34',
    });
    expect(saved).toMatchObject({
      ok: true,
      result: {
        requisites: { iban: 'KZ94601A000000777777', bik: 'HSBKKZKX', phone: '+7 727 311 22 33, 8 (727) 311-22-34' },
      },
    });
    expect(await desk.services.gate('utility.set', EDITED)).toMatchObject({ ok: true });
  });

  it('is refused with the reason when the desk has no service to send it to', async () => {
    const temp = makeTempDir();
    const lone = openCore({ dataDir: temp.dir, shell: 'web' });
    try {
      expect(await lone.services.dispatch('utility.set', EDITED)).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE', details: { reason: 'utility.notConfigured' } },
      });
    } finally {
      lone.close();
      temp.cleanup();
    }
  });
});
