// Migration 12: a legal entity's VAT registration (owners.vat_payer, 1 = registered), replicated from
// the central service with the owner's row; what the act of reconciliation and the breakdown read to
// print the VAT included in a VAT payer's turnovers.
export default /* sql */ `
ALTER TABLE owners ADD COLUMN vat_payer INTEGER NOT NULL DEFAULT 0 CHECK (vat_payer IN (0, 1));
`;
