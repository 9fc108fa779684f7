// Cross-screen requests the frame carries out: focus the global search (after saving in call-center
// mode), start the next call (clear everything and focus the search); and whether readings typed on
// the open account are not sent yet (leaving them asks first).
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useUiStore = defineStore('ui', () => {
  const focusSearchRequests = ref(0);
  const nextCallRequests = ref(0);
  const unsavedReadings = ref(0);
  return {
    focusSearchRequests,
    nextCallRequests,
    unsavedReadings,
    focusSearch: () => focusSearchRequests.value++,
    nextCall: () => nextCallRequests.value++,
  };
});
