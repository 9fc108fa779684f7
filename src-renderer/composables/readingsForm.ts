// The readings form of one account: what was typed per meter, how it reads (echoed as the meter shows
// it, with the consumption), what the checks say (with the expected consumption and its basis), the
// partial-entry question, and sending. The tab draws it and moves the focus; this holds the logic.
import { computed, ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { formatDate } from '../../src-shared/domain/period';
import {
  checkReading,
  heldForSupervisor,
  isSupervisorFinding,
  isSupervisorRole,
  unresolvedFindings,
  type Finding,
  type ReadingKind,
  type ReasonedFinding,
} from '../../src-shared/readings/checks';
import { formatCubicMetres, formatMask, formatReading, parseReading } from '../../src-shared/readings/format';
import type { MeterReadings, ReadingsList } from '../../src-shared/schemas/readings';
import { ApiError, call } from '../api/client';
import { useSessionStore } from '../stores/session';
import { useUiStore } from '../stores/ui';

export interface ReadingRow {
  text: string;
  kind: ReadingKind;
  reasons: Record<string, string>;
  serverError: string | null;
}

export interface ReadingView {
  meter: MeterReadings;
  /** the value as read, for the echo under the field */
  litres: number | null;
  consumption: number | null;
  formatError: string | null;
  findings: Finding[];
  /** findings that block saving now (errors, or warnings without a reason) */
  blocking: Finding[];
  reasonFinding: ReasonedFinding | null;
  /** a supervisor's finding entered by another role: it will be saved held for a supervisor */
  held: boolean;
}

export function useReadingsForm(accountId: () => number) {
  const { t } = useI18n();
  const ui = useUiStore();
  const session = useSessionStore();
  /** A supervisor accepts a supervisor's finding with a reason; another role's such reading is held. */
  const supervisor = computed(() => isSupervisorRole(session.operator?.role));
  const state = ref<ReadingsList | null>(null);
  const rows = ref<ReadingRow[]>([]);
  const saving = ref(false);
  const failed = ref(false);
  const partial = ref<{ given: number; total: number } | null>(null);

  async function load(keepTyped = false) {
    const list = await call('readings.list', { accountId: accountId() });
    state.value = list;
    if (!keepTyped || rows.value.length !== list.meters.length)
      rows.value = list.meters.map(() => ({ text: '', kind: 'normal', reasons: {}, serverError: null }));
  }

  const views = computed<ReadingView[]>(() => {
    const list = state.value;
    if (!list) return [];
    return list.meters.map((meter, i) => {
      const row = rows.value[i]!;
      const empty: ReadingView = {
        meter,
        litres: null,
        consumption: null,
        formatError: null,
        findings: [],
        blocking: [],
        reasonFinding: null,
        held: false,
      };
      if (!row.text.trim()) return empty;
      const parsed = parseReading(row.text, meter.format);
      if (!parsed.ok) return { ...empty, formatError: parsed.error };
      const result = checkReading({
        format: meter.format,
        previous: meter.previous ? { litres: meter.previous.litres, readOn: meter.previous.readOn } : null,
        litres: parsed.litres,
        readOn: list.today,
        kind: row.kind,
        expectedLitres: meter.expectedLitres,
        thresholds: list.thresholds,
        verificationOverdue: meter.verification === 'overdue',
      });
      // The reason asked here: a supervisor's finding asks one only of a supervisor (another role's reading is held).
      const reasonFinding = (result.findings.find(
        (f) => f.severity === 'reason' && (supervisor.value || !isSupervisorFinding(f.code)),
      )?.code ?? null) as ReasonedFinding | null;
      return {
        ...empty,
        litres: parsed.litres,
        consumption: result.consumptionLitres,
        findings: result.findings,
        blocking: unresolvedFindings(result.findings, row.reasons, supervisor.value),
        reasonFinding,
        held: heldForSupervisor(result.findings, supervisor.value),
      };
    });
  });

  /** Readings typed and not sent (leaving the tab with them asks first). */
  const unsaved = computed(() => rows.value.filter((r) => r.text.trim()).length);
  watch(unsaved, (n) => (ui.unsavedReadings = n), { immediate: true });

  function basis(meter: MeterReadings): string {
    if (meter.expectedFrom === 'history') return t('readings.basis.history', { n: meter.expectedMonths ?? 6 });
    return t('readings.basis.norm');
  }

  function findingText(finding: Finding, meter: MeterReadings): string {
    const p = finding.params ?? {};
    return t(`readings.errors.${finding.code}`, {
      previous: meter.previous ? formatReading(meter.previous.litres, meter.format) : '',
      date: p['previousDate'] ? formatDate(String(p['previousDate'])) : '',
      m3: typeof p['consumptionLitres'] === 'number' ? formatCubicMetres(p['consumptionLitres']) : '',
      expected: typeof p['expectedLitres'] === 'number' ? formatCubicMetres(p['expectedLitres']) : '',
      basis: basis(meter),
      percent: p['percent'] ?? '',
      factor: p['factor'] ?? '',
    });
  }

  /** What was read, as the meter shows it: '= 00123,45 м³ · расход 4,120 м³'. */
  function echo(view: ReadingView): string | null {
    if (view.litres === null) return null;
    const value = formatReading(view.litres, view.meter.format);
    return view.consumption === null
      ? t('readings.echo', { value })
      : t('readings.echoConsumption', { value, m3: formatCubicMetres(view.consumption) });
  }

  const formatErrorText = (code: string, meter: MeterReadings) =>
    t(`readings.errors.${code}`, { int: meter.format.intDigits, frac: meter.format.fracDigits });

  /** The format line: one mask when every meter shares it, else each mask with its meters. */
  const hint = computed(() => {
    const meters = state.value?.meters ?? [];
    const masks = new Map<string, string[]>();
    for (const m of meters)
      masks.set(formatMask(m.format), [...(masks.get(formatMask(m.format)) ?? []), t(`account.places.${m.place}`)]);
    if (masks.size > 1)
      return t('readings.hintMany', {
        formats: [...masks].map(([mask, places]) => `${mask} (${places.join(', ')})`).join('; '),
      });
    const format = meters[0]?.format ?? { intDigits: 5, fracDigits: 2 };
    return t('readings.hint', {
      mask: formatMask(format),
      int: format.intDigits,
      frac: format.fracDigits,
      example: formatReading(123_400, format),
    });
  });

  function setKind(index: number, kind: ReadingKind) {
    rows.value[index]!.kind = kind;
    rows.value[index]!.serverError = null;
  }

  function setReason(index: number, finding: ReasonedFinding, reason: string) {
    rows.value[index]!.reasons = { ...rows.value[index]!.reasons, [finding]: reason };
    rows.value[index]!.serverError = null;
  }

  /**
   * Sends what was typed; 'partial' when some meters have nothing (the question is then asked),
   * 'blocked' at the index of the first field that must be fixed, 'sent' or 'failed'.
   */
  async function send(
    confirmed = false,
  ): Promise<{ outcome: 'nothing' | 'blocked' | 'partial' | 'sent' | 'failed'; index?: number; held?: number }> {
    const list = state.value;
    if (!list || saving.value) return { outcome: 'nothing' };
    const entries = list.meters.flatMap((meter, i) => {
      const row = rows.value[i]!;
      // Only the reasons the reading's findings ask for (a reason picked for an earlier value is not sent).
      const asked = new Set(
        views.value[i]!.findings.filter((f) => f.severity === 'reason').map((f) => f.code as string),
      );
      const reasons = Object.fromEntries(Object.entries(row.reasons).filter(([finding]) => asked.has(finding)));
      return row.text.trim() ? [{ meterId: meter.meterId, value: row.text.trim(), kind: row.kind, reasons }] : [];
    });
    if (!entries.length) return { outcome: 'nothing' };
    const blockedAt = views.value.findIndex((v) => v.formatError || v.blocking.some((f) => f.severity !== 'info'));
    if (blockedAt >= 0) return { outcome: 'blocked', index: blockedAt };
    // Meters with no reading this month and none typed: ask before sending only some (Cancel saves nothing).
    const missing = list.meters.filter((m, i) => !m.current && !rows.value[i]!.text.trim()).length;
    if (missing > 0 && !confirmed) {
      partial.value = { given: entries.length, total: list.meters.length };
      return { outcome: 'partial' };
    }
    saving.value = true;
    failed.value = false;
    try {
      const result = await call('readings.submit', {
        accountId: accountId(),
        entries,
        partialConfirmed: entries.length < list.meters.length,
      });
      await load();
      return { outcome: 'sent', held: result.saved.filter((x) => x.held).length };
    } catch (error) {
      failed.value = true;
      if (error instanceof ApiError && error.code === 'VALIDATION') {
        for (const field of error.fields) {
          const match = /^entries\.(\d+)\./.exec(field.path);
          const index = match ? list.meters.findIndex((m) => m.meterId === entries[Number(match[1])]!.meterId) : -1;
          if (index >= 0) {
            const meter = list.meters[index]!;
            rows.value[index]!.serverError = t(`readings.errors.${field.code.replace(/^reading\./, '')}`, {
              int: meter.format.intDigits,
              frac: meter.format.fracDigits,
              previous: '',
              date: '',
              m3: '',
              expected: '',
              basis: '',
              percent: '',
              factor: '',
            });
          }
        }
      }
      throw error;
    } finally {
      saving.value = false;
    }
  }

  return {
    state,
    rows,
    views,
    saving,
    failed,
    partial,
    unsaved,
    load,
    send,
    findingText,
    echo,
    formatErrorText,
    hint,
    setKind,
    setReason,
  };
}
