// accounts.get: everything the account card shows, in one call.
import { maskIinBin } from '../../src-shared/domain/iin';
import { addDays, almatyDate } from '../../src-shared/domain/period';
import { AppError } from '../../src-shared/errors';
import type { AccountCard } from '../../src-shared/schemas/lookup';
import type { Language } from '../../src-shared/schemas/settings';
import { createAuditRepo } from '../store/repos/audit';
import type { CallContext, ServiceContext } from './context';
import { ownerDisplayName } from './lookup';

export const VERIFICATION_DUE_SOON_DAYS = 30;

export function verificationState(nextVerificationOn: string, today: string): 'ok' | 'dueSoon' | 'overdue' {
  if (nextVerificationOn < today) return 'overdue';
  if (nextVerificationOn <= addDays(today, VERIFICATION_DUE_SOON_DAYS)) return 'dueSoon';
  return 'ok';
}

export function createAccountsService(ctx: ServiceContext) {
  const db = ctx.db;
  const account = db.prepare<
    [number],
    {
      id: number;
      number: string;
      kind: 'individual' | 'legal';
      contract_number: string | null;
      residents: number;
      opened_on: string;
      closed_on: string | null;
      balance_tiyn: number;
      last_payment_on: string | null;
      last_payment_tiyn: number | null;
      surname: string | null;
      first_name: string | null;
      patronymic: string | null;
      organisation: string | null;
      iin_bin: string;
      vat_payer: number;
      email: string | null;
      language: Language;
      street_kind: string;
      street: string;
      house: string;
      is_private: number;
      apartment: string | null;
      apartment_prefix: string | null;
      district: string;
    }
  >(
    `SELECT a.id, a.number, a.kind, a.contract_number, a.residents, a.opened_on, a.closed_on, a.balance_tiyn,
            a.last_payment_on, a.last_payment_tiyn, o.surname, o.first_name, o.patronymic, o.organisation, o.iin_bin,
            o.vat_payer, o.email, o.language, s.kind AS street_kind, s.name AS street, b.house, b.is_private, p.apartment,
            p.apartment_prefix, d.name AS district
       FROM accounts a JOIN owners o ON o.id = a.owner_id JOIN premises p ON p.id = a.premise_id
       JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id JOIN districts d ON d.id = a.district_id
      WHERE a.id = ?`,
  );
  const phones = db.prepare<[number], { number: string; kind: 'mobile' | 'home' | 'work' }>(
    'SELECT number, kind FROM phones WHERE account_id = ? ORDER BY id',
  );
  const meters = db.prepare<
    [number],
    {
      id: number;
      serial: string;
      place: string;
      installed_on: string;
      verified_on: string;
      next_verification_on: string;
    }
  >(
    'SELECT id, serial, place, installed_on, verified_on, next_verification_on FROM meters WHERE account_id = ? AND removed_on IS NULL ORDER BY id',
  );
  const webAccount = db.prepare<
    [number],
    {
      status: 'pending' | 'active' | 'blocked';
      login: string;
      email: string;
      registered_at: string;
      last_sign_in_at: string | null;
    }
  >('SELECT status, login, email, registered_at, last_sign_in_at FROM web_accounts WHERE account_id = ?');
  const subscription = db.prepare<[number], { email: string; subscribed: number }>(
    'SELECT email, subscribed FROM subscriptions WHERE account_id = ?',
  );
  const pending = db
    .prepare<[number], number>("SELECT count(*) FROM outbox WHERE account_id = ? AND state IN ('pending', 'sent')")
    .pluck();

  const fullIin = db
    .prepare<[number], string>('SELECT o.iin_bin FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE a.id = ?')
    .pluck();
  const audit = createAuditRepo(db);

  /** The owner's whole IIN/BIN, shown on request to check a document: a sensitive view, always audited. */
  function revealIin(accountId: number, call: CallContext): { iinBin: string } {
    const iinBin = fullIin.get(accountId);
    if (!iinBin) throw new AppError('NOT_FOUND', 'No such account', { accountId });
    audit.record({
      at: ctx.now().toISOString(),
      operatorId: call.operatorId,
      accountId,
      operation: 'accounts.revealIin',
      result: 'ok',
    });
    return { iinBin };
  }

  function get(accountId: number): AccountCard {
    const row = account.get(accountId);
    if (!row) throw new AppError('NOT_FOUND', 'No such account', { accountId });
    const today = almatyDate(ctx.now());
    const web = webAccount.get(accountId);
    const sub = subscription.get(accountId);
    return {
      id: row.id,
      number: row.number,
      kind: row.kind,
      contractNumber: row.contract_number,
      owner: {
        name: ownerDisplayName(row),
        iinMasked: maskIinBin(row.iin_bin),
        vatPayer: row.vat_payer === 1,
        email: row.email,
        language: row.language,
      },
      address: {
        streetKind: row.street_kind,
        street: row.street,
        house: row.house,
        apartment: row.apartment,
        prefix: row.apartment_prefix,
        district: row.district,
        isPrivate: row.is_private === 1,
      },
      residents: row.residents,
      openedOn: row.opened_on,
      closedOn: row.closed_on,
      phones: phones.all(accountId),
      meters: meters.all(accountId).map((m) => ({
        id: m.id,
        serial: m.serial,
        place: m.place,
        installedOn: m.installed_on,
        verifiedOn: m.verified_on,
        nextVerificationOn: m.next_verification_on,
        verification: verificationState(m.next_verification_on, today),
      })),
      balanceTiyn: row.balance_tiyn,
      lastPayment:
        row.last_payment_on && row.last_payment_tiyn !== null
          ? { on: row.last_payment_on, tiyn: row.last_payment_tiyn }
          : null,
      webAccount: web
        ? {
            status: web.status,
            login: web.login,
            email: web.email,
            registeredAt: web.registered_at,
            lastSignInAt: web.last_sign_in_at,
          }
        : null,
      subscription: { subscribed: sub?.subscribed === 1, email: sub?.email ?? row.email },
      pending: pending.get(accountId) ?? 0,
    };
  }

  return { get, revealIin };
}
