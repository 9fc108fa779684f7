// The shortcuts that act on the screen behind a dialog or a drop-down ask overlayOpen() first: a
// dialog counts while it shows and until its component goes, a select's menu while it is open, and
// selects in a loop (the readings' kinds) never uncount each other.
import { describe, expect, it } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { overlayOpen, useMenuOverlay, useOverlay } from '../../src-renderer/composables/overlays';

describe('open overlays', () => {
  it('a dialog counts while it shows, and no longer once its component is gone', async () => {
    const show = ref(false);
    const scope = effectScope();
    scope.run(() => useOverlay(() => show.value));
    expect(overlayOpen()).toBe(false);
    show.value = true;
    await nextTick();
    expect(overlayOpen()).toBe(true);
    show.value = false;
    await nextTick();
    expect(overlayOpen()).toBe(false);
    show.value = true;
    await nextTick();
    scope.stop();
    expect(overlayOpen()).toBe(false);
  });

  it('a dialog shown from the start counts at once', () => {
    const scope = effectScope();
    scope.run(() => useOverlay(() => true));
    expect(overlayOpen()).toBe(true);
    scope.stop();
    expect(overlayOpen()).toBe(false);
  });

  it('menus in a loop: one closing after the next opened leaves the next counted', () => {
    const scope = effectScope();
    const menuShown = scope.run(() => useMenuOverlay())!;
    menuShown(true, 0);
    menuShown(true, 1);
    menuShown(false, 0);
    expect(overlayOpen()).toBe(true);
    menuShown(false, 1);
    expect(overlayOpen()).toBe(false);
    menuShown(true);
    scope.stop();
    expect(overlayOpen()).toBe(false);
  });
});
