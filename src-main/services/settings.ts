// settings.get / settings.set: validated, defaulted, and announced to every open window.
import {
  settingsDefaults,
  settingsKeys,
  settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../src-shared/schemas/settings';
import { createSettingsRepo } from '../store/repos/settings';
import { createAuditRepo } from '../store/repos/audit';
import type { CallContext, ServiceContext } from './context';

export interface SettingsResult {
  settings: Settings;
  ignored: string[];
}

export function createSettingsService(ctx: ServiceContext) {
  const repo = createSettingsRepo(ctx.db);
  const audit = createAuditRepo(ctx.db);

  // Read on almost every call (thresholds, the idle time, the central service's address): parsed once
  // and kept until `set`, the only writer while the app runs (a hand edit takes effect at the next start).
  let cached: SettingsResult | null = null;

  /** Frozen all the way down: handed out to every caller as is, so none may change it. */
  function deepFreeze<T>(value: T): T {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const inner of Object.values(value)) deepFreeze(inner);
    }
    return value;
  }

  function read(): SettingsResult {
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
      const parsed = settingsSchema.shape[key].safeParse(value);
      if (parsed.success) settings[key] = parsed.data;
      else ignored.push(key);
    }
    cached = deepFreeze({ settings: settingsSchema.parse(settings), ignored });
    return cached;
  }

  return {
    get: read,
    set(patch: SettingsPatch, call?: CallContext): SettingsResult {
      const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
      ctx.db.transaction(() => {
        repo.writeMany(entries);
        // Which settings changed and by whom; never their values (the SMTP password, the office key).
        if (call) audit.record({ at: ctx.now().toISOString(), operatorId: call.operatorId, accountId: null, operation: 'settings.set', result: 'ok', details: { keys: entries.map(([k]) => k) } });
      })();
      cached = null;
      const result = read();
      ctx.events.emit('settings.changed', result);
      return result;
    },
  };
}
