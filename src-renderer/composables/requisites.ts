// The utility's requisites as the administrator edits them (Settings): the central service's
// (utility.get / utility.set), a draft copy to type into, the refused fields by path; a save goes to the
// service at once and, offline, is refused with the reason while nothing changes here.
import { onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import type { Requisites, UtilityState } from '../../src-shared/schemas/utility';
import { call } from '../api/client';
import { useErrors } from './errors';

export function useRequisites() {
  const { t } = useI18n();
  const message = useMessage();
  const errors = useErrors();
  const state = ref<UtilityState | null>(null);
  const draft = reactive<{ value: Requisites | null }>({ value: null });
  const fields = ref<Record<string, string>>({});
  const saving = ref(false);

  function take(next: UtilityState) {
    state.value = next;
    draft.value = JSON.parse(JSON.stringify(next.requisites)) as Requisites;
  }

  onMounted(async () => {
    try {
      take(await call('utility.get', {}));
    } catch (error) {
      errors.report(error);
    }
  });

  async function save() {
    if (!draft.value || saving.value) return;
    saving.value = true;
    fields.value = {};
    try {
      take(await call('utility.set', draft.value));
      message.success(t('utility.saved'));
    } catch (error) {
      fields.value = errors.fieldErrors(error);
      if (Object.keys(fields.value).length === 0) errors.report(error);
    } finally {
      saving.value = false;
    }
  }

  return { state, draft, fields, saving, save };
}
