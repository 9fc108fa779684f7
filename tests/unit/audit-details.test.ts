// The audit screen's details column: the stored JSON in the supervisor's words, in each language,
// with anything unknown shown as it is rather than dropped.
import { describe, expect, it } from 'vitest';
import { i18n } from '../../src-renderer/i18n';
import { describeAuditDetails, describeAuditEntry, type AuditWords } from '../../src-renderer/views/audit-details';
import type { ChangeWhat } from '../../src-shared/schemas/sync';
import { changeWordsWith } from '../../src-renderer/composables/change-words';

function wordsIn(language: 'ru' | 'kk' | 'en'): AuditWords {
  i18n.global.locale.value = language;
  const { t, te } = i18n.global;
  const lookup = (key: string) => (te(key) ? t(key) : null);
  return {
    label: (key) => lookup(`audit.detail.labels.${key}`),
    value: (key, value) => lookup(`audit.detail.values.${key}.${value}`),
    reason: (code) => lookup(`${code.split('.')[0]}.reasons.${code.split('.')[1]}`),
    operation: (name) => lookup(`audit.operations.${name.replace(/\./g, '_')}`) ?? name,
    role: (role) => lookup(`operators.roles.${role}`) ?? role,
    change: (c: ChangeWhat) =>
      c.kind === 'reading'
        ? t('outbox.what.reading', {
            meter: c.meter ?? '?',
            value: c.value,
            period: `${c.period.slice(5)}.${c.period.slice(0, 4)}`,
          })
        : c.kind,
    setting: (path) => lookup(`audit.settings.${path.replace(/\./g, '_')}`) ?? path,
    settingValue: (path, value) =>
      typeof value === 'boolean'
        ? t(`audit.settingValues.${value ? 'on' : 'off'}`)
        : path === 'language'
          ? lookup(`shell.languages.${String(value)}`)
          : null,
  };
}

const entry = (operation: string, details: unknown, subjects: { changes?: ChangeWhat[]; meters?: string[] } = {}) => ({
  operation,
  details: JSON.stringify(details),
  subjects: { changes: subjects.changes ?? [], meters: subjects.meters ?? [] },
});

describe('audit details in words', () => {
  it('a refused sign-in, an offline one, a role refusal and a resolved change read as sentences in Russian', () => {
    const ru = wordsIn('ru');
    expect(describeAuditDetails('{"reason":"badPassword","login":"call1"}', ru)).toBe(
      'причина: неверный пароль · логин: call1',
    );
    expect(describeAuditDetails('{"mode":"offline"}', ru)).toBe('вход: без связи, на этом компьютере');
    expect(describeAuditDetails('{"reason":"role","role":"callcenter"}', ru)).toBe(
      'причина: действие не разрешено роли · роль: Call-центр',
    );
    expect(
      describeAuditDetails('{"seq":12,"name":"readings.submit","resolution":"dismissed","note":"Дубль звонка"}', ru),
    ).toBe('№ изменения: 12 · изменение: Передача показаний · решение: закрыто · примечание: Дубль звонка');
    expect(describeAuditDetails('{"seqs":[4,5],"meters":[101,102]}', ru)).toBe(
      '№ изменений: 4, 5 · счётчики: 101, 102',
    );
    expect(describeAuditDetails('{"subscribed":false,"seq":3}', ru)).toBe('рассылка: отписан · № изменения: 3');
  });

  it('a service reason code reads as its sentence; free text, addresses and unknown keys stay as they are', () => {
    const ru = wordsIn('ru');
    expect(describeAuditDetails('{"by":"email","reason":"web.notRegistered"}', ru)).toBe(
      `найден: по эл. почте · причина: ${i18n.global.t('web.reasons.notRegistered')}`,
    );
    expect(describeAuditDetails('{"reason":"Жалоба абонента","sentTo":"a.b@example.kz","newKey":"x"}', ru)).toBe(
      'причина: Жалоба абонента · письмо на: a.b@example.kz · newKey: x',
    );
    expect(describeAuditDetails('not json', ru)).toBe('not json');
    expect(describeAuditDetails(null, ru)).toBe('');
  });

  it('names meters by serial and changes by value, not by internal ids', () => {
    const ru = wordsIn('ru');
    const changes: ChangeWhat[] = [
      { kind: 'reading', meter: '0012345', value: '00123,45', period: '2026-11', held: false },
      { kind: 'reading', meter: '0012346', value: '00045,10', period: '2026-11', held: false },
    ];
    expect(
      describeAuditEntry(
        entry('readings.submit', { seqs: [4, 5], meters: [2, 3] }, { changes, meters: ['0012345', '0012346'] }),
        ru,
      ),
    ).toBe('Счётчик 0012345: 00123,45 за 11.2026; Счётчик 0012346: 00045,10 за 11.2026');
    // The change is no longer on this desk: the meters by serial, still no ids.
    expect(describeAuditEntry(entry('readings.submit', { seqs: [4], meters: [2] }, { meters: ['0012345'] }), ru)).toBe(
      '№ изменений: 4 · счётчики: 0012345',
    );
  });

  it('names settings as the Settings screen does, old → new, a secret only as replaced', () => {
    const ru = wordsIn('ru');
    expect(describeAuditEntry(entry('settings.set', { keys: ['central', 'language'] }), ru)).toBe(
      'настройки: центральный сервис, язык',
    );
    expect(
      describeAuditEntry(
        entry('settings.set', {
          keys: ['idleLockMinutes', 'language', 'callCenterMode', 'central'],
          changes: [
            { setting: 'idleLockMinutes', from: 22, to: 15 },
            { setting: 'language', from: 'ru', to: 'kk' },
            { setting: 'callCenterMode', from: false, to: true },
            { setting: 'central.officeKey' },
          ],
        }),
        ru,
      ),
    ).toBe(
      'автоблокировка экрана, мин: 22 → 15; язык: Русский → Қазақша; режим колл-центра: выкл. → вкл.; ключ отделения: заменён',
    );
  });

  it('speaks Kazakh and English too', () => {
    expect(describeAuditDetails('{"reason":"badPassword","login":"call1"}', wordsIn('kk'))).toBe(
      'себебі: құпиясөз қате · логин: call1',
    );
    expect(describeAuditDetails('{"document":"breakdown","to":"x@y.kz"}', wordsIn('en'))).toBe(
      'document: charges breakdown · to: x@y.kz',
    );
    i18n.global.locale.value = 'ru';
  });

  it('a note put on or taken off an account reads by its kind and text, never its id', () => {
    const words = { ...wordsIn('ru'), change: changeWordsWith(i18n.global as never).what };
    const details = {
      seq: 7,
      noteId: '0b7f3c1e-4d2a-4c55-9a8e-2f0e6d1a9b31',
      noteKind: 'guardian',
      noteText: 'Иванова М. П.',
      addedBy: 'Петрова Анна',
    };
    const change: ChangeWhat = { kind: 'note', removed: true, noteKind: 'guardian', text: 'Иванова М. П.' };
    expect(describeAuditEntry(entry('accountNotes.remove', details, { changes: [change] }), words)).toBe(
      'Снята отметка: Опекун «Иванова М. П.» · добавил: Петрова Анна',
    );
    // The change no longer on this desk: the stored kind and text still say it, the id does not show.
    expect(describeAuditEntry(entry('accountNotes.remove', details), words)).not.toContain('0b7f3c1e');
  });
});
