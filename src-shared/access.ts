// The one capability table: for every operation of the contract, who may call it — before sign-in,
// any signed-in operator, or only some roles — and whether it works while the screen is locked; the
// screens of the menu with the operation each needs; and the few finer capabilities a screen asks
// about. The desk's access gate, the central service's role checks (operators, web-account blocks),
// the menu, the routes and the buttons of every screen read this table and nothing else, so they
// agree with each other and with the user guide. `satisfies Record<OperationName, …>` makes a new
// operation without an entry a compile error (and tests/unit/access.test.ts checks it at run time).
import type { OperationName } from './contract';
import { roles, type Role } from './schemas/operators';
import { isPersonalSetting } from './schemas/settings';

const EVERYONE: readonly Role[] = roles;
const SUPERVISION: readonly Role[] = ['supervisor', 'admin'];
const ADMINISTRATION: readonly Role[] = ['admin'];

export interface Access {
  /** 'public': works before anyone signs in; otherwise the roles of the signed-in operator that may */
  who: 'public' | readonly Role[];
  /** works while the screen is locked */
  whileLocked?: true;
  /** polled by the frame: not a sign that the operator is at the PC (does not delay the idle lock) */
  passive?: true;
  /** also works with nobody signed in while the desk is a fresh install (its first-run enrolment) */
  firstRun?: true;
}

export const ACCESS = {
  'app.info': { who: 'public', passive: true },
  'session.get': { who: 'public', passive: true },
  'session.signIn': { who: 'public' },
  'session.signOut': { who: EVERYONE, whileLocked: true },
  'session.lock': { who: EVERYONE },
  'session.unlock': { who: EVERYONE, whileLocked: true },
  'session.reconnect': { who: EVERYONE },
  'session.touch': { who: EVERYONE },
  'desk.enroll': { who: ADMINISTRATION, firstRun: true },
  'operators.list': { who: SUPERVISION },
  'operators.create': { who: ADMINISTRATION },
  'operators.update': { who: ADMINISTRATION },
  'settings.testCentral': { who: ADMINISTRATION },
  'settings.get': { who: EVERYONE },
  // The office's settings are the administrator's; each operator's own preferences are anyone's (mayCall).
  'settings.set': { who: ADMINISTRATION },
  'utility.get': { who: EVERYONE },
  'utility.set': { who: ADMINISTRATION },
  'lookup.search': { who: EVERYONE },
  'lookup.streets': { who: EVERYONE },
  'accounts.get': { who: EVERYONE },
  'accounts.revealIin': { who: EVERYONE },
  'accounts.history': { who: EVERYONE },
  'accountNotes.list': { who: EVERYONE },
  'accountNotes.add': { who: EVERYONE },
  // A note comes off an account only by a supervisor's decision (the service checks it again).
  'accountNotes.remove': { who: SUPERVISION },
  'contacts.open': { who: EVERYONE },
  'contacts.close': { who: EVERYONE },
  // Read by the contact bar after the operator's own calls: not a sign of its own that someone is at the PC.
  'contacts.current': { who: EVERYONE, passive: true },
  'contacts.list': { who: EVERYONE },
  // The office's contacts by operator: a supervisor's screen.
  'contacts.report': { who: SUPERVISION },
  'contacts.csv': { who: SUPERVISION },
  'contactTopics.list': { who: EVERYONE },
  // The list of topics is the administrator's (the service checks the role again).
  'contactTopics.save': { who: ADMINISTRATION },
  'readings.list': { who: EVERYONE },
  'readings.submit': { who: EVERYONE },
  'readings.history': { who: EVERYONE },
  // A controllers' round is the office's month: a supervisor's.
  'readings.importCheck': { who: SUPERVISION },
  'readings.importApply': { who: SUPERVISION },
  // The office's month: who owes what, and their letters in bulk, is a supervisor's.
  'debts.list': { who: SUPERVISION },
  'debts.batchPdf': { who: SUPERVISION },
  'debts.batchMail': { who: SUPERVISION },
  'meters.replace': { who: EVERYONE },
  'readings.held': { who: SUPERVISION },
  'readings.review': { who: SUPERVISION },
  'subscriptions.get': { who: EVERYONE },
  'subscriptions.set': { who: EVERYONE },
  'audit.list': { who: SUPERVISION },
  'audit.csv': { who: SUPERVISION },
  'audit.operators': { who: SUPERVISION },
  'mail.outbox': { who: EVERYONE },
  'mail.test': { who: ADMINISTRATION },
  'mail.send': { who: EVERYONE },
  'mail.resend': { who: EVERYONE },
  // The monthly mailing of the office's districts is a supervisor's job (the screen polls its status).
  'mailing.start': { who: SUPERVISION },
  'mailing.status': { who: SUPERVISION, passive: true },
  'mailing.pause': { who: SUPERVISION },
  'mailing.resume': { who: SUPERVISION },
  'mailing.cancel': { who: SUPERVISION },
  'sync.status': { who: EVERYONE, whileLocked: true, passive: true },
  'sync.now': { who: EVERYONE },
  'sync.pending': { who: EVERYONE },
  'sync.rejected': { who: EVERYONE },
  // Closing a rejected change (the Отправка screen's buttons) is a supervisor's decision.
  'sync.resolve': { who: SUPERVISION },
  'sync.events': { who: SUPERVISION },
  'statements.breakdown': { who: EVERYONE },
  'statements.reconciliation': { who: EVERYONE },
  'statements.breakdownPdf': { who: EVERYONE },
  'statements.reconciliationPdf': { who: EVERYONE },
  'statements.print': { who: EVERYONE },
  'web.status': { who: EVERYONE },
  'web.register': { who: EVERYONE },
  'web.resend': { who: EVERYONE },
  'web.reset': { who: EVERYONE },
  'web.changeEmail': { who: EVERYONE },
  'web.block': { who: SUPERVISION },
  'web.unblock': { who: SUPERVISION },
} as const satisfies Record<OperationName, Access>;

