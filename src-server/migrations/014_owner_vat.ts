// Migration 14: a legal entity's VAT registration (owners.vat_payer, 1 = registered), replicated to
// desks with the owner's row: the act of reconciliation and the breakdown print the VAT their turnovers
// include for a VAT payer. Existing owners are not payers until someone sets it. Frozen once shipped.
export default ['ALTER TABLE owners ADD COLUMN vat_payer BIGINT NOT NULL DEFAULT 0'];
