// The contact log across desks: a contact begun and ended at a counter desk, with what was done during
// it collected by the desk, reaches the service (stamped with the desk's office) and from it the other
// desk of the office, never a desk of another office; bad input is refused with a reason and changes
// nothing; the service refuses a forged contact (another office's account or contact, a field the
// desk may not send, an unknown topic) even when it comes past the desk's checks.
import { afterEach, describe, expect, it } from 'vitest';
import { demoOffices } from '../../src-server/seed';
import type { Contact, ContactTopic } from '../../src-shared/schemas/contacts';
import { createOutboxRepo } from '../../src-main/store/repos/outbox';
import { PG_URL, postgresReachable, startCentral, type Central } from '../helpers/central';
import { openDesk, type Desk } from '../helpers/desk';

const pgUp = await postgresReachable();
if (!pgUp)
  console.log(`[skipped] contacts on PostgreSQL: nothing answers on ${new URL(PG_URL).host} (they run on PGlite only)`);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const contactsOf = async (desk: Desk, accountId: number) =>
  (await desk.call<{ contacts: Contact[] }>('contacts.list', { accountId })).contacts;
const firstAccount = (desk: Desk) =>
  desk.db.prepare<[], number>('SELECT id FROM accounts WHERE closed_on IS NULL ORDER BY id LIMIT 1').pluck().get()!;
const outboxSize = (desk: Desk) => desk.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;

async function threeDesks(kind: 'pglite' | 'postgres') {
  const central: Central = await startCentral(kind, { accounts: 120, months: 2, offices: demoOffices(2) });
  cleanups.push(() => central.close());
  const office = (i: 0 | 1) => central.offices[i]!.key;
  const counter = await openDesk(central, { login: 'kassa1', officeKey: office(0) }, cleanups);
  const supervisor = await openDesk(central, { login: 'senior', officeKey: office(0) }, cleanups);
  const elsewhere = await openDesk(central, { login: 'call2', officeKey: office(1) }, cleanups);
  await Promise.all([counter.sync(), supervisor.sync(), elsewhere.sync()]);
  return { central, counter, supervisor, elsewhere };
}

const seconds = (central: Central, s: number) => (central.now.value = new Date(central.now.value.getTime() + s * 1000));

