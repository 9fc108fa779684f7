// A page of lookup results: candidates (account ids, each with how it was found) are taken from the
// ranked generators until the page is full, then hydrated in one query with the first phone, the
// district and the count of the account's unsent changes.
import { maskIinBin } from '../../../src-shared/domain/iin';
import type { LookupHit, MatchReason } from '../../../src-shared/schemas/lookup';
import type { Db } from '../../store/db';

export interface Candidate {
  accountId: number;
  matchedBy: MatchReason;
  typo: boolean;
}

interface HitRow {
  id: number;
  number: string;
  kind: 'individual' | 'legal';
  balance_tiyn: number;
  closed_on: string | null;
  contract_number: string | null;
  surname: string | null;
  first_name: string | null;
  patronymic: string | null;
  organisation: string | null;
  iin_bin: string;
  street_kind: string;
  street: string;
  house: string;
  apartment: string | null;
  apartment_prefix: string | null;
  phone: string | null;
  district: string | null;
}

export function ownerDisplayName(row: {
  surname: string | null;
  first_name: string | null;
  patronymic: string | null;
  organisation: string | null;
}): string {
  if (row.organisation) return row.organisation;
  return [row.surname, row.first_name, row.patronymic].filter(Boolean).join(' ');
}

export function createHits(db: Db) {
  const hydrate = db.prepare<[string], HitRow>(
    `SELECT a.id, a.number, a.kind, a.balance_tiyn, a.closed_on, a.contract_number,
            o.surname, o.first_name, o.patronymic, o.organisation, o.iin_bin,
            s.kind AS street_kind, s.name AS street, b.house, p.apartment, p.apartment_prefix,
            (SELECT ph.number FROM phones ph WHERE ph.account_id = a.id ORDER BY ph.id LIMIT 1) AS phone, d.name AS district
       FROM accounts a JOIN owners o ON o.id = a.owner_id JOIN premises p ON p.id = a.premise_id
       JOIN buildings b ON b.id = p.building_id JOIN streets s ON s.id = b.street_id LEFT JOIN districts d ON d.id = a.district_id
      WHERE a.id IN (SELECT value FROM json_each(?))`,
  );
  const pendingCounts = db.prepare<[string], { account_id: number; n: number }>(
    `SELECT account_id, count(*) AS n FROM outbox WHERE state IN ('pending', 'sent')
        AND account_id IN (SELECT value FROM json_each(?)) GROUP BY account_id`,
  );

  function toHits(candidates: Candidate[]): LookupHit[] {
    if (!candidates.length) return [];
    const ids = JSON.stringify(candidates.map((c) => c.accountId));
    const rows = new Map(hydrate.all(ids).map((r) => [r.id, r]));
    const pending = new Map(pendingCounts.all(ids).map((r) => [r.account_id, r.n]));
    return candidates.flatMap((c) => {
      const r = rows.get(c.accountId);
      if (!r) return [];
      return [
        {
          accountId: r.id,
          number: r.number,
          kind: r.kind,
          owner: ownerDisplayName(r),
          iinMasked: maskIinBin(r.iin_bin),
          contractNumber: r.contract_number,
          address: {
            streetKind: r.street_kind,
            street: r.street,
            house: r.house,
            apartment: r.apartment,
            prefix: r.apartment_prefix,
          },
          balanceTiyn: r.balance_tiyn,
          closed: r.closed_on !== null,
          pending: pending.get(r.id) ?? 0,
          // A legal owner found by its name key is found by its name, not a surname.
          matchedBy: c.matchedBy === 'surname' && r.kind === 'legal' ? 'organisation' : c.matchedBy,
          typo: c.typo,
          phone: r.phone,
          district: r.district,
        },
      ];
    });
  }

  function page(source: Iterable<Candidate>, offset: number, limit: number): { hits: LookupHit[]; hasMore: boolean } {
    const seen = new Set<number>();
    const picked: Candidate[] = [];
    for (const candidate of source) {
      if (seen.has(candidate.accountId)) continue;
      seen.add(candidate.accountId);
      if (seen.size > offset) picked.push(candidate);
      if (picked.length > limit) break;
    }
    return { hits: toHits(picked.slice(0, limit)), hasMore: picked.length > limit };
  }

  return { page };
}
