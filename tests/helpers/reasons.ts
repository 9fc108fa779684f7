// The reasons a test's reading must carry: one (the first on its list) for each finding the readings
// check really makes of it, and none other — a reason for a finding the reading does not have is
// refused (#21.4), as an operator would see it on the readings tab.
import { checkReading, findingReasons, type ReasonedFinding } from '../../src-shared/readings/checks';
import type { ReadingsList } from '../../src-shared/schemas/readings';

export function reasonsFor(list: ReadingsList, meterId: number, litres: number): Record<string, string> {
  const meter = list.meters.find((m) => m.meterId === meterId);
  if (!meter) throw new Error(`no meter ${meterId} on account ${list.accountId}`);
  const { findings } = checkReading({
    format: meter.format,
    previous: meter.previous ? { litres: meter.previous.litres, readOn: meter.previous.readOn } : null,
    litres,
    readOn: list.today,
    kind: 'normal',
    expectedLitres: meter.expectedLitres,
    thresholds: list.thresholds,
    verificationOverdue: meter.verification === 'overdue',
  });
  return Object.fromEntries(
    findings.filter((f) => f.severity === 'reason').map((f) => [f.code, findingReasons[f.code as ReasonedFinding][0]]),
  );
}
