// settings.get / settings.set: validated, defaulted, and announced to every open window.
import {
  settingsDefaults,
  settingsKeys,
  settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../src-shared/schemas/settings';
import { createSettingsRepo } from '../store/repos/settings';
import type { ServiceContext } from './context';

export interface SettingsResult {
  settings: Settings;
  ignored: string[];
}

export function createSettingsService(ctx: ServiceContext) {
  const repo = createSettingsRepo(ctx.db);

  function read(): SettingsResult {
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
    return { settings: settingsSchema.parse(settings), ignored };
  }

  return {
    get: read,
    set(patch: SettingsPatch): SettingsResult {
      repo.writeMany(Object.entries(patch).filter(([, value]) => value !== undefined));
      const result = read();
      ctx.events.emit('settings.changed', result);
      return result;
    },
  };
}
