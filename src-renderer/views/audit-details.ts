// An audit entry's details (stored as JSON for the service and the CSV) in the supervisor's words:
// «причина: неверный пароль · логин: call1», «Счётчик 0012345: 00123,45 за 11.2026», «автоблокировка
// экрана: 15 → 22». Known keys get their label, known values their word, a service's reason code its
// sentence; the changes and meters an entry names by internal id come described by the main process
// (`subjects`: serials, values) and replace those ids; a setting by its name, old → new. Anything
// else is shown as it is, never dropped.
import type { AuditEntry } from '../../src-shared/schemas/audit';
import type { ChangeWhat } from '../../src-shared/schemas/sync';

export interface AuditWords {
  /** `audit.detail.labels.<key>`, or null */
  label(key: string): string | null;
  /** `audit.detail.values.<key>.<value>`, or null */
  value(key: string, value: string): string | null;
  /** a service's reason `area.key` as its sentence, or null */
  reason(code: string): string | null;
  /** an operation's name (`readings.submit`) in words */
  operation(name: string): string;
  /** a role in words */
  role(role: string): string;
  /** a change the entry made, described (meter serial, value, period) */
  change?(what: ChangeWhat): string;
  /** a setting (`idleLockMinutes`, `utility.name`) by its name on the Settings screen */
  setting?(path: string): string;
  /** a setting's value in words (a language, on / off), or null to show it as it is */
  settingValue?(path: string, value: unknown): string | null;
  /** a sync event (`sync.resync`) with its details as one sentence, or null */
  event?(operation: string, details: Record<string, unknown>): string | null;
}

/** Internal identifiers a supervisor has no use for (the desk's identities, seq bounds). */
const TECHNICAL = new Set(['clientId', 'previousClientId', 'firstSeq', 'lastSeq', 'acknowledgedThrough', 'noteId']);
/** What a described change says already: its seq, meter, value and decision. */
const DESCRIBED_BY_CHANGE = new Set([
  'seq',
  'seqs',
  'meters',
  'meterId',
  'readingId',
  'decision',
  'newSerial',
  'noteKind',
  'noteText',
]);

function plain(value: unknown): string {
  if (Array.isArray(value)) return value.map(plain).join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function valueText(key: string, value: unknown, words: AuditWords): string {
  // Only word-like values are looked up (an address or a note is shown as typed).
  if (typeof value === 'boolean' || (typeof value === 'string' && /^[A-Za-z]+$/.test(value))) {
    const known = words.value(key, String(value));
    if (known) return known;
  }
  if (typeof value === 'string') {
    if (key === 'reason') return words.reason(value) ?? value;
    if (key === 'name') return words.operation(value);
    if (key === 'role') return words.role(value);
  }
  return plain(value);
}

function parse(raw: string | null): { object: Record<string, unknown> } | { text: string } {
  if (!raw) return { text: '' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { text: raw };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { text: plain(parsed) };
  return { object: parsed as Record<string, unknown> };
}

const shown = (value: unknown) => value !== null && value !== undefined && value !== '';

/** The details alone, key by key (no subjects known). */
export function describeAuditDetails(raw: string | null, words: AuditWords): string {
  const parsed = parse(raw);
  if ('text' in parsed) return parsed.text;
  return Object.entries(parsed.object)
    .filter(([, value]) => shown(value))
    .map(([key, value]) => `${words.label(key) ?? key}: ${valueText(key, value, words)}`)
    .join(' · ');
}

/** «автоблокировка экрана: 15 → 22»; a secret only as replaced. */
function settingChangeText(change: unknown, words: AuditWords): string | null {
  if (change === null || typeof change !== 'object') return null;
  const c = change as { setting?: unknown; from?: unknown; to?: unknown };
  if (typeof c.setting !== 'string') return null;
  const name = words.setting?.(c.setting) ?? c.setting;
  if (!('to' in c)) return `${name}: ${words.label('replaced') ?? 'replaced'}`;
  const side = (v: unknown) =>
    v === null || v === undefined || v === '' ? '—' : (words.settingValue?.(c.setting as string, v) ?? plain(v));
  return `${name}: ${side(c.from)} → ${side(c.to)}`;
}

/** A whole entry in words: its changes and meters as the operator knows them, its settings by name. */
export function describeAuditEntry(
  entry: Pick<AuditEntry, 'operation' | 'details' | 'subjects'>,
  words: AuditWords,
): string {
  const parsed = parse(entry.details);
  if ('text' in parsed) return parsed.text;
  const d = parsed.object;
  if (entry.operation.startsWith('sync.') && entry.operation !== 'sync.resolve') {
    const sentence = words.event?.(entry.operation, d);
    if (sentence) return sentence;
  }
  const parts: string[] = [];
  const changes = entry.subjects?.changes ?? [];
  const meters = entry.subjects?.meters ?? [];
  if (changes.length && words.change) parts.push(changes.map((c) => words.change!(c)).join('; '));
  for (const [key, value] of Object.entries(d)) {
    if (!shown(value) || TECHNICAL.has(key)) continue;
    if (changes.length && words.change && DESCRIBED_BY_CHANGE.has(key)) continue;
    if ((key === 'meters' || key === 'meterId') && meters.length) {
      parts.push(`${words.label(key) ?? key}: ${meters.join(', ')}`);
      continue;
    }
    if (entry.operation === 'settings.set' && key === 'changes' && Array.isArray(value)) {
      const said = value.map((c) => settingChangeText(c, words)).filter((c): c is string => !!c);
      if (said.length) parts.push(said.join('; '));
      continue;
    }
    if (entry.operation === 'settings.set' && key === 'keys' && Array.isArray(value)) {
      // Said by `changes` where the entry has them (older entries name only the keys).
      if (Array.isArray(d['changes']) && (d['changes'] as unknown[]).length) continue;
      parts.push(`${words.label(key) ?? key}: ${value.map((k) => words.setting?.(String(k)) ?? String(k)).join(', ')}`);
      continue;
    }
    parts.push(`${words.label(key) ?? key}: ${valueText(key, value, words)}`);
  }
  return parts.join(' · ');
}
