// Operators of the billing office: who signs in to the desktop, with which role, and what each
// role may do. The central service keeps their passwords; a desktop keeps only an offline verifier.
import { z } from 'zod';
import { passwordProblems } from './web';
import { text } from './text';

export const roles = ['counter', 'callcenter', 'supervisor', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** The demo city's operators all have this password (README, user guide); never a real office's. */
export const DEMO_OPERATOR_PASSWORD = 'Demo2026';

/** Wrong passwords in a row before sign-in is locked for a while, and for how long. */
export const MAX_FAILED_SIGN_INS = 5;
export const SIGN_IN_LOCK_MINUTES = 15;

export const operatorSchema = z.object({
  id: z.number().int().positive(),
  login: z.string(),
  fullName: z.string(),
  role: roleSchema,
});
export type Operator = z.infer<typeof operatorSchema>;

export const operatorAdminSchema = operatorSchema.extend({
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  hasPassword: z.boolean(),
});
export type OperatorAdmin = z.infer<typeof operatorAdminSchema>;

const login = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'login');

export const signInInput = z
  .object({ login: text({ max: 100, min: 1, trim: true }), password: text({ max: 200, min: 1 }) })
  .strict();
export const unlockInput = z.object({ password: text({ max: 200, min: 1 }) }).strict();

/** What the desktop shows of the session: who works, whether the screen is locked, and how the sign-in went. */
export const sessionStateSchema = z.object({
  operator: operatorSchema.nullable(),
  /** 'online': checked by the central service now; 'offline': by this PC's verifier (no connection) */
  mode: z.enum(['online', 'offline']).nullable(),
  locked: z.boolean(),
  signedInAt: z.string().nullable(),
  idleLockMinutes: z.number().int(),
  /** 'enrol': a fresh install that must be enrolled with the central service before anyone can sign in */
  setup: z.enum(['enrol']).nullable(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

const password = text({ max: 200, min: 1 });
/** A new operator's password follows the customers' rules (length, letters and digits, not the login). */
function checkPassword(value: { login?: string; password?: string }, ctx: z.RefinementCtx) {
  if (value.password === undefined) return;
  const problem = passwordProblems(value.password, value.login ?? null)[0];
  if (problem)
    ctx.addIssue({
      code: 'custom',
      path: ['password'],
      message: problem,
      params: { i18n: `operators.password.${problem}` },
    });
}

export const operatorCreateInput = z
  .object({ login, fullName: text({ max: 200, min: 3, trim: true }), role: roleSchema, password })
  .strict()
  .superRefine(checkPassword);
export const operatorUpdateInput = z
  .object({
    id: z.number().int().positive(),
    fullName: text({ max: 200, min: 3, trim: true }).optional(),
    role: roleSchema.optional(),
    active: z.boolean().optional(),
    password: password.optional(),
  })
  .strict()
  .superRefine(checkPassword);
export type OperatorCreateInput = z.infer<typeof operatorCreateInput>;
export type OperatorUpdateInput = z.infer<typeof operatorUpdateInput>;

export const operatorListOutput = z.object({ operators: z.array(operatorAdminSchema) });

/** The central service's answer to a sign-in. */
export const centralSignInOutput = z.object({ operator: operatorSchema, session: z.string(), expiresAt: z.string() });

export const officeInfoSchema = z.object({
  name: z.string(),
  districts: z.array(z.object({ id: z.number().int(), name: z.string() })).nullable(),
});
export type OfficeInfo = z.infer<typeof officeInfoSchema>;
