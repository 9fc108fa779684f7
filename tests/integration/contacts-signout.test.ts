// Signing out ends the contact the operator has open: it is closed then, without a topic, and sent
// like any other; the next sign-in starts with no contact rather than one that «lasted» all night.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Contact } from '../../src-shared/schemas/contacts';
import { openDemoCore, type DemoCore } from '../fixtures/demo';

let demo: DemoCore;
beforeEach(async () => {
  demo = await openDemoCore(60, 1);
});
afterEach(() => demo.cleanup());

const counter = { operatorId: 1, role: 'counter' as const };
async function ok<T>(op: string, input: unknown): Promise<T> {
  const outcome = await demo.core.services.dispatch(op as never, input as never, counter);
  if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.result as T;
}

it('signing out closes the open contact without a topic and queues it for the service', async () => {
  const accountId = demo.core.db.prepare<[], number>('SELECT id FROM accounts ORDER BY id LIMIT 1').pluck().get()!;
  const { contact } = await ok<{ contact: Contact }>('contacts.open', { channel: 'visit', accountId });
  await ok('session.signOut', {});

  expect(await ok('contacts.current', {})).toEqual({ contact: null });
  const { contacts } = await ok<{ contacts: Contact[] }>('contacts.list', { accountId });
  expect(contacts).toHaveLength(1);
  expect(contacts[0]).toMatchObject({ id: contact.id, topicId: null, state: 'pending' });
  expect(contacts[0]!.endedAt).not.toBeNull();
  const queued = demo.core.db
    .prepare<[], string>("SELECT name FROM outbox WHERE name LIKE 'contacts.%' ORDER BY seq")
    .pluck()
    .all();
  expect(queued).toEqual(['contacts.open', 'contacts.close']);
});
