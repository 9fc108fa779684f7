// App-wide state: the About information, the settings and the interface language.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo } from '../../src-shared/schemas/app';
import type { Language, Settings, SettingsPatch } from '../../src-shared/schemas/settings';
import { call, onEvent } from '../api/client';
import { applyLanguage, i18n } from '../i18n';

export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null);
  const settings = ref<Settings | null>(null);
  const ignoredSettings = ref<string[]>([]);
  const language = ref<Language>(i18n.global.locale.value as Language);

  function adopt(result: { settings: Settings; ignored: string[] }) {
    settings.value = result.settings;
    ignoredSettings.value = result.ignored;
    if (result.settings.language !== language.value) {
      language.value = result.settings.language;
      applyLanguage(language.value);
    }
  }

  async function load() {
    adopt(await call('settings.get', {}));
    onEvent('settings.changed', adopt);
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

  async function setLanguage(next: Language) {
    language.value = next;
    applyLanguage(next);
    await saveSettings({ language: next });
  }

  return { info, settings, ignoredSettings, language, load, loadInfo, saveSettings, setLanguage };
});
