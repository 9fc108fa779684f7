import { z } from 'zod';
import { emailSchema } from './mail';

export const subscriptionStateSchema = z.object({
  accountId: z.number().int(),
  subscribed: z.boolean(),
  email: z.string().nullable(),
  /** true while the latest change is a local mutation not yet accepted by the central service */
  pending: z.boolean(),
  /** the day the account was closed: a closed account is not subscribed (it may still be unsubscribed) */
  closedOn: z.string().nullable(),
});
export type SubscriptionState = z.infer<typeof subscriptionStateSchema>;

export const subscriptionsGetInput = z.object({ accountId: z.number().int().positive() }).strict();

export const subscriptionsSetInput = z
  .object({
    accountId: z.number().int().positive(),
    subscribed: z.boolean(),
    /** where the monthly breakdown goes; defaults to the owner's address on file */
    email: emailSchema.optional(),
  })
  .strict();
