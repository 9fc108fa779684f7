import { z } from 'zod';
import { DATE_RE } from '../domain/period';
import { changeWhatSchema } from './sync';

export const auditFilterSchema = z
  .object({
    operatorId: z.number().int().positive().optional(),
    accountId: z.number().int().positive().optional(),
    /** the account as the supervisor knows it: its number */
    accountNumber: z
      .string()
      .trim()
      .regex(/^\d{6,10}$/)
      .optional(),
    from: z.string().regex(DATE_RE).optional(),
    to: z.string().regex(DATE_RE).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
    offset: z.number().int().min(0).default(0),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'range.inverted' });

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  operatorId: z.number().int().nullable(),
  operatorName: z.string().nullable(),
  accountId: z.number().int().nullable(),
  accountNumber: z.string().nullable(),
  operation: z.string(),
  result: z.enum(['ok', 'denied', 'failed']),
  details: z.string().nullable(),
  /**
   * What the entry's internal ids name, for the screen: the changes it made (outbox seqs) described as
   * the operator made them (meter serial, value, period), and its meters by serial. Empty when the
   * entry names none, or the change is no longer on this desk (kept for the retention period).
   */
  subjects: z
    .object({ changes: z.array(changeWhatSchema), meters: z.array(z.string()) })
    .default({ changes: [], meters: [] }),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditListOutput = z.object({ entries: z.array(auditEntrySchema), total: z.number().int() });

export const auditOperatorsOutput = z.object({
  operators: z.array(z.object({ id: z.number().int(), fullName: z.string(), login: z.string() })),
});
