// Notes and flags on an account: added at one desk (at once, offline too), synced through the outbox to
// the service and from it to the office's other desks (not to another office's), removed only by a
// supervisor — a counter operator is refused at the desk's gate and, with a hand-made change, by the
// service, which knows the operator's role — and every change is in the audit trail.
import { afterEach, describe, expect, it } from 'vitest';
import { demoOffices } from '../../src-server/seed';
import type { AccountNotesList } from '../../src-shared/schemas/notes';
import { PG_URL, postgresReachable, startCentral, type Central } from '../helpers/central';
import { openDesk, type Desk } from '../helpers/desk';

const pgUp = await postgresReachable();
if (!pgUp)
  console.log(
    `[skipped] account notes on PostgreSQL: nothing answers on ${new URL(PG_URL).host} (they run on PGlite only)`,
  );

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const notesOf = (desk: Desk, accountId: number) => desk.call<AccountNotesList>('accountNotes.list', { accountId });
const GUARDIAN = 'Иванова Әлия Қ., дочь, +7 701 111 22 33';

for (const kind of ['pglite', 'postgres'] as const)
  describe.skipIf(kind === 'postgres' && !pgUp)(`account notes across desks on ${kind}`, () => {
    let central: Central;

    it('added at one desk, on the office’s other desk after sync; only a supervisor removes one; audited', async () => {
      central = await startCentral(kind, { accounts: 120, months: 2, offices: demoOffices(2) });
      cleanups.push(() => central.close());
      const office = (i: 0 | 1) => central.offices[i]!.key;
      const counter = await openDesk(central, { login: 'kassa1', officeKey: office(0) }, cleanups);
      const supervisor = await openDesk(central, { login: 'senior', officeKey: office(0) }, cleanups);
      const elsewhere = await openDesk(central, { login: 'call2', officeKey: office(1) }, cleanups);
      await Promise.all([counter.sync(), supervisor.sync(), elsewhere.sync()]);
      const accountId = counter.db
        .prepare<[], number>('SELECT id FROM accounts WHERE closed_on IS NULL ORDER BY id LIMIT 1')
        .pluck()
        .get()!;

      // At the counter: shown at once, waiting to be sent; a guardian needs a name.
      await counter.call('accountNotes.add', { accountId, kind: 'noLateCalls' });
      const added = await counter.call<AccountNotesList>('accountNotes.add', {
        accountId,
        kind: 'guardian',
        text: `  ${GUARDIAN} `,
      });
      expect(added.notes.map((n) => [n.kind, n.text, n.state])).toEqual([
        ['noLateCalls', null, 'pending'],
        ['guardian', GUARDIAN, 'pending'],
      ]);
      const refused = await counter.core.services.dispatch(
        'accountNotes.add',
        { accountId, kind: 'guardian' },
        { operatorId: counter.operatorId, role: counter.role },
      );
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', details: { fields: [{ path: 'text', code: 'note.textRequired' }] } },
      });

      // Synced: the service holds both (by whom, in the account's district), the other desk of the office shows them.
      expect(await counter.sync()).toMatchObject({ state: 'online', pending: 0, rejected: 0 });
      const rows = await central.db.query<{
        kind: string;
        text: string | null;
        created_by: number;
        district_id: number;
      }>(
        'SELECT kind, text, created_by, district_id FROM account_notes WHERE account_id = $1 ORDER BY created_at, version',
        [accountId],
      );
      const district = counter.db
        .prepare<[number], number>('SELECT district_id FROM accounts WHERE id = ?')
        .pluck()
        .get(accountId)!;
      expect(rows.map((r) => ({ ...r, created_by: Number(r.created_by), district_id: Number(r.district_id) }))).toEqual(
        [
          { kind: 'noLateCalls', text: null, created_by: counter.operatorId, district_id: district },
          { kind: 'guardian', text: GUARDIAN, created_by: counter.operatorId, district_id: district },
        ],
      );
      expect((await notesOf(counter, accountId)).notes.map((n) => n.state)).toEqual(['applied', 'applied']);
      await supervisor.sync();
      const seen = await notesOf(supervisor, accountId);
      const kassa = supervisor.db
        .prepare<[number], string>('SELECT full_name FROM operators WHERE id = ?')
        .pluck()
        .get(counter.operatorId!)!;
      expect(seen.notes.map((n) => [n.kind, n.text, n.by, n.state])).toEqual([
        ['noLateCalls', null, kassa, 'applied'],
        ['guardian', GUARDIAN, kassa, 'applied'],
      ]);
      // Another office's desk never receives them.
      await elsewhere.sync();
      expect(elsewhere.db.prepare('SELECT count(*) FROM account_notes').pluck().get()).toBe(0);

      // A counter operator cannot remove one: refused at the gate (and written down as refused) ...
      const guardian = seen.notes.find((n) => n.kind === 'guardian')!;
      const denied = await counter.core.services.gate('accountNotes.remove', { accountId, noteId: guardian.id });
      expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(
        counter.db
          .prepare("SELECT result FROM audit_log WHERE operation = 'accountNotes.remove' ORDER BY id DESC")
          .pluck()
          .get(),
      ).toBe('denied');
      // ... and a removal made past the gate is refused by the service, which knows the role.
      const forged = await counter.core.services.dispatch(
        'accountNotes.remove',
        { accountId, noteId: guardian.id },
        { operatorId: counter.operatorId, role: null },
      );
      expect(forged.ok).toBe(true);
      expect(await counter.sync()).toMatchObject({ rejected: 1 });
      expect(counter.db.prepare("SELECT error_code FROM outbox WHERE name = 'accountNotes.remove'").pluck().get()).toBe(
        'note.removeForbidden',
      );
      expect(
        (
          await central.db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM account_notes WHERE account_id = $1 AND removed_at IS NULL',
            [accountId],
          )
        )[0]!.n,
      ).toBe(2);
      expect((await notesOf(counter, accountId)).notes).toHaveLength(2);

      // The supervisor removes it: gone from the strip at once, kept on the service with who and when, gone at the counter after sync.
      const removed = await supervisor.core.services.gate('accountNotes.remove', { accountId, noteId: guardian.id });
      expect(removed.ok).toBe(true);
      expect((await notesOf(supervisor, accountId)).notes.map((n) => n.kind)).toEqual(['noLateCalls']);
      expect(await supervisor.sync()).toMatchObject({ pending: 0, rejected: 0 });
      const kept = await central.db.query<{ removed_by: number; removed_at: string }>(
        'SELECT removed_by, removed_at FROM account_notes WHERE id = $1',
        [guardian.id],
      );
      expect(Number(kept[0]!.removed_by)).toBe(supervisor.operatorId);
      expect(kept[0]!.removed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      await counter.sync();
      expect((await notesOf(counter, accountId)).notes.map((n) => n.kind)).toEqual(['noLateCalls']);

      // Audited at each desk, with the note's kind and text, and uploaded to the service's audit.
      const trail = (desk: Desk) =>
        desk.db
          .prepare<[], { operation: string; result: string; details: string }>(
            "SELECT operation, result, details FROM audit_log WHERE operation LIKE 'accountNotes.%' AND result = 'ok' ORDER BY id",
          )
          .all();
      expect(trail(counter).map((e) => [e.operation, JSON.parse(e.details).noteKind])).toEqual([
        ['accountNotes.add', 'noLateCalls'],
        ['accountNotes.add', 'guardian'],
        ['accountNotes.remove', 'guardian'],
      ]);
      expect(trail(supervisor).map((e) => [e.operation, JSON.parse(e.details).noteText])).toEqual([
        ['accountNotes.remove', GUARDIAN],
      ]);
      const uploaded = await central.db.query<{ operation: string; operator_id: number }>(
        "SELECT operation, operator_id FROM server_audit WHERE operation LIKE 'accountNotes.%' AND result = 'ok' ORDER BY operation, operator_id",
      );
      expect(uploaded.map((r) => [r.operation, Number(r.operator_id)])).toEqual([
        ['accountNotes.add', counter.operatorId],
        ['accountNotes.add', counter.operatorId],
        ['accountNotes.remove', counter.operatorId],
        ['accountNotes.remove', supervisor.operatorId],
      ]);

      // A note added and removed before the desk syncs: one push, both applied, the row kept as removed.
      const quick = await supervisor.call<AccountNotesList>('accountNotes.add', {
        accountId,
        kind: 'disputedDebt',
        text: 'оспаривает начисление за август',
      });
      const debt = quick.notes.find((n) => n.kind === 'disputedDebt')!;
      await supervisor.call('accountNotes.remove', { accountId, noteId: debt.id });
      expect(await supervisor.sync()).toMatchObject({ pending: 0, rejected: 0 });
      const debtRow = await central.db.query<{ removed_by: number | null }>(
        'SELECT removed_by FROM account_notes WHERE id = $1',
        [debt.id],
      );
      expect(Number(debtRow[0]!.removed_by)).toBe(supervisor.operatorId);
    });
  });