const accessOf = (name: OperationName): Access => ACCESS[name];

/** Works before sign-in. */
export const isPublic = (name: OperationName): boolean => accessOf(name).who === 'public';
/** Works while the screen is locked. */
export const worksWhileLocked = (name: OperationName): boolean => accessOf(name).whileLocked === true;
/** Polled by the frame, not the operator's doing. */
export const isPassive = (name: OperationName): boolean => accessOf(name).passive === true;
/** Open on a fresh install with nobody signed in (its first run). */
export const worksOnFirstRun = (name: OperationName): boolean => accessOf(name).firstRun === true;

/** Whether `role` may call `name` with `input` (a settings patch of personal preferences only is anyone's). */
export function mayCall(role: Role, name: OperationName, input?: unknown): boolean {
  if (
    name === 'settings.set' &&
    input &&
    typeof input === 'object' &&
    Object.keys(input).length > 0 &&
    Object.keys(input).every(isPersonalSetting)
  )
    return true;
  const { who } = accessOf(name);
  return who === 'public' || who.includes(role);
}

/** The roles that may call `name` (every role for a public operation). */
export const rolesFor = (name: OperationName): readonly Role[] => {
  const { who } = accessOf(name);
  return who === 'public' ? EVERYONE : who;
};

/** The screens of the menu, each with the operation it calls first (null: every signed-in operator). */
export const SCREENS = {
  search: null,
  outbox: null,
  mail: null,
  held: 'readings.held',
  round: 'readings.importCheck',
  debts: 'debts.list',
  contacts: 'contacts.report',
  audit: 'audit.list',
  operators: 'operators.list',
  mailing: 'mailing.status',
  settings: null, // everyone has their own preferences; the office's part is the administrator's
} as const satisfies Record<string, OperationName | null>;
export type Screen = keyof typeof SCREENS;
export const screens = Object.keys(SCREENS) as Screen[];

/** Whether `role` sees the screen in the menu and may open it by its address (unknown names: not a menu screen, allowed). */
export function canOpen(role: Role | null | undefined, screen: string): boolean {
  if (!role) return false;
  const op = (SCREENS as Record<string, OperationName | null>)[screen];
  return op === undefined || op === null || mayCall(role, op);
}

/** The office's settings (not only one's own preferences): what the Settings screen lets this role edit. */
export const mayEditOfficeSettings = (role: Role): boolean => mayCall(role, 'settings.set', { idleLockMinutes: 1 });
