// The Settings form saves only what the operator changed and never overwrites a change made meanwhile
// elsewhere: the case (idle lock 22 set through the API while the form showed 15, then only
// call-center mode toggled) keeps 22; a field changed on both sides is a conflict until decided.
import { describe, expect, it } from 'vitest';
import { settingsDefaults, type SettingsView } from '../../src-shared/schemas/settings';
import { changed, keepMine, patch, receive, start, takeTheirs } from '../../src-renderer/composables/settingsForm';

function view(overrides: Partial<SettingsView> = {}): SettingsView {
  const { smtp: _smtp, central: _central, ...rest } = settingsDefaults;
  return {
    ...structuredClone(rest),
    smtp: null,
    central: { url: '', officeKeySet: false, officeKeyHint: null },
    ...overrides,
  };
}

describe('the settings form', () => {
  it('sends only the changed field, and an untouched one follows a change made elsewhere (22 stays 22)', () => {
    const form = start(view({ idleLockMinutes: 15 }));
    form.draft.callCenterMode = true;
    expect(receive(form, view({ idleLockMinutes: 22 }))).toEqual([]);
    expect(form.draft.idleLockMinutes).toBe(22);
    expect(patch(form, true)).toEqual({ callCenterMode: true });
    expect(patch(form, false)).toEqual({ callCenterMode: true });
  });

  it('a field changed here and elsewhere is a conflict: not sent until the operator decides', () => {
    const form = start(view({ idleLockMinutes: 15 }));
    form.draft.idleLockMinutes = 30;
    form.draft.callCenterMode = true;
    expect(receive(form, view({ idleLockMinutes: 22 }))).toEqual(['idleLockMinutes']);
    expect(form.conflicts.get('idleLockMinutes')).toBe(22);
    expect(form.draft.idleLockMinutes).toBe(30);
    expect(patch(form, true)).toEqual({ callCenterMode: true });
    // The same event again is not a new conflict; the other side changing again updates it.
    expect(receive(form, view({ idleLockMinutes: 22 }))).toEqual([]);
    expect(receive(form, view({ idleLockMinutes: 25 }))).toEqual(['idleLockMinutes']);
    keepMine(form, 'idleLockMinutes');
    expect(patch(form, true)).toEqual({ callCenterMode: true, idleLockMinutes: 30 });
  });

  it('taking the other value ends the conflict and the field follows again', () => {
    const form = start(view({ idleLockMinutes: 15 }));
    form.draft.idleLockMinutes = 30;
    receive(form, view({ idleLockMinutes: 22 }));
    takeTheirs(form, 'idleLockMinutes');
    expect(form.draft.idleLockMinutes).toBe(22);
    expect(changed(form)).toEqual([]);
    receive(form, view({ idleLockMinutes: 40 }));
    expect(form.draft.idleLockMinutes).toBe(40);
  });

  it('both sides agreeing is no conflict', () => {
    const form = start(view({ idleLockMinutes: 15 }));
    form.draft.idleLockMinutes = 22;
    expect(receive(form, view({ idleLockMinutes: 22 }))).toEqual([]);
    expect(form.conflicts.size).toBe(0);
    expect(patch(form, true)).toEqual({});
  });

  it('one field of an object: the rest of it as it is now elsewhere, not as the form first read it', () => {
    const form = start(view());
    form.draft.utility.phone = '+7 727 111 11 11';
    const elsewhere = view({ utility: { ...settingsDefaults.utility, name: 'ГКП «Новое имя»' } });
    receive(form, elsewhere);
    expect(patch(form, true)).toEqual({
      utility: { ...settingsDefaults.utility, name: 'ГКП «Новое имя»', phone: '+7 727 111 11 11' },
    });
  });

  it('secrets go only when typed; an operator without the office settings sends only their own', () => {
    const form = start(view({ central: { url: 'https://a.example.kz', officeKeySet: true, officeKeyHint: '1234' } }));
    expect(form.draft.officeKey).toBeNull();
    expect(patch(form, true)).toEqual({});
    form.draft.officeKey = 'new-office-key';
    expect(patch(form, true)).toEqual({ central: { url: 'https://a.example.kz', officeKey: 'new-office-key' } });
    form.draft.idleLockMinutes = 30;
    form.draft.language = 'kk';
    expect(patch(form, false)).toEqual({ language: 'kk' });
  });
});
