// Statements: the charges breakdown and the reconciliation, built from stored rows (pure, integer tiyn).
export { allocateProportionally } from './allocate';
export {
  buildBreakdown,
  type BreakdownRows,
  type ChargeRow,
  type MeterRow,
  type PaymentRow,
  type RecalculationRow,
} from './breakdown';
export { formatAddress, ownerName, type OwnerNameParts } from './parties';
export { buildReconciliation, type ReconciliationRows } from './reconciliation';
export {
  breakdownRowsFromStored,
  partiesFromRow,
  type AccountPartyRow,
  type BalanceRow,
  type ChargeLineRow,
  type PaymentLineRow,
  type RecalculationLineRow,
  type StatementMeterRow,
  type StatementReadingRow,
  type StoredBreakdown,
} from './rows';
export {
  checkBreakdownPeriod,
  checkReconciliationRange,
  defaultBreakdownPeriod,
  defaultReconciliationRange,
  MAX_RANGE_YEARS,
  type AccountDates,
} from './validate';
