// Every kind of change the outbox carries is told in words on «Отправка» (and the audit screen), in
// ru, kk and en: the test enumerates the mutation names the outbox accepts (a new one without a sample
// here does not compile), enqueues one of each, and reads them back through `sync.pending`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeWordsWith } from '../../src-renderer/composables/change-words';
import { i18n } from '../../src-renderer/i18n';
import { mutationArgs, type MutationArgs, type MutationName } from '../../src-shared/schemas/outbox';
import type { OutboxChange } from '../../src-shared/schemas/sync';
import { createOutboxRepo } from '../../src-main/store/repos/outbox';
import { openDemoCore, type DemoCore } from '../fixtures/demo';

let demo: DemoCore;
beforeEach(async () => {
  demo = await openDemoCore();
});
afterEach(() => demo.cleanup());

const NOTE_ID = '0b7f3c1e-4d2a-4c55-9a8e-2f0e6d1a9b31';
const CONTACT_ID = '5d1c9e2a-7b3f-4e60-8a14-c2f9b0d3e7a5';

function samples(accountId: number, meterId: number): { [N in MutationName]: MutationArgs<N> } {
  return {
    'readings.submit': mutationArgs['readings.submit'].parse({
      accountId,
      meterId,
      period: '2026-11',
      valueLitres: 123_450,
      readOn: '2026-11-20',
      kind: 'normal',
    }),
    'readings.review': mutationArgs['readings.review'].parse({
      accountId,
      meterId,
      readingId: 1,
      decision: 'refuse',
      note: 'Не совпадает с фото',
    }),
    'subscriptions.set': { accountId, subscribed: true, email: 'owner@example.kz' },
    'accountNotes.add': { accountId, noteId: NOTE_ID, kind: 'guardian', text: 'Иванова М. П., дочь' },
    'accountNotes.remove': { accountId, noteId: NOTE_ID },
    'contacts.open': { contactId: CONTACT_ID, channel: 'phone', accountId, startedAt: '2026-11-20T05:58:00.000Z' },
    'contacts.close': {
      contactId: CONTACT_ID,
      endedAt: '2026-11-20T06:00:00.000Z',
      accountId,
      topicId: 'meter-seal',
      note: null,
      actions: [],
    },
    'contactTopics.save': {
      topicId: 'meter-seal',
      names: { ru: 'Пломба счётчика', kk: 'Есептегіш пломбасы', en: 'Meter seal' },
      active: true,
      position: 3,
    },
    'meters.replace': {
      accountId,
      meterId,
      period: '2026-11',
      readOn: '2026-11-20',
      finalLitres: 150_000,
      newSerial: 'NEW-0001',
      intDigits: 5,
      fracDigits: 2,
      installLitres: 0,
    },
  };
}

describe('every outbox change in words', () => {
  it('each mutation name the outbox accepts has a description and a name in ru, kk and en', async () => {
    const meter = demo.core.db
      .prepare<[], { id: number; account_id: number; serial: string }>(
        'SELECT id, account_id, serial FROM meters WHERE removed_on IS NULL ORDER BY id LIMIT 1',
      )
      .get()!;
    const all = samples(meter.account_id, meter.id);
    expect(Object.keys(all).sort()).toEqual(Object.keys(mutationArgs).sort());
    const outbox = createOutboxRepo(demo.core.db);
    for (const [name, args] of Object.entries(all))
      outbox.enqueue(name as MutationName, args as never, meter.account_id, 1, '2026-11-20T06:00:00.000Z');

    const outcome = await demo.core.services.dispatch('sync.pending', {}, { operatorId: 1, role: 'supervisor' });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    const { changes } = outcome.result as { changes: OutboxChange[] };
    expect(changes.map((c) => c.name).sort()).toEqual(Object.keys(mutationArgs).sort());
    for (const change of changes) expect(change.what.kind, change.name).not.toBe('other');

    const said: Record<string, string[]> = {};
    for (const language of ['ru', 'kk', 'en'] as const) {
      i18n.global.locale.value = language;
      const words = changeWordsWith(i18n.global as never);
      for (const change of changes) {
        const key = `outbox.names.${change.name.replace(/\./g, '_')}`;
        expect(i18n.global.te(key, language), `${key} in ${language}`).toBe(true);
        const text = words.what(change.what);
        expect(text, `${change.name} in ${language}`).toMatch(/\p{L}/u);
        expect(text).not.toMatch(/[{}]|outbox\.|note\./);
        (said[change.name] ??= []).push(text);
      }
    }
    i18n.global.locale.value = 'ru';
    // Three languages, three sentences (not one fallback), and the note by its kind and text, never its id.
    for (const [name, texts] of Object.entries(said)) expect(new Set(texts).size, name).toBe(3);
    expect(said['accountNotes.add']![0]).toBe('Отметка на счёте: Опекун «Иванова М. П., дочь»');
    expect(said['accountNotes.remove']![0]).toBe('Снята отметка: Опекун «Иванова М. П., дочь»');
    expect(said['accountNotes.remove']![2]).toBe('Note taken off: Guardian «Иванова М. П., дочь»');
    // A contact ended by its channel (from its start) and its topic in the operator's language.
    expect(said['contacts.close']).toEqual([
      'Обращение завершено: звонок, тема «Пломба счётчика»',
      'Өтініш аяқталды: қоңырау, тақырыбы «Есептегіш пломбасы»',
      'Contact ended: call, topic «Meter seal»',
    ]);
    expect(JSON.stringify(changes)).not.toContain(NOTE_ID);
  });

  it('a note removed that this desk no longer knows is said so, not by its id', async () => {
    const accountId = demo.core.db.prepare<[], number>('SELECT id FROM accounts ORDER BY id LIMIT 1').pluck().get()!;
    createOutboxRepo(demo.core.db).enqueue(
      'accountNotes.remove',
      { accountId, noteId: NOTE_ID },
      accountId,
      1,
      '2026-11-20T06:00:00.000Z',
    );
    const outcome = await demo.core.services.dispatch('sync.pending', {}, { operatorId: 1, role: 'supervisor' });
    const { changes } = (outcome as { result: { changes: OutboxChange[] } }).result;
    expect(changes[0]!.what).toEqual({ kind: 'note', removed: true, noteKind: null, text: null });
    i18n.global.locale.value = 'ru';
    expect(changeWordsWith(i18n.global as never).what(changes[0]!.what)).toBe(
      'Снята отметка: (отметки уже нет в данных)',
    );
  });
});
