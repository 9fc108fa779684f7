// An audit entry's details (stored as JSON for the service and the CSV) in the supervisor's words:
// «причина: неверный пароль · логин: call1». Known keys get their label, known values their word,
// a service's reason code its sentence; anything else is shown as it is, never dropped.
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
}

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

export function describeAuditDetails(raw: string | null, words: AuditWords): string {
  if (!raw) return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return plain(parsed);
  return Object.entries(parsed as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${words.label(key) ?? key}: ${valueText(key, value, words)}`)
    .join(' · ');
}
