// The settings form of «Настройки», shared by the screen and its cards (provide/inject): the draft,
// what the last save refused, the conflicts with changes made meanwhile elsewhere, and save. A save
// sends only what was changed here (composables/settingsForm.ts); a field not touched here follows a
// change made elsewhere as it comes, and a field changed both here and elsewhere is a conflict for the
// operator to decide, never saved over the other change.
import { computed, inject, onMounted, provide, reactive, ref, watch, type InjectionKey } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import { mayEditOfficeSettings } from '../../src-shared/access';
import { languages } from '../../src-shared/schemas/settings';
import { useAppStore } from '../stores/app';
import { useSessionStore } from '../stores/session';
import { useErrors } from './errors';
import { onResume } from './resume';
import {
  fieldLabel,
  get,
  keepMine,
  patch,
  receive,
  start,
  takeTheirs,
  type Field,
  type FormState,
} from './settingsForm';

function createSettingsEditor() {
  const { t, te } = useI18n();
  const app = useAppStore();
  const session = useSessionStore();
  const errors = useErrors();
  const message = useMessage();

  const office = computed(() => !!session.operator && mayEditOfficeSettings(session.operator.role));
  const form = reactive<{ state: FormState | null }>({ state: null });
  const draft = computed(() => form.state?.draft ?? null);
  const feedback = ref<Record<string, string>>({});
  const saving = ref(false);

  watch(
    () => app.settings,
    (settings) => {
      if (!settings) return;
      if (!form.state) {
        form.state = start(settings);
        return;
      }
      // Another window, operator or the API changed something: untouched fields follow it; a field
      // changed here too becomes a conflict.
      if (receive(form.state, settings).length) message.warning(t('settings.conflictArrived'), { duration: 8000 });
    },
    { immediate: true },
  );

  /** Reads the settings again (at the first visit when the frame has none yet, after unlock). */
  async function reload() {
    try {
      await app.load();
    } catch (error) {
      errors.report(error);
    }
  }
  onMounted(() => {
    if (!app.settings) void reload();
  });
  onResume(() => void reload());

  /** A field changed elsewhere while changed here too: said under the field as well as at the top. */
  const conflictOf = (path: string) =>
    form.state?.conflicts.has(path as Field)
      ? t('settings.conflictHere', { theirs: shown(form.state.conflicts.get(path as Field)) })
      : undefined;
  const fb = (path: string) => feedback.value[path] ?? conflictOf(path);
  const status = (path: string) => (feedback.value[path] ? 'error' : conflictOf(path) ? 'warning' : undefined);

  /** A field's value in words, for the conflict line. */
  function shown(value: unknown): string {
    if (typeof value === 'boolean') return t(value ? 'settings.valueOn' : 'settings.valueOff');
    if (value === null || value === undefined || value === '') return t('settings.valueEmpty');
    if (typeof value === 'string' && (languages as readonly string[]).includes(value))
      return t(`shell.languages.${value}`);
    return String(value);
  }
  const conflicts = computed(() =>
    form.state
      ? [...form.state.conflicts].map(([field, theirs]) => ({
          field,
          label: te(fieldLabel(field)) ? t(fieldLabel(field)) : field,
          theirs: shown(theirs),
          mine: shown(get(form.state!.draft, field)),
        }))
      : [],
  );
  const take = (field: Field) => form.state && takeTheirs(form.state, field);
  const keep = (field: Field) => form.state && keepMine(form.state, field);

  /** The idle lock is 1..480 whole minutes (an emptied field is null until it is filled again). */
  const idleLockValid = (minutes: number | null) =>
    minutes !== null && Number.isInteger(minutes) && minutes >= 1 && minutes <= 480;

  async function save() {
    const state = form.state;
    if (!state || saving.value) return;
    feedback.value = {};
    if (office.value && !idleLockValid(state.draft.idleLockMinutes)) {
      feedback.value = { idleLockMinutes: t('settings.checks.idleLockMinutes') };
      message.error(t('errors.VALIDATION'));
      document.querySelector<HTMLInputElement>('[data-test="idle-lock-minutes"]')?.focus();
      return;
    }
    saving.value = true;
    try {
      // The settings as they are now, not as the last event said: a change that has not reached this
      // window yet is a conflict too, never overwritten.
      const latest = await app.load();
      if (receive(state, latest.settings).length) {
        message.warning(t('settings.conflictArrived'), { duration: 8000 });
        return;
      }
      const changes = patch(state, office.value);
      if (Object.keys(changes).length) await app.saveSettings(changes);
      // Typed secrets are now the desk's: the form shows them as kept again.
      state.draft.smtpPassword = app.settings?.smtp?.passwordSet ? null : '';
      state.draft.officeKey = app.settings?.central.officeKeySet ? null : '';
      if (state.conflicts.size) message.warning(t('settings.savedExceptConflicts'));
      else message.success(t('common.saved'));
    } catch (error) {
      feedback.value = errors.fieldErrors(error);
      if (feedback.value['idleLockMinutes']) feedback.value['idleLockMinutes'] = t('settings.checks.idleLockMinutes');
      errors.report(error);
    } finally {
      saving.value = false;
    }
  }

  /** Something typed or switched here that a save would send. */
  const unsaved = computed(() => !!form.state && Object.keys(patch(form.state, office.value)).length > 0);

  return { office, draft, feedback, saving, unsaved, conflicts, fb, status, take, keep, save, reload };
}

export type SettingsEditor = ReturnType<typeof createSettingsEditor>;
const KEY: InjectionKey<SettingsEditor> = Symbol('settings editor');

/** Made by the screen; its cards reach it with useSettingsEditor(). */
export function provideSettingsEditor(): SettingsEditor {
  const editor = createSettingsEditor();
  provide(KEY, editor);
  return editor;
}

export function useSettingsEditor(): SettingsEditor {
  const editor = inject(KEY);
  if (!editor) throw new Error('useSettingsEditor() outside «Настройки»');
  return editor;
}
