// settings.get / settings.set: validated, defaulted, and announced to every open window.
// Three kinds of value live here: the office's settings (the administrator's), each operator's own
// preferences (language, call-center mode: every role, following the operator), and the desk's
// secrets (the office key, the SMTP password), which stay in this process: a window sees only
// whether one is set (the administrator also its last four characters) and may replace it.
import {
  isPersonalSetting,
  personalSettingsKeys,
  settingsDefaults,
  settingsKeys,
  settingsSchema,
  smtpStoredSchema,
  type Settings,
  type SettingsPatch,
  type SettingsResult,
  type SettingsView,
} from '../../src-shared/schemas/settings';
import { createSettingsRepo } from '../store/repos/settings';
import { createAuditRepo } from '../store/repos/audit';
import { secretsOf } from '../store/repos/secrets';
import type { CallContext, ServiceContext } from './context';
import { mayEditOfficeSettings } from '../../src-shared/access';

export interface InternalSettings {
  settings: Settings;
  ignored: string[];
}

/** Frozen all the way down: handed out to every caller as is, so none may change it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Secrets: an audit entry says that one was replaced, never its value. */
const SECRET_PATHS = new Set(['smtp.password', 'central.officeKey']);

/** A value's leaves by dotted path ('utility.name'); null or missing objects have none. */
function leaves(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, `${path}.${key}`, out);
  } else if (value !== undefined) out.set(path, value);
  return out;
}

/**
 * What a patch changed, leaf by leaf, for the audit trail: `{ setting, from, to }` (a secret only as
 * `{ setting }`: it was replaced). Values are the settings' own (numbers, words, addresses).
 */
export function settingChanges(
  before: Record<string, unknown>,
  patch: Record<string, unknown>,
): { setting: string; from?: unknown; to?: unknown }[] {
  const out: { setting: string; from?: unknown; to?: unknown }[] = [];
  for (const [key, next] of Object.entries(patch)) {
    if (next === undefined) continue;
    const old = leaves(before[key], key, new Map());
    const now = leaves(next, key, new Map());
    for (const path of new Set([...old.keys(), ...now.keys()])) {
      if (SECRET_PATHS.has(path)) {
        if (now.has(path)) out.push({ setting: path });
        continue;
      }
      const from = old.get(path) ?? null;
      const to = now.get(path) ?? null;
      if (JSON.stringify(from) !== JSON.stringify(to)) out.push({ setting: path, from, to });
    }
  }
  return out;
}

/** How stored values are checked: the relay and the service without their secrets (kept apart). */
const storedShape = {
  ...settingsSchema.shape,
  smtp: smtpStoredSchema.nullable(),
  central: settingsSchema.shape.central.omit({ officeKey: true }),
};

