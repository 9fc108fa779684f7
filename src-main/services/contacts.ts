// The contact log («Обращения»): the contact each operator has open at this desk (contacts.current),
// begun by F4 in call-center mode or by opening an account at the counter (contacts.open, which ends the
// one before), ended with its topic and note (contacts.close). Both are mutations through the outbox, so
// they work offline and reach the office's other desks by sync; both are in the audit trail. What was
// done during a contact is collected in one place, `observe`, which the dispatcher calls after every
// operation that succeeded: no service has to know about contacts.
import { randomUUID } from 'node:crypto';
import type { OperationName } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import {
  MAX_CONTACT_ACTIONS,
  type Contact,
  type ContactAction,
  type ContactActionKind,
  type ContactChannel,
} from '../../src-shared/schemas/contacts';
import { createAuditRepo } from '../store/repos/audit';
import { createOutboxRepo } from '../store/repos/outbox';
import type { CallContext, ServiceContext } from './context';
import { OPERATOR_NAME } from './notes';
import type { createContactTopics } from './contact-topics';

interface CurrentRow {
  contact_id: string;
  channel: ContactChannel;
  account_id: number | null;
  started_at: string;
  actions: string;
}

type Noted = { kind: ContactActionKind; detail: string | null };
const WEB_ACTIONS = ['web.register', 'web.resend', 'web.reset', 'web.changeEmail', 'web.block', 'web.unblock'];

/** What an operation that succeeded did, as the contact records it (nothing for the rest). */
function noted(name: OperationName, input: Record<string, unknown>, result: Record<string, unknown>): Noted[] {
  switch (name) {
    case 'readings.submit': {
      const saved = (result['saved'] as { held: boolean }[] | undefined) ?? [];
      return [{ kind: saved.some((s) => s.held) ? 'readingHeld' : 'readingSubmitted', detail: null }];
    }
    case 'statements.print':
      return result['status'] === 'cancelled' ? [] : [{ kind: 'statementPrinted', detail: String(input['kind']) }];
    case 'statements.breakdownPdf':
      return [{ kind: 'statementSaved', detail: 'breakdown' }];
    case 'statements.reconciliationPdf':
      return [{ kind: 'statementSaved', detail: 'reconciliation' }];
    case 'mail.send':
      return [{ kind: 'statementEmailed', detail: String((input['document'] as { kind: string }).kind) }];
    case 'subscriptions.set':
      return [{ kind: 'subscription', detail: input['subscribed'] ? 'subscribed' : 'unsubscribed' }];
    case 'accountNotes.add':
      return [{ kind: 'noteAdded', detail: String(input['kind']) }];
    case 'meters.replace':
      return [{ kind: 'meterReplaced', detail: null }];
    default:
      return WEB_ACTIONS.includes(name) ? [{ kind: 'webAction', detail: name }] : [];
  }
}