for (const kind of ['pglite', 'postgres'] as const)
  describe.skipIf(kind === 'postgres' && !pgUp)(`contacts across desks on ${kind}`, () => {
    it('a visit with what was done in it reaches the service and the office’s other desk, not another office', async () => {
      const { central, counter, supervisor, elsewhere } = await threeDesks(kind);
      const accountId = firstAccount(counter);

      const { contact: opened } = (await counter.call('contacts.open', { channel: 'visit', accountId })) as {
        contact: { operatorName: string | null };
      };
      // The open contact names who has it, as the log's rows do.
      expect(opened.operatorName).toBeTruthy();
      seconds(central, 30);
      await counter.call('accountNotes.add', { accountId, kind: 'noLateCalls' });
      await counter.call('subscriptions.set', { accountId, subscribed: true, email: 'owner@example.kz' });
      seconds(central, 150);
      await counter.call('contacts.close', { topicId: 'debt', note: '  Принёс квитанцию за октябрь ' });

      // At the counter at once, waiting to be sent; what was done is in it, by itself.
      const [mine] = await contactsOf(counter, accountId);
      expect(mine).toMatchObject({
        channel: 'visit',
        topicId: 'debt',
        note: 'Принёс квитанцию за октябрь',
        state: 'pending',
      });
      expect(mine!.actions.map((a) => [a.kind, a.detail])).toEqual([
        ['noteAdded', 'noLateCalls'],
        ['subscription', 'subscribed'],
      ]);
      expect(Date.parse(mine!.endedAt!) - Date.parse(mine!.startedAt)).toBe(180_000);

      expect(await counter.sync()).toMatchObject({ pending: 0, rejected: 0 });
      const [row] = await central.db.query<{
        office_id: number;
        operator_id: number;
        topic_id: string;
        actions: string;
      }>('SELECT office_id, operator_id, topic_id, actions FROM contacts WHERE id = $1', [mine!.id]);
      expect(Number(row!.office_id)).toBe(central.offices[0]!.id);
      expect(Number(row!.operator_id)).toBe(counter.operatorId);
      expect(JSON.parse(row!.actions)).toHaveLength(2);
      expect((await contactsOf(counter, accountId))[0]!.state).toBe('applied');

      await supervisor.sync();
      const [seen] = await contactsOf(supervisor, accountId);
      expect(seen).toMatchObject({ id: mine!.id, topicId: 'debt', state: 'applied', actions: mine!.actions });
      expect(seen!.operatorName).toBeTruthy();
      await elsewhere.sync();
      expect(elsewhere.db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(0);
      // The topics are every office's.
      expect(elsewhere.db.prepare("SELECT name_kk FROM contact_topics WHERE id = 'debt'").pluck().get()).toBe(
        'Қарыз және төлем',
      );
    });

    it('refuses bad input with a reason and changes nothing; the service refuses forged contacts', async () => {
      const { central, counter, elsewhere } = await threeDesks(kind);
      const accountId = firstAccount(counter);
      await counter.call('contacts.open', { channel: 'phone' });
      const before = outboxSize(counter);
      const refused = async (input: unknown) => {
        const outcome = await counter.core.services.dispatch('contacts.close', input as never, {
          operatorId: counter.operatorId,
          role: counter.role,
        });
        expect(outcome.ok).toBe(false);
        return (outcome as { error: { code: string; details: { fields: { path: string; code: string }[] } } }).error;
      };
      expect((await refused({ note: 'a\u0000b' })).details.fields[0]).toMatchObject({ code: 'text.control' });
      expect((await refused({ note: 'a\ud800b' })).details.fields[0]).toMatchObject({ code: 'text.surrogate' });
      expect((await refused({ note: 'я'.repeat(501) })).details.fields[0]).toMatchObject({ path: 'note' });
      expect((await refused({ topicId: 'no-such-topic' })).details.fields[0]).toMatchObject({
        path: 'topicId',
        code: 'contact.unknownTopic',
      });
      expect((await refused({ officeId: 2 })).code).toBe('VALIDATION');
      expect(outboxSize(counter)).toBe(before);
      expect((await counter.call<{ contact: Contact | null }>('contacts.current', {})).contact).toMatchObject({
        channel: 'phone',
        state: 'open',
      });
      await counter.call('contacts.close', {});
      await counter.sync();
      const theirs = counter.db.prepare<[], string>('SELECT id FROM contacts LIMIT 1').pluck().get()!;

      // Past the desk's checks, written straight into another office's desk's outbox.
      const forge = createOutboxRepo(elsewhere.db);
      const at = central.now.value.toISOString();
      const id = '00000000-0000-4000-8000-000000000001';
      forge.enqueue(
        'contacts.open',
        { contactId: id, channel: 'phone', accountId, startedAt: at },
        null,
        elsewhere.operatorId,
        at,
      );
      forge.enqueue(
        'contacts.close',
        { contactId: theirs, endedAt: at, accountId: null, topicId: null, note: 'чужое', actions: [] },
        null,
        elsewhere.operatorId,
        at,
      );
      elsewhere.db
        .prepare(
          'INSERT INTO outbox (client_id, name, args, account_id, operator_id, created_at) SELECT client_id, name, ?, NULL, operator_id, created_at FROM outbox ORDER BY seq DESC LIMIT 1',
        )
        .run(
          JSON.stringify({
            contactId: '00000000-0000-4000-8000-000000000002',
            channel: 'phone',
            accountId: null,
            startedAt: at,
            officeId: central.offices[0]!.id,
          }),
        );
      elsewhere.db.prepare("UPDATE outbox SET name = 'contacts.open' WHERE seq = (SELECT max(seq) FROM outbox)").run();
      expect(await elsewhere.sync()).toMatchObject({ rejected: 3 });
      const codes = elsewhere.db
        .prepare("SELECT error_code FROM outbox WHERE name LIKE 'contacts.%' ORDER BY seq")
        .pluck()
        .all();
      expect(codes[0]).toBe('sync.notYourOffice');
      expect(codes[1]).toBe('sync.notYourOffice');
      expect(codes[2]).toMatch(/^sync\./);
      const held = await central.db.query<{ note: string | null }>('SELECT note FROM contacts ORDER BY id');
      expect(held.map((r) => r.note)).toEqual([null]);
    });

    it('a topic an administrator adds reaches every office; nobody else may change the list', async () => {
      const { central, counter, elsewhere } = await threeDesks(kind);
      const admin = await openDesk(central, { login: 'admin', officeKey: central.offices[0]!.key }, cleanups);
      await admin.sync();
      const names = { ru: 'Отключение воды', kk: 'Суды өшіру', en: 'Water cut off' };
      const saved = await admin.call<{ topics: ContactTopic[] }>('contactTopics.save', { names });
      const added = saved.topics.find((x) => x.names.ru === names.ru)!;
      expect(added).toMatchObject({ active: true, state: 'pending' });
      expect(await admin.sync()).toMatchObject({ pending: 0, rejected: 0 });
      await elsewhere.sync();
      const there = await elsewhere.call<{ topics: ContactTopic[] }>('contactTopics.list', {});
      expect(there.topics.find((x) => x.id === added.id)).toMatchObject({ names, state: 'applied' });

      // A counter operator is refused at the gate, and past it by the service, which knows the role.
      await counter.sync();
      const denied = await counter.core.services.gate('contactTopics.save', { names });
      expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const forged = await counter.core.services.dispatch(
        'contactTopics.save',
        { topicId: added.id, names: { ...names, ru: 'Чужое' } },
        { operatorId: counter.operatorId, role: null },
      );
      expect(forged.ok).toBe(true);
      expect(await counter.sync()).toMatchObject({ rejected: 1 });
      expect(counter.db.prepare("SELECT error_code FROM outbox WHERE name = 'contactTopics.save'").pluck().get()).toBe(
        'contact.topicsForbidden',
      );
      const [row] = await central.db.query<{ name_ru: string }>('SELECT name_ru FROM contact_topics WHERE id = $1', [
        added.id,
      ]);
      expect(row!.name_ru).toBe(names.ru);

      // Retired: no longer given to a contact, kept for the old ones.
      await admin.call('contactTopics.save', { topicId: added.id, names, active: false });
      await counter.call('contacts.open', { channel: 'email' });
      await admin.sync();
      await counter.sync();
      const closing = await counter.core.services.dispatch(
        'contacts.close',
        { topicId: added.id },
        { operatorId: counter.operatorId, role: counter.role },
      );
      expect(closing).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    });
  });
