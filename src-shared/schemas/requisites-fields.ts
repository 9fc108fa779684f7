// The requisites' numbers as an administrator types them, checked for what they are and not only
// their length: the IIK's check digits, the bank's SWIFT code, phones made of digits. Used where
// requisites are set (utility.set, a desk's own settings); what is read back from storage keeps the
// looser schemas, so a row saved before these checks still prints.
import { z } from 'zod';
import { text } from './text';

/**
 * ИИК: a Kazakh IBAN — KZ, two check digits, 16 letters and digits — whose check digits hold (ISO
 * 13616, mod 97). A mistyped account on every PDF sends customers' money elsewhere.
 */
export function ibanValid(value: string): boolean {
  if (!/^KZ\d{2}[0-9A-Z]{16}$/.test(value)) return false;
  let rest = 0;
  for (const c of value.slice(4) + value.slice(0, 4)) {
    const digits = c <= '9' ? c : String(c.charCodeAt(0) - 55); // A = 10 … Z = 35
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

/** БИК: a Kazakh bank's SWIFT code — four letters, KZ, two letters or digits, an optional branch of three. */
const BIK = /^[A-Z]{4}KZ[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/** Phones: one or more (comma-separated), each of 5 to 15 digits with + ( ) - and spaces between. */
export function phonesValid(value: string): boolean {
  return value.split(',').every((one) => {
    const phone = one.trim();
    const digits = phone.replace(/\D/g, '').length;
    return /^\+?\d[\d\s()-]*\d$/.test(phone) && digits >= 5 && digits <= 15;
  });
}

/** Letters and digits as typed with spaces and in any case («kz31 601a …») → as printed. */
const compact = (max: number) => text({ max: max * 2 }).transform((value) => value.replace(/\s+/g, '').toUpperCase());

export const ibanInputSchema = compact(34).pipe(z.string().refine(ibanValid));
export const bikInputSchema = compact(11).pipe(z.string().regex(BIK));
export const phonesInputSchema = text({ max: 100, trim: true }).pipe(z.string().refine(phonesValid));
