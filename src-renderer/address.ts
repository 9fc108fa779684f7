// An address as the operator reads it: 'ул. Абая, 10, кв. 25А' (the apartment word translated).
import type { AddressParts } from '../src-shared/schemas/lookup';

export function formatAddress(parts: AddressParts, apartmentWord: string): string {
  const street = `${parts.streetKind} ${parts.street}, ${parts.house}`;
  return parts.apartment ? `${street}, ${apartmentWord} ${parts.apartment}${parts.prefix ?? ''}` : street;
}
