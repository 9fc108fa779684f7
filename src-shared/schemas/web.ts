// Customer web accounts managed by an operator for the customer (issue 8). The desktop calls the
// central service for each action (no outbox: an action needs the connection and is never queued
// half-done); credentials, links and tokens exist only in the central service.
import { z } from 'zod';
import { text } from './text';
import { isValidIinBin } from '../domain/iin';
import { emailSchema } from './mail';

export const webStatuses = ['none', 'pending', 'active', 'blocked'] as const;
export type WebStatus = (typeof webStatuses)[number];

const accountId = z.number().int().positive();
const iinBin = z
  .string()
  .trim()
  .regex(/^\d{12}$/, 'twelveDigits')
  .refine(isValidIinBin, 'iinChecksum');
/** Kazakhstan mobile or city numbers as the office types them; stored as 10 digits after +7. */
const phone = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s()-]/g, ''))
  .pipe(z.string().regex(/^(\+7|8|7)?\d{10}$/, 'phone'))
  .transform((v) => v.slice(-10));

/** The web account as the operator's panel shows it. */
export const webAccountStateSchema = z.object({
  accountId,
  status: z.enum(webStatuses),
  customerKind: z.enum(['individual', 'legal']).nullable(),
  login: z.string().nullable(),
  email: z.string().nullable(),
  /** a new address waiting for its confirmation */
  pendingEmail: z.string().nullable(),
  registeredAt: z.string().nullable(),
  lastSignInAt: z.string().nullable(),
  /** has the customer set a password yet */
  hasPassword: z.boolean(),
  /** the latest confirmation letter, while the account waits for it */
  confirmationSentAt: z.string().nullable(),
});
export type WebAccountState = z.infer<typeof webAccountStateSchema>;

export const webStatusInput = z.object({ accountId }).strict();

export const webRegisterInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('individual'), accountId, iinBin, email: emailSchema, phone }).strict(),
  z
    .object({
      kind: z.literal('legal'),
      accountId,
      iinBin,
      email: emailSchema,
      organisation: text({ max: 200, min: 2, trim: true }),
    })
    .strict(),
]);
export type WebRegisterInput = z.infer<typeof webRegisterInput>;

export const webResendInput = z.object({ accountId }).strict();
/** The reset letter goes to the account's address; `by` records which identifier the customer gave (seed: login or email). */
export const webResetInput = z.object({ accountId, by: z.enum(['login', 'email']) }).strict();
export const webChangeEmailInput = z.object({ accountId, email: emailSchema }).strict();
export const webBlockInput = z
  .object({ accountId, reason: text({ max: 500, min: 3, trim: true, multiline: true }) })
  .strict();
export const webUnblockInput = z.object({ accountId }).strict();

/** What an operator action answers: the new state and, for the desktop's mirror, the replicated row. */
export const webActionOutput = z.object({
  state: webAccountStateSchema,
  /** the address a letter went to, when one was sent */
  sentTo: z.string().nullable(),
});
export type WebActionOutput = z.infer<typeof webActionOutput>;

/** Operator actions as the central service receives them (the desktop adds who is acting). */
export const webOperatorActions = {
  status: webStatusInput,
  register: webRegisterInput,
  resend: webResendInput,
  reset: webResetInput,
  changeEmail: webChangeEmailInput,
  block: webBlockInput,
  unblock: webUnblockInput,
} as const;
export type WebOperatorAction = keyof typeof webOperatorActions;
/** The operator is the one signed in (X-Operator-Session), never a field of the request. */
export const webOperatorEnvelope = z.object({ input: z.unknown() }).strict();

/** Password rules, shown to the customer next to the form and checked on the server. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export function passwordProblems(password: string, login: string | null): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN) problems.push('tooShort');
  if (password.length > PASSWORD_MAX) problems.push('tooLong');
  if (!/\p{L}/u.test(password) || !/\d/.test(password)) problems.push('lettersAndDigits');
  if (login && password.toLowerCase().includes(login.toLowerCase())) problems.push('containsLogin');
  return problems;
}
