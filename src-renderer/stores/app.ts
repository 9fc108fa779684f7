// App-wide state: the About information, the settings and the interface language.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo } from '../../src-shared/schemas/app';
import type { Language, SettingsPatch, SettingsResult, SettingsView } from '../../src-shared/schemas/settings';
import { call, onEvent } from '../api/client';
import { applyLanguage, i18n } from '../i18n';

export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null);
  const settings = ref<SettingsView | null>(null);
  const ignoredSettings = ref<string[]>([]);
  /** false: this desk keeps its secrets unencrypted (the web shell): the administrator is told. */
  const secretsProtected = ref(true);
  const language = ref<Language>(i18n.global.locale.value as Language);

  function adopt(result: SettingsResult) {
    settings.value = result.settings;
    ignoredSettings.value = result.ignored;
    secretsProtected.value = result.secretsProtected;
    if (result.settings.language !== language.value) {
      language.value = result.settings.language;
      applyLanguage(language.value);
    }
  }

  /** Why the last read failed (null: the settings shown are the last ones read). */
  const loadError = ref<unknown>(null);
  let listening = false;
  /** Reads this window's view of the settings (again) and returns it. */
  async function load(): Promise<SettingsResult> {
    let result: SettingsResult;
    try {
      result = await call('settings.get', {});
    } catch (error) {
      loadError.value = error;
      throw error;
    }
    loadError.value = null;
    adopt(result);
    if (!listening) {
      listening = true;
      // A change made anywhere: this window reads its own view again (its operator's preferences on top).
      onEvent('settings.changed', () => void load().catch(() => undefined));
    }
    return result;
  }

  async function loadInfo() {
    info.value = await call('app.info', {});
    return info.value;
  }

  async function saveSettings(patch: SettingsPatch) {
    const result = await call('settings.set', patch);
    adopt(result);
    return result;
  }

  /** The SMTP test letter to `to`: sent, saved as a file (no SMTP set), or failed with its reason. */
  const testMail = (to: string) => call('mail.test', { to });
  /** Which office the typed (or this desk's) key belongs to at `url`, and its districts. */
  const testCentral = (url: string, officeKey?: string) =>
    call('settings.testCentral', { url, ...(officeKey !== undefined ? { officeKey } : {}) });

  async function setLanguage(next: Language) {
    language.value = next;
    applyLanguage(next);
    await saveSettings({ language: next });
  }

  return {
    info,
    settings,
    ignoredSettings,
    secretsProtected,
    language,
    loadError,
    load,
    loadInfo,
    saveSettings,
    setLanguage,
    testMail,
    testCentral,
  };
});
