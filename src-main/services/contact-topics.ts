// The topics of a contact (contactTopics.list / save): every office's short list in ru/kk/en, kept by
// an administrator. A change is a mutation through the outbox (the service checks the role again); the
// list is the replicated topics overlaid by this desk's changes not yet accepted.
import { randomUUID } from 'node:crypto';
import { mayCall } from '../../src-shared/access';
import { AppError } from '../../src-shared/errors';
import { MAX_TOPICS, type ContactTopic, type TopicNames } from '../../src-shared/schemas/contacts';
import type { MutationArgs } from '../../src-shared/schemas/outbox';
import { createAuditRepo } from '../store/repos/audit';
import { argsOf, createOutboxRepo } from '../store/repos/outbox';
import type { CallContext, ServiceContext } from './context';

interface TopicRow {
  id: string;
  name_ru: string;
  name_kk: string;
  name_en: string;
  active: number;
  position: number;
}

export function createContactTopics(ctx: ServiceContext) {
  const db = ctx.db;
  const outbox = createOutboxRepo(db);
  const audit = createAuditRepo(db);
  const replicated = db.prepare<[], TopicRow>(
    'SELECT id, name_ru, name_kk, name_en, active, position FROM contact_topics ORDER BY position, id',
  );

  function list(): { topics: ContactTopic[] } {
    const byId = new Map<string, ContactTopic>();
    for (const r of replicated.all())
      byId.set(r.id, {
        id: r.id,
        names: { ru: r.name_ru, kk: r.name_kk, en: r.name_en },
        active: r.active === 1,
        position: r.position,
        state: 'applied',
      });
    for (const row of outbox.open('contactTopics.save')) {
      const a = argsOf('contactTopics.save', row);
      byId.set(a.topicId, { id: a.topicId, names: a.names, active: a.active, position: a.position, state: 'pending' });
    }
    return { topics: [...byId.values()].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id)) };
  }

  /** A topic a contact may be given now (known and not retired). */
  const isActive = (topicId: string) => list().topics.some((t) => t.id === topicId && t.active);

  const writeSave = db.transaction(
    (args: MutationArgs<'contactTopics.save'>, operatorId: number | null, at: string) => {
      const seq = outbox.enqueue('contactTopics.save', args, null, operatorId, at);
      audit.record({
        at,
        operatorId,
        accountId: null,
        operation: 'contactTopics.save',
        result: 'ok',
        details: { seq, topicId: args.topicId, topic: args.names.ru, active: args.active },
      });
    },
  );

  function save(input: { topicId?: string; names: TopicNames; active: boolean }, call: CallContext) {
    if (call.role && !mayCall(call.role, 'contactTopics.save'))
      throw new AppError('FORBIDDEN', 'Only an administrator edits the topics', { reason: 'contact.topicsForbidden' });
    const topics = list().topics;
    const existing = input.topicId ? topics.find((t) => t.id === input.topicId) : undefined;
    if (input.topicId && !existing)
      throw new AppError('NOT_FOUND', 'No such topic', { reason: 'contact.unknownTopic' });
    if (!existing && topics.length >= MAX_TOPICS)
      throw new AppError('VALIDATION', 'Too many topics', {
        fields: [{ path: 'names', code: 'contact.tooManyTopics', message: `At most ${MAX_TOPICS}` }],
        max: MAX_TOPICS,
      });
    const position = existing?.position ?? Math.max(0, ...topics.map((t) => t.position)) + 10;
    writeSave(
      { topicId: existing?.id ?? randomUUID(), names: input.names, active: input.active, position },
      call.operatorId,
      ctx.now().toISOString(),
    );
    return list();
  }

  return { list, isActive, save };
}