export function createContactsService(ctx: ServiceContext, topics: ReturnType<typeof createContactTopics>) {
  const db = ctx.db;
  const outbox = createOutboxRepo(db);
  const audit = createAuditRepo(db);
  const accountNumber = db.prepare<[number], string>('SELECT number FROM accounts WHERE id = ?').pluck();
  const operatorName = db.prepare<{ id: number }, string | null>(`SELECT ${OPERATOR_NAME('@id')}`).pluck();
  const currentRow = db.prepare<[number], CurrentRow>(
    'SELECT contact_id, channel, account_id, started_at, actions FROM contact_current WHERE operator_id = ?',
  );
  const insertCurrent = db.prepare(
    "INSERT INTO contact_current (operator_id, contact_id, channel, account_id, started_at, actions) VALUES (?, ?, ?, ?, ?, '[]')",
  );
  const updateCurrent = db.prepare('UPDATE contact_current SET account_id = ?, actions = ? WHERE operator_id = ?');
  const deleteCurrent = db.prepare('DELETE FROM contact_current WHERE operator_id = ?');
  /** A desk-side print through the browser fetches the PDF next: that fetch is the print, not a save. */
  const browserPrints = new Map<number, string>();

  const operatorOf = (call: CallContext) => call.operatorId ?? 0;

  function toContact(row: CurrentRow, operatorId: number): Contact {
    return {
      id: row.contact_id,
      channel: row.channel,
      accountId: row.account_id,
      accountNumber: row.account_id === null ? null : (accountNumber.get(row.account_id) ?? null),
      operatorId: operatorId || null,
      operatorName: operatorId ? (operatorName.get({ id: operatorId }) ?? null) : null,
      startedAt: row.started_at,
      endedAt: null,
      topicId: null,
      note: null,
      actions: JSON.parse(row.actions) as ContactAction[],
      state: 'open',
    };
  }

  function current(call: CallContext): { contact: Contact | null } {
    const row = currentRow.get(operatorOf(call));
    return { contact: row ? toContact(row, operatorOf(call)) : null };
  }

  const writeClose = db.transaction(
    (row: CurrentRow, operatorId: number, topicId: string | null, note: string | null, at: string) => {
      const args = {
        contactId: row.contact_id,
        endedAt: at,
        accountId: row.account_id,
        topicId,
        note,
        actions: JSON.parse(row.actions) as ContactAction[],
      };
      const seq = outbox.enqueue('contacts.close', args, null, operatorId || null, at);
      deleteCurrent.run(operatorId);
      audit.record({
        at,
        operatorId: operatorId || null,
        accountId: row.account_id,
        operation: 'contacts.close',
        result: 'ok',
        details: { seq, contactId: row.contact_id, topicId, note, actions: args.actions.length },
      });
    },
  );

  function close(input: { topicId?: string | null; note?: string }, call: CallContext) {
    const row = currentRow.get(operatorOf(call));
    if (!row) throw new AppError('NOT_FOUND', 'No contact is open', { reason: 'contact.noneOpen' });
    const topicId = input.topicId ?? null;
    if (topicId !== null && !topics.isActive(topicId))
      throw new AppError('VALIDATION', 'The contact was not closed', {
        fields: [{ path: 'topicId', code: 'contact.unknownTopic', message: 'No such topic' }],
      });
    writeClose(row, operatorOf(call), topicId, input.note ? input.note : null, ctx.now().toISOString());
    browserPrints.delete(operatorOf(call));
    return { contact: null };
  }

  const writeOpen = db.transaction(
    (operatorId: number, contactId: string, channel: ContactChannel, accountId: number | null, at: string) => {
      const previous = currentRow.get(operatorId);
      if (previous) writeClose(previous, operatorId, null, null, at);
      const seq = outbox.enqueue(
        'contacts.open',
        { contactId, channel, accountId, startedAt: at },
        null,
        operatorId || null,
        at,
      );
      insertCurrent.run(operatorId, contactId, channel, accountId, at);
      audit.record({
        at,
        operatorId: operatorId || null,
        accountId,
        operation: 'contacts.open',
        result: 'ok',
        details: { seq, contactId, channel },
      });
    },
  );

  /** Begins a contact; the one open before (if any) ends without a topic. */
  function open(input: { channel: ContactChannel; accountId?: number }, call: CallContext) {
    const accountId = input.accountId ?? null;
    if (accountId !== null && !accountNumber.get(accountId))
      throw new AppError('NOT_FOUND', 'No such account', { accountId });
    browserPrints.delete(operatorOf(call));
    writeOpen(operatorOf(call), randomUUID(), input.channel, accountId, ctx.now().toISOString());
    return current(call);
  }

  /** After every operation that succeeded: what the operator did goes into their open contact. */
  function observe(name: OperationName, input: unknown, result: unknown, call: CallContext): void {
    if (call.operatorId === null) return;
    const row = currentRow.get(call.operatorId);
    if (!row) return;
    if (name === 'session.signOut') {
      // The operator leaves the desk: their contact ends now (no topic), not whenever they next sign in.
      writeClose(row, call.operatorId, null, null, ctx.now().toISOString());
      browserPrints.delete(call.operatorId);
      return;
    }
    const given = (input ?? {}) as Record<string, unknown>;
    const accountId = typeof given['accountId'] === 'number' ? given['accountId'] : null;
    let actions = noted(name, given, (result ?? {}) as Record<string, unknown>);
    if (name === 'statements.print' && (result as { status?: string })?.status === 'browser')
      browserPrints.set(call.operatorId, String(given['kind']));
    else if (actions[0]?.kind === 'statementSaved' && browserPrints.get(call.operatorId) === actions[0].detail) {
      browserPrints.delete(call.operatorId);
      actions = [];
    }
    // The account the contact is about: the first one opened or acted on during it.
    const account = row.account_id ?? (name === 'accounts.get' || actions.length ? accountId : null);
    if (!actions.length && account === row.account_id) return;
    const list = JSON.parse(row.actions) as ContactAction[];
    const at = ctx.now().toISOString();
    for (const a of actions) if (list.length < MAX_CONTACT_ACTIONS) list.push({ ...a, accountId, at });
    updateCurrent.run(account, JSON.stringify(list), call.operatorId);
  }

  return { current, open, close, observe };
}
