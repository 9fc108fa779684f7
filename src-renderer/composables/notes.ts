// The account's notes and flags (accountNotes.*): the list in its header strip, read again when the
// account changes or a sync brought rows (another desk of the office added or removed one); adding one
// and, for a supervisor, removing one answer the account's list as it now is.
import { ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import {
  noteKinds,
  noteKindsWithText,
  type AccountNote,
  type AccountNotesList,
  type NoteKind,
} from '../../src-shared/schemas/notes';
import { call } from '../api/client';
import { useSyncStore } from '../stores/sync';
import { useErrors } from './errors';

/** The notes of the account on screen. */
export function useAccountNotes(accountId: () => number) {
  const errors = useErrors();
  const notes = ref<AccountNote[]>([]);
  async function load() {
    try {
      notes.value = (await call('accountNotes.list', { accountId: accountId() })).notes;
    } catch (error) {
      errors.report(error);
    }
  }
  watch(accountId, () => void load(), { immediate: true });
  const syncStore = useSyncStore();
  watch(
    () => syncStore.dataVersion,
    () => void load(),
  );
  return { notes, load };
}

/**
 * The notes dialog's form and its removals: the kind and text being typed, its complaint (`feedback`,
 * in words: a kind that needs a text without one is refused here), and `changed` with the account's
 * list as it now is after each add or remove.
 */
export function useNoteChanges(accountId: () => number, changed: (list: AccountNotesList) => void) {
  const { t } = useI18n();
  const errors = useErrors();
  const message = useMessage();
  const kind = ref<NoteKind>(noteKinds[0]);
  const text = ref('');
  const feedback = ref<string | null>(null);
  const busy = ref(false);

  async function add() {
    if (busy.value) return;
    feedback.value =
      noteKindsWithText.includes(kind.value) && !text.value.trim() ? t('note.reasons.textRequired') : null;
    if (feedback.value) return;
    busy.value = true;
    try {
      const list = await call('accountNotes.add', {
        accountId: accountId(),
        kind: kind.value,
        ...(text.value.trim() ? { text: text.value.trim() } : {}),
      });
      changed(list);
      message.success(t('note.added'));
      text.value = '';
    } catch (error) {
      const fields = errors.fieldErrors(error);
      feedback.value = fields['text'] ?? fields['kind'] ?? null;
      if (!feedback.value) errors.report(error);
    } finally {
      busy.value = false;
    }
  }

  async function remove(note: AccountNote) {
    try {
      changed(await call('accountNotes.remove', { accountId: accountId(), noteId: note.id }));
      message.success(t('note.removed'));
    } catch (error) {
      errors.report(error);
    }
  }

  return { kind, text, feedback, busy, add, remove };
}
