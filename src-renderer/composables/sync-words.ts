// Sync in words: why the last run stopped (no answer, or the service said no and why), why the
// service refused a change (with what it needs, e.g. the reading another desk entered), and what sync
// did that a supervisor should know of. Shared by the frame, «Отправка» and the readings tab.
import { useI18n } from 'vue-i18n';
import { formatReading } from '../../src-shared/readings/format';
import type { SyncProblem, SyncStatus } from '../../src-shared/schemas/sync';
import { formatInstant } from '../format';

/** "Петрова Анна Сергеевна" → "Петрова А. С." (how colleagues are named in a short line). */
export function shortName(fullName: string): string {
  const [surname, ...rest] = fullName.trim().split(/\s+/);
  return [surname, ...rest.map((part) => `${part[0]!.toUpperCase()}.`)].join(' ');
}

const key = (code: string) => code.replace(/\./g, '_');

export function useSyncWords() {
  const { t, te } = useI18n();

  /**
   * The service's reason, or what the code says, in the operator's language; never a library's own
   * message (English, technical): that stays in the log and in «Отправка»'s details.
   */
  function problemReason(problem: SyncProblem): string {
    if (problem.reason && te(`shell.problems.${key(problem.reason)}`)) return t(`shell.problems.${key(problem.reason)}`);
    if (te(`shell.problems.${problem.code}`)) return t(`shell.problems.${problem.code}`);
    return t('shell.problems.unknown');
  }

  /** The frame's word for a state that is not plain online / syncing. */
  function stateLabel(status: SyncStatus): string {
    if (status.state === 'refused' && status.problem) {
      if (status.problem.kind === 'outdated') return t('shell.status.outdated');
      if (status.problem.kind === 'revoked') return t('shell.status.revoked');
      return t('shell.status.refused', { reason: problemReason(status.problem) });
    }
    return t(`shell.status.${status.state === 'local' || status.state === 'refused' ? 'online' : status.state}`);
  }

  /** What «Отправка» says about the last problem. */
  function problemText(problem: SyncProblem): string {
    return t(`outbox.problem.${problem.kind}`, { reason: problemReason(problem) });
  }

  /** Why the service refused a change, in words. */
  function rejection(code: string | null, details: Record<string, unknown> | null, fallback: string | null): string {
    if (code === 'reading.conflict' && details && typeof details['valueLitres'] === 'number') {
      const value = formatReading(details['valueLitres'], { intDigits: Number(details['intDigits'] ?? 5), fracDigits: Number(details['fracDigits'] ?? 2) });
      const time = typeof details['enteredAt'] === 'string' ? formatInstant(details['enteredAt']) : '';
      if (details['source'] === 'web') return t('outbox.codes.reading_conflictWeb', { value, time });
      if (typeof details['operatorName'] === 'string') return t('outbox.codes.reading_conflictBy', { value, who: shortName(details['operatorName']), time });
      return t('outbox.codes.reading_conflict', { value });
    }
    if (code && te(`outbox.codes.${key(code)}`)) return t(`outbox.codes.${key(code)}`);
    return fallback ?? code ?? '';
  }

  /** A sync event (a restored desk or service, a full pull, entries set aside) in words. */
  function eventText(operation: string, details: Record<string, unknown> | null): string {
    const d = details ?? {};
    const renewal = typeof d['reason'] === 'string' && te(`outbox.renewal.${d['reason']}`) ? t(`outbox.renewal.${d['reason']}`) : String(d['reason'] ?? '');
    const resync = typeof d['reason'] === 'string' && te(`outbox.resyncReason.${d['reason']}`) ? t(`outbox.resyncReason.${d['reason']}`) : String(d['reason'] ?? '');
    switch (operation) {
      case 'sync.identityRenewed':
        return t('outbox.events.sync_identityRenewed', { reason: renewal });
      case 'sync.serviceRestored':
        return t('outbox.events.sync_serviceRestored', { resent: Number(d['resent'] ?? 0), lost: Number(d['lost'] ?? 0) });
      case 'sync.resync':
        return t('outbox.events.sync_resync', { reason: resync, removed: Number(d['removed'] ?? 0) });
      case 'sync.setAside':
        return t('outbox.events.sync_setAside', { entries: Number(d['entries'] ?? 0) });
      default:
        return operation;
    }
  }

  return { problemReason, stateLabel, problemText, rejection, eventText };
}
