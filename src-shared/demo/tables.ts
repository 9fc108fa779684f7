// The rows the demo generator emits, table by table, in column order: the replication model's tables
// and columns (src-shared/replication/model.ts). The writer in src-main turns them into batched
// multi-row INSERTs; nothing here knows about SQLite.
import { columnsOf, TABLE_NAMES, type TableName } from '../replication/model';

export const DEMO_TABLES = Object.fromEntries(TABLE_NAMES.map((name) => [name, columnsOf(name)])) as Readonly<Record<TableName, readonly string[]>>;

export type DemoTable = TableName;
export type Cell = string | number | null;

export interface DemoSink {
  row(table: DemoTable, values: Cell[]): void;
  /** Called every `progressEvery` accounts and once at the end; a good place to commit a batch. */
  progress(doneAccounts: number, totalAccounts: number): void;
}
