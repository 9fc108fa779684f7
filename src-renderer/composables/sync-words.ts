// Sync in words: why the last run stopped (no answer, or the service said no and why), why the
// service refused a change (with what it needs, e.g. the reading another desk entered), and what sync
// did that a supervisor should know of. Shared by the frame, «Отправка» and the readings tab.
import { useI18n } from 'vue-i18n';
import { formatReading } from '../../src-shared/readings/format';
import type { SyncProblem, SyncStatus } from '../../src-shared/schemas/sync';
import { formatInstant } from '../format';
import type { Translator } from './reasons';

/** "Петрова Анна Сергеевна" → "Петрова А. С." (how colleagues are named in a short line). */
export function shortName(fullName: string): string {
  const [surname, ...rest] = fullName.trim().split(/\s+/);
  return [surname, ...rest.map((part) => `${part[0]!.toUpperCase()}.`)].join(' ');
}

const key = (code: string) => code.replace(/\./g, '_');

export function useSyncWords() {
  return syncWordsWith(useI18n());
}

/** The same words with a given translator (the i18n instance's own, outside a component). */
export function syncWordsWith({ t, te }: Translator) {
  /**
   * The service's reason, or what the code says, in the operator's language; never a library's own
   * message (English, technical): that stays in the log and in «Отправка»'s details.
   */
  function problemReason(problem: SyncProblem): string {
    if (problem.reason && te(`shell.problems.${key(problem.reason)}`))
      return t(`shell.problems.${key(problem.reason)}`);
    if (te(`shell.problems.${problem.code}`)) return t(`shell.problems.${problem.code}`);
    return t('shell.problems.unknown');
  }

  /**
   * The frame's word for the state, each told apart: not configured, the service starting, no answer
   * yet since the start, online, no answer («нет связи»), refused with the reason, syncing.
   */
  function stateLabel(status: SyncStatus): string {
    if (status.state === 'refused') {
      if (status.problem?.kind === 'outdated') return t('shell.status.outdated');
      if (status.problem?.kind === 'revoked') return t('shell.status.revoked');
      return t('shell.status.refused', {
        reason: status.problem ? problemReason(status.problem) : t('shell.problems.unknown'),
      });
    }
    return t(`shell.status.${status.state}`);
  }

  /** The status strip's line: the state, then progress, what waits, what was refused, the last sync. */
  function stripLabel(s: SyncStatus | null): string {
    if (!s) return t('shell.status.connecting');
    const head =
      s.state === 'syncing' && s.progressPercent !== null
        ? t('shell.status.progress', { percent: s.progressPercent })
        : stateLabel(s);
    const parts = [s.state === 'syncing' && s.resyncing ? `${t('shell.status.resync')} · ${head}` : head];
    if (s.state === 'syncing' && s.rowsApplied > 0)
      parts.push(t('shell.status.rows', { n: s.rowsApplied.toLocaleString('ru-RU') }));
    if (s.state === 'syncing' && s.secondsLeft !== null)
      parts.push(
        t('shell.status.left', {
          time:
            s.secondsLeft >= 90
              ? t('shell.status.minutes', { n: Math.round(s.secondsLeft / 60) })
              : t('shell.status.seconds', { n: s.secondsLeft }),
        }),
      );
    if (s.pending) parts.push(t('shell.status.pending', { n: s.pending }));
    if (s.rejected) parts.push(t('shell.status.rejected', { n: s.rejected }));
    if (s.lastSyncAt && s.state !== 'syncing' && s.state !== 'local')
      parts.push(t('shell.status.last', { time: formatInstant(s.lastSyncAt).slice(11) }));
    return parts.join(' · ');
  }

  /** The strip's colour: red when the last run failed, amber for refused changes, blue while it works. */
  function stripType(s: SyncStatus | null): 'default' | 'error' | 'warning' | 'info' | 'success' {
    if (!s || s.state === 'local') return 'default';
    if (s.state === 'offline' || s.state === 'refused') return 'error';
    if (s.rejected) return 'warning';
    return s.state === 'online' ? 'success' : 'info';
  }

  /** The strip's tooltip: what the state means and what to do. */
  function stripHint(s: SyncStatus | null): string {
    if (!s) return t('shell.status.connectingHint');
    if (s.state === 'local') return t('shell.status.localHint');
    if (s.state === 'starting') return t('shell.status.startingHint');
    if (s.state === 'connecting') return t('shell.status.connectingHint');
    if (s.state === 'offline')
      return t('shell.status.offlineHint', { error: s.problem ? problemReason(s.problem) : '' });
    if (s.state === 'refused' && s.problem) return problemText(s.problem);
    return t('shell.status.syncNow');
  }

  /** What «Отправка» says about the last problem. */
  function problemText(problem: SyncProblem): string {
    return t(`outbox.problem.${problem.kind}`, { reason: problemReason(problem) });
  }

  /** Why the service refused a change, in words. */
  function rejection(code: string | null, details: Record<string, unknown> | null, fallback: string | null): string {
    if (code === 'reading.conflict' && details && typeof details['valueLitres'] === 'number') {
      const value = formatReading(details['valueLitres'], {
        intDigits: Number(details['intDigits'] ?? 5),
        fracDigits: Number(details['fracDigits'] ?? 2),
      });
      const time = typeof details['enteredAt'] === 'string' ? formatInstant(details['enteredAt']) : '';
      if (details['source'] === 'web') return t('outbox.codes.reading_conflictWeb', { value, time });
      if (typeof details['operatorName'] === 'string')
        return t('outbox.codes.reading_conflictBy', { value, who: shortName(details['operatorName']), time });
      return t('outbox.codes.reading_conflict', { value });
    }
    if (code && te(`outbox.codes.${key(code)}`)) return t(`outbox.codes.${key(code)}`);
    return fallback ?? code ?? '';
  }

  /** A sync event (a restored desk or service, a full pull, entries set aside) in words. */
  function eventText(operation: string, details: Record<string, unknown> | null): string {
    const d = details ?? {};
    const renewal =
      typeof d['reason'] === 'string' && te(`outbox.renewal.${d['reason']}`)
        ? t(`outbox.renewal.${d['reason']}`)
        : String(d['reason'] ?? '');
    const resync =
      typeof d['reason'] === 'string' && te(`outbox.resyncReason.${d['reason']}`)
        ? t(`outbox.resyncReason.${d['reason']}`)
        : String(d['reason'] ?? '');
    switch (operation) {
      case 'sync.identityRenewed':
        return t('outbox.events.sync_identityRenewed', { reason: renewal });
      case 'sync.serviceRestored':
        return t('outbox.events.sync_serviceRestored', {
          resent: Number(d['resent'] ?? 0),
          lost: Number(d['lost'] ?? 0),
        });
      case 'sync.resync':
        return t('outbox.events.sync_resync', { reason: resync, removed: Number(d['removed'] ?? 0) });
      case 'sync.setAside':
        return t('outbox.events.sync_setAside', { entries: Number(d['entries'] ?? 0) });
      default:
        return operation;
    }
  }

  return { problemReason, stateLabel, stripLabel, stripType, stripHint, problemText, rejection, eventText };
}
