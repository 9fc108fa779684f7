// The capability table (src-shared/access.ts) is the only place roles are written down: every
// operation of the contract has its entry, every screen its operation, and what the desk's gate, the
// service and the screens ask of it agrees with the user guide's table of roles.
import { describe, expect, it } from 'vitest';
import {
  ACCESS,
  canOpen,
  isPassive,
  isPublic,
  mayCall,
  mayEditOfficeSettings,
  rolesFor,
  SCREENS,
  worksOnFirstRun,
  worksWhileLocked,
} from '../../src-shared/access';
import { operationNames } from '../../src-shared/contract';
import { roles } from '../../src-shared/schemas/operators';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

describe('the capability table', () => {
  it('has an entry for every operation of the contract, and none for an operation that does not exist', () => {
    expect(Object.keys(ACCESS).sort()).toEqual([...operationNames].sort());
    for (const screen of Object.values(SCREENS)) if (screen) expect(operationNames).toContain(screen);
  });

  it('says what works before sign-in, while locked and on a fresh install', () => {
    expect(operationNames.filter(isPublic).sort()).toEqual(['app.info', 'session.get', 'session.signIn']);
    expect(operationNames.filter(worksWhileLocked).sort()).toEqual([
      'session.signOut',
      'session.unlock',
      'sync.status',
    ]);
    expect(operationNames.filter(worksOnFirstRun)).toEqual(['desk.enroll']);
    // «Рассылка» follows its job every second: that poll is not the operator at the PC; nor is the
    // contact bar reading its contact again after the operator's own calls.
    expect(operationNames.filter(isPassive).sort()).toEqual([
      'app.info',
      'contacts.current',
      'mailing.status',
      'session.get',
      'sync.status',
    ]);
  });

  it('gives each role what the user guide says', () => {
    const may = (role: (typeof roles)[number]) => operationNames.filter((name) => mayCall(role, name)).length;
    expect(may('admin')).toBe(operationNames.length); // the administrator may do everything
    expect(may('counter')).toBe(may('callcenter'));
    expect(may('supervisor')).toBeLessThan(may('admin'));
    expect(rolesFor('web.block')).toEqual(['supervisor', 'admin']);
    expect(rolesFor('operators.create')).toEqual(['admin']);
    expect(mayCall('callcenter', 'readings.review')).toBe(false);
    expect(mayCall('supervisor', 'readings.review')).toBe(true);
    // One's own preferences are anyone's; the office's settings the administrator's.
    expect(mayCall('callcenter', 'settings.set', { language: 'kk' })).toBe(true);
    expect(mayCall('callcenter', 'settings.set', { language: 'kk', idleLockMinutes: 5 })).toBe(false);
    expect(mayEditOfficeSettings('admin')).toBe(true);
    expect(mayEditOfficeSettings('supervisor')).toBe(false);
    expect(canOpen('counter', 'audit')).toBe(false);
    expect(canOpen('supervisor', 'audit')).toBe(true);
    expect(canOpen('supervisor', 'operators')).toBe(true);
    expect(canOpen(null, 'search')).toBe(false);
  });

  it('is the only place roles are compared: no screen, service or route names a role itself', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|vue)$/.test(entry.name) && !path.includes('i18n')) {
          const text = readFileSync(path, 'utf8');
          // role === 'admin', role !== 'supervisor', ['admin', 'supervisor'], can('supervisor', …)
          if (
            /role\s*[!=]==\s*'(admin|supervisor|counter|callcenter)'|\[\s*'(admin|supervisor)'\s*,\s*'(admin|supervisor)'\s*\]|\.can\(\s*'(admin|supervisor)'/.test(
              text,
            )
          )
            offenders.push(path);
        }
      }
    };
    for (const dir of ['src-main', 'src-renderer', 'src-server']) walk(dir);
    expect(offenders).toEqual([]);
  });
});