export function createSettingsService(ctx: ServiceContext) {
  const repo = createSettingsRepo(ctx.db);
  const audit = createAuditRepo(ctx.db);
  const secrets = () => secretsOf(ctx.db);
  const preferencesOf = ctx.db.prepare<[number], { key: string; value: string }>(
    'SELECT key, value FROM operator_preferences WHERE operator_id = ?',
  );
  const savePreference = ctx.db.prepare<[number, string, string]>(
    'INSERT INTO operator_preferences (operator_id, key, value) VALUES (?, ?, ?) ON CONFLICT(operator_id, key) DO UPDATE SET value = excluded.value',
  );

  // Read on almost every call (thresholds, the idle time, the central service's address): parsed once
  // and kept until `set`, the only writer while the app runs (a hand edit takes effect at the next start).
  let cached: InternalSettings | null = null;

  function read(): InternalSettings {
    if (cached) return cached;
    const stored = repo.readAll();
    const settings: Record<string, unknown> = structuredClone(settingsDefaults);
    const ignored: string[] = [];
    for (const key of settingsKeys) {
      const raw = stored.get(key);
      if (raw === undefined) continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        ignored.push(key);
        continue;
      }
      const parsed = storedShape[key].safeParse(value);
      if (parsed.success) settings[key] = parsed.data;
      else ignored.push(key);
    }
    const smtp = settings['smtp'] as Omit<NonNullable<Settings['smtp']>, 'password'> | null;
    if (smtp) settings['smtp'] = { ...smtp, password: secrets().get('smtp.password') ?? '' };
    settings['central'] = { ...(settings['central'] as object), officeKey: secrets().get('central.officeKey') ?? '' };
    cached = deepFreeze({ settings: settingsSchema.parse(settings), ignored });
    return cached;
  }

  /** The operator's own preferences over the desk's (a stored value that no longer parses is skipped). */
  function personal(
    operatorId: number | null | undefined,
  ): Partial<Pick<Settings, (typeof personalSettingsKeys)[number]>> {
    if (!operatorId) return {};
    const out: Record<string, unknown> = {};
    for (const row of preferencesOf.all(operatorId)) {
      if (!isPersonalSetting(row.key)) continue;
      try {
        const parsed = settingsSchema.shape[row.key].safeParse(JSON.parse(row.value));
        if (parsed.success) out[row.key] = parsed.data;
      } catch {
        // hand-edited nonsense: the desk's value applies
      }
    }
    return out;
  }

  /** What a window may see: secrets as "set" only; the key's last four for the administrator. */
  function view(call?: Pick<CallContext, 'operatorId' | 'role'>): SettingsResult {
    const { settings, ignored } = read();
    const { smtp, central } = settings;
    const key = central.officeKey;
    const shown: SettingsView = {
      ...settings,
      ...personal(call?.operatorId),
      smtp: smtp
        ? {
            host: smtp.host,
            port: smtp.port,
            secure: smtp.secure,
            user: smtp.user,
            from: smtp.from,
            trustRelayCertificate: smtp.trustRelayCertificate,
            passwordSet: smtp.password !== '',
          }
        : null,
      central: {
        url: central.url,
        officeKeySet: key !== '',
        officeKeyHint: call?.role && mayEditOfficeSettings(call.role) && key.length >= 8 ? key.slice(-4) : null,
      },
    };
    return { settings: shown, ignored, secretsProtected: secrets().protected };
  }

  return {
    /** The desk's settings with their secrets, for this process only. */
    get: read,
    view,
    set(patch: SettingsPatch, call?: CallContext): SettingsResult {
      const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
      // An operator's own preferences go with the operator; without one (tests, the command line), to the desk.
      const own = call?.operatorId ? entries.filter(([key]) => isPersonalSetting(key)) : [];
      const office = entries.filter((entry) => !own.includes(entry));
      // What this operator saw before: the office's values with their own preferences on top.
      const before: Record<string, unknown> = { ...read().settings, ...personal(call?.operatorId) };
      ctx.db.transaction(() => {
        for (const [key, value] of own) savePreference.run(call!.operatorId!, key, JSON.stringify(value));
        repo.writeMany(
          office.map(([key, value]) => {
            if (key === 'smtp' && value) {
              const { password, ...rest } = value as NonNullable<SettingsPatch['smtp']>;
              if (password !== undefined) secrets().set('smtp.password', password);
              return [key, rest];
            }
            if (key === 'smtp') secrets().set('smtp.password', null);
            if (key === 'central') {
              const { officeKey, ...rest } = value as NonNullable<SettingsPatch['central']>;
              if (officeKey !== undefined) secrets().set('central.officeKey', officeKey);
              return [key, rest];
            }
            return [key, value];
          }),
        );
        // Which settings changed, from what to what, and by whom; a secret (the SMTP password, the
        // office key) only as replaced, never its value.
        if (call)
          audit.record({
            at: ctx.now().toISOString(),
            operatorId: call.operatorId,
            accountId: null,
            operation: 'settings.set',
            result: 'ok',
            details: { keys: entries.map(([k]) => k), changes: settingChanges(before, Object.fromEntries(entries)) },
          });
      })();
      cached = null;
      // The office's change to every window (each reads its own view again); a preference to the operator's window.
      if (office.length) ctx.events.emit('settings.changed', view());
      else ctx.events.emit('settings.changed', view(call), call?.client ?? null);
      return view(call);
    },
  };
}
