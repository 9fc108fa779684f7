// Outbox changes in the operator's terms, for «Отправка» and the audit screen: a stored mutation's
// arguments (ids, litres) become the meter's serial, the value as that meter shows it (`00123,45`) and
// the period. Screens get only this description (`ChangeWhat`), so none of them decodes stored
// arguments or looks meters up per account. Why here: the main process has the meters table and the
// typed argument schemas; a renderer doing it needed a `readings.list` per account to show one line.
import { formatReading, type MeterFormat } from '../../../src-shared/readings/format';
import type { ContactChannel } from '../../../src-shared/schemas/contacts';
import type { NoteKind } from '../../../src-shared/schemas/notes';
import { mutationArgs, type MutationName } from '../../../src-shared/schemas/outbox';
import type { ChangeWhat } from '../../../src-shared/schemas/sync';
import type { Db } from '../../store/db';

interface MeterRow {
  serial: string;
  int_digits: number;
  frac_digits: number;
}

type TopicNames = { ru: string; kk: string; en: string };

interface NoteRow {
  kind: NoteKind;
  text: string | null;
}

/** A value in litres as a meter of `format` shows it; the meter unknown: 5 + 2 digits, as most are. */
const shown = (litres: number, format: MeterFormat | null) =>
  formatReading(litres, format ?? { intDigits: 5, fracDigits: 2 });

export function createChangeDescriber(db: Db) {
  const meterById = db.prepare<[number], MeterRow>('SELECT serial, int_digits, frac_digits FROM meters WHERE id = ?');

  const noteById = db.prepare<[string], NoteRow>('SELECT kind, text FROM account_notes WHERE id = ?');
  const addedNote = db.prepare<[string], NoteRow>(
    `SELECT json_extract(args, '$.kind') AS kind, json_extract(args, '$.text') AS text FROM outbox
      WHERE name = 'accountNotes.add' AND json_extract(args, '$.noteId') = ? ORDER BY seq DESC LIMIT 1`,
  );

  const contactChannel = db.prepare<[string], ContactChannel>('SELECT channel FROM contacts WHERE id = ?').pluck();
  const openedChannel = db
    .prepare<[string], ContactChannel>(
      `SELECT json_extract(args, '$.channel') FROM outbox
        WHERE name = 'contacts.open' AND json_extract(args, '$.contactId') = ? ORDER BY seq DESC LIMIT 1`,
    )
    .pluck();
  const topicById = db.prepare<[string], TopicNames>(
    'SELECT name_ru AS ru, name_kk AS kk, name_en AS en FROM contact_topics WHERE id = ?',
  );
  const savedTopic = db
    .prepare<[string], string>(
      `SELECT json_extract(args, '$.names') FROM outbox
        WHERE name = 'contactTopics.save' AND json_extract(args, '$.topicId') = ? ORDER BY seq DESC LIMIT 1`,
    )
    .pluck();
  /** A topic's names as the office holds them, else as this desk saved them (not yet synced). */
  function topicNames(id: string): TopicNames | null {
    const held = topicById.get(id);
    if (held) return held;
    const saved = savedTopic.get(id);
    return saved ? (JSON.parse(saved) as TopicNames) : null;
  }

  function meter(id: number): { serial: string | null; format: MeterFormat | null } {
    const row = meterById.get(id);
    return row
      ? { serial: row.serial, format: { intDigits: row.int_digits, fracDigits: row.frac_digits } }
      : { serial: null, format: null };
  }

  /** A stored change (its name and its arguments as JSON text) described; anything it cannot read is 'other'. */
  function describe(name: string, argsJson: string): ChangeWhat {
    let raw: unknown;
    try {
      raw = JSON.parse(argsJson);
    } catch {
      return { kind: 'other' };
    }
    if (!(name in mutationArgs)) return { kind: 'other' };
    const parsed = mutationArgs[name as MutationName].safeParse(raw);
    if (!parsed.success) return { kind: 'other' };
    switch (name as MutationName) {
      case 'readings.submit': {
        const a = parsed.data as ReturnType<(typeof mutationArgs)['readings.submit']['parse']>;
        const m = meter(a.meterId);
        return {
          kind: 'reading',
          meter: m.serial,
          value: shown(a.valueLitres, m.format),
          period: a.period,
          held: a.held,
        };
      }
      case 'readings.review': {
        const a = parsed.data as ReturnType<(typeof mutationArgs)['readings.review']['parse']>;
        const m = meter(a.meterId);
        return {
          kind: 'review',
          meter: m.serial,
          decision: a.decision,
          value: a.valueLitres === null ? null : shown(a.valueLitres, m.format),
        };
      }
      case 'meters.replace': {
        const a = parsed.data as ReturnType<(typeof mutationArgs)['meters.replace']['parse']>;
        return { kind: 'replace', meter: meter(a.meterId).serial, newSerial: a.newSerial, readOn: a.readOn };
      }
      case 'subscriptions.set': {
        const a = parsed.data as ReturnType<(typeof mutationArgs)['subscriptions.set']['parse']>;
        return { kind: 'subscription', subscribed: a.subscribed, email: a.email };
      }
      case 'accountNotes.add': {
        const a = parsed.data as ReturnType<(typeof mutationArgs)['accountNotes.add']['parse']>;
        return { kind: 'note', removed: false, noteKind: a.kind, text: a.text };
      }
      case 'accountNotes.remove': {
        // The note as the office holds it, else as this desk added it (not yet synced, or long gone: null).
        const a = parsed.data as ReturnType<(typeof mutationArgs)['accountNotes.remove']['parse']>;
        const note = noteById.get(a.noteId) ?? addedNote.get(a.noteId);
        return { kind: 'note', removed: true, noteKind: note?.kind ?? null, text: note?.text ?? null };
      }
      case 'contacts.open': {
        const a = parsed.data as ReturnType<(typeof mutationArgs)['contacts.open']['parse']>;
        return { kind: 'contact', closed: false, channel: a.channel, topic: null };
      }
      case 'contacts.close': {
        const a = parsed.data as ReturnType<(typeof mutationArgs)['contacts.close']['parse']>;
        const channel = contactChannel.get(a.contactId) ?? openedChannel.get(a.contactId) ?? null;
        return { kind: 'contact', closed: true, channel, topic: a.topicId ? topicNames(a.topicId) : null };
      }
      case 'contactTopics.save': {
        const a = parsed.data as ReturnType<(typeof mutationArgs)['contactTopics.save']['parse']>;
        return { kind: 'topic', names: a.names, active: a.active };
      }
      default:
        return { kind: 'other' };
    }
  }

  /** Meters by id as their serials (an id this desk no longer has stays a number, marked as such). */
  function serials(ids: readonly number[]): string[] {
    return ids.map((id) => meterById.get(id)?.serial ?? `#${id}`);
  }

  return { describe, serials };
}

export type ChangeDescriber = ReturnType<typeof createChangeDescriber>;
