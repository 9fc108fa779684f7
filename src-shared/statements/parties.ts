// How the parties of a statement read on paper and on screen: the owner's name and the address.
import type { Address } from '../schemas/statements';

export interface OwnerNameParts {
  kind: 'individual' | 'legal';
  surname: string | null;
  firstName: string | null;
  patronymic: string | null;
  organisation: string | null;
}

/** 'Surname First Patronymic' for a person, the organisation for a legal entity. */
export function ownerName(owner: OwnerNameParts): string {
  if (owner.kind === 'legal') return (owner.organisation ?? '').trim();
  return [owner.surname, owner.firstName, owner.patronymic]
    .map((part) => (part ?? '').trim())
    .filter((part) => part !== '')
    .join(' ');
}

/** 'ул. Абая, 12, кв. А5'; a private house has no apartment. `apartmentLabel` is per language. */
export function formatAddress(
  address: Address,
  apartmentLabel = 'кв.',
  kinds?: { streetKinds: Readonly<Record<string, string>>; streetKindAfter: boolean },
): string {
  // A document in another language names the kind in it (Kazakh and English after the name: «Абай д-лы»).
  const kind = kinds?.streetKinds[address.streetKind] ?? address.streetKind;
  const street = (
    kinds?.streetKindAfter && kind !== address.streetKind ? `${address.street} ${kind}` : `${kind} ${address.street}`
  ).trim();
  const parts = [street, address.house];
  if (address.apartment) parts.push(`${apartmentLabel} ${address.apartment}${address.apartmentPrefix ?? ''}`);
  return parts.join(', ');
}
