// lookup.search (one box or the structured address form), lookup.streets (the street picker) and
// accounts.get (the account card).
import { z } from 'zod';
import { languageSchema } from './settings';
import { text } from './text';

export const accountKinds = ['individual', 'legal'] as const;

export const addressQuerySchema = z
  .object({
    streetId: z.number().int().positive().optional(),
    house: text({ max: 20 }).optional(),
    apartment: text({ max: 10 }).optional(),
    prefix: text({ max: 3 }).optional(),
    surname: text({ max: 100 }).optional(),
  })
  .strict();
export type AddressQuery = z.infer<typeof addressQuerySchema>;

export const lookupSearchInput = z
  .object({
    /** The free text of the one search box; anything up to 20 000 characters is accepted (and cut). */
    text: text({ max: 20_000, multiline: true }).optional(),
    address: addressQuerySchema.optional(),
    limit: z.number().int().min(1).max(100).default(50),
    offset: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();

export const addressPartsSchema = z.object({
  streetKind: z.string(),
  street: z.string(),
  house: z.string(),
  apartment: z.string().nullable(),
  prefix: z.string().nullable(),
});
export type AddressParts = z.infer<typeof addressPartsSchema>;

export const matchReasons = [
  'account',
  'phone',
  'iin',
  'contract',
  'address',
  'addressSurname',
  'street',
  'surname',
  'organisation',
] as const;
export type MatchReason = (typeof matchReasons)[number];

export const lookupHitSchema = z.object({
  accountId: z.number().int(),
  number: z.string(),
  kind: z.enum(accountKinds),
  owner: z.string(),
  iinMasked: z.string(),
  contractNumber: z.string().nullable(),
  address: addressPartsSchema,
  balanceTiyn: z.number().int(),
  closed: z.boolean(),
  pending: z.number().int(),
  matchedBy: z.enum(matchReasons),
  /** found through a one-letter correction of a street or a surname */
  typo: z.boolean(),
  /** the account's first phone ('7XXXXXXXXXX') and its district, to tell namesakes apart */
  phone: z.string().nullable(),
  district: z.string().nullable(),
});
export type LookupHit = z.infer<typeof lookupHitSchema>;

export const understoodKinds = ['empty', 'account', 'iin', 'phone', 'contract', 'invalid', 'text', 'address'] as const;

export const lookupSearchOutput = z.object({
  understood: z.object({
    kind: z.enum(understoodKinds),
    /** for 'invalid': why the digits are not searched */
    reason: z.enum(['iinChecksum', 'digitCount']).optional(),
    value: z.string().optional(),
    street: z.string().optional(),
    house: z.string().optional(),
    apartment: z.string().optional(),
    words: z.array(z.string()).optional(),
  }),
  hits: z.array(lookupHitSchema),
  hasMore: z.boolean(),
  /** the text (or form) these hits answer, exactly as searched: a list for another text is never acted on */
  query: z.string(),
  /** the structured form's surname is not the owner's at that address */
  notice: z.object({ kind: z.literal('surnameMismatch'), owner: z.string() }).nullable(),
});
export type LookupSearchOutput = z.infer<typeof lookupSearchOutput>;

export const lookupStreetsInput = z
  .object({ text: text({ max: 100 }), limit: z.number().int().min(1).max(50).default(20) })
  .strict();
export const lookupStreetsOutput = z.object({
  streets: z.array(z.object({ id: z.number().int(), kind: z.string(), name: z.string(), district: z.string() })),
});

export const accountsGetInput = z.object({ accountId: z.number().int().positive() }).strict();

export const verificationStates = ['ok', 'dueSoon', 'overdue'] as const;

export const accountCardSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  kind: z.enum(accountKinds),
  contractNumber: z.string().nullable(),
  owner: z.object({
    name: z.string(),
    iinMasked: z.string(),
    /** a legal entity registered for VAT (its documents print the VAT their turnovers include) */
    vatPayer: z.boolean(),
    email: z.string().nullable(),
    language: languageSchema,
  }),
  address: addressPartsSchema.extend({ district: z.string(), isPrivate: z.boolean() }),
  residents: z.number().int(),
  openedOn: z.string(),
  closedOn: z.string().nullable(),
  phones: z.array(z.object({ number: z.string(), kind: z.enum(['mobile', 'home', 'work']) })),
  meters: z.array(
    z.object({
      id: z.number().int(),
      serial: z.string(),
      place: z.string(),
      installedOn: z.string(),
      verifiedOn: z.string(),
      nextVerificationOn: z.string(),
      verification: z.enum(verificationStates),
    }),
  ),
  balanceTiyn: z.number().int(),
  lastPayment: z.object({ on: z.string(), tiyn: z.number().int() }).nullable(),
  webAccount: z
    .object({
      status: z.enum(['pending', 'active', 'blocked']),
      login: z.string(),
      email: z.string(),
      registeredAt: z.string(),
      lastSignInAt: z.string().nullable(),
    })
    .nullable(),
  subscription: z.object({ subscribed: z.boolean(), email: z.string().nullable() }),
  pending: z.number().int(),
});
export type AccountCard = z.infer<typeof accountCardSchema>;
