// Meter readings as operators type and read them: `00123,45` = 5 digits of m³ and (per meter) 2
// fraction digits, stored as an integer number of litres. Missing digits are zero-filled, as the
// customer's web account does; anything else is refused with a reason — never silently zeroed (the
// web account's known defect).

export interface MeterFormat {
  intDigits: number; // 5
  fracDigits: number; // 2 (0..3)
}

export type ReadingFormatError = 'empty' | 'notANumber' | 'negative' | 'tooManyIntDigits' | 'tooManyFracDigits';

export type ParsedReading = { ok: true; litres: number } | { ok: false; error: ReadingFormatError };

const LITRES_PER_M3 = 1000;

/** Litres per unit of the last fraction digit: 2 fraction digits → 10 L. */
export function resolutionLitres(format: MeterFormat): number {
  return 10 ** (3 - format.fracDigits);
}

/** The value at which the register wraps to zero: 99999,99 + one step → 100 000 m³. */
export function rolloverLitres(format: MeterFormat): number {
  return 10 ** format.intDigits * LITRES_PER_M3;
}

export function parseReading(text: string, format: MeterFormat): ParsedReading {
  // "00123 45" as customers read a register aloud: the black digits, a gap, the red ones.
  const gap = /^(\d+)\s+(\d+)$/.exec(text.trim());
  if (gap && format.fracDigits > 0 && gap[2]!.length <= format.fracDigits)
    return parseReading(`${gap[1]},${gap[2]}`, format);
  const trimmed = text.trim().replace(/\s+/g, '');
  if (trimmed === '') return { ok: false, error: 'empty' };
  if (/^[-−–]/.test(trimmed)) return { ok: false, error: 'negative' };
  const match = /^(\d*)(?:[.,](\d*))?$/.exec(trimmed);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return { ok: false, error: 'notANumber' };
  const intPart = match[1]!.replace(/^0+(?=\d)/, '');
  const fracPart = match[2] ?? '';
  if (intPart.length > format.intDigits) return { ok: false, error: 'tooManyIntDigits' };
  if (fracPart.length > format.fracDigits) return { ok: false, error: 'tooManyFracDigits' };
  const whole = intPart === '' ? 0 : Number(intPart);
  const fraction = fracPart === '' ? 0 : Number(fracPart.padEnd(format.fracDigits, '0'));
  return { ok: true, litres: whole * LITRES_PER_M3 + fraction * resolutionLitres(format) };
}

/** 123450 litres → '00123,45' (2 fraction digits). */
export function formatReading(litres: number, format: MeterFormat): string {
  if (!Number.isSafeInteger(litres) || litres < 0)
    throw new RangeError(`A reading is a non-negative integer of litres: ${litres}`);
  const whole = Math.trunc(litres / LITRES_PER_M3);
  const intText = String(whole).padStart(format.intDigits, '0');
  if (format.fracDigits === 0) return intText;
  const fraction = Math.trunc((litres % LITRES_PER_M3) / resolutionLitres(format));
  return `${intText},${String(fraction).padStart(format.fracDigits, '0')}`;
}

/** A volume in litres as m³ with 3 decimals: 4560 → '4,560'; -20 → '−0,020'. */
export function formatCubicMetres(litres: number): string {
  if (!Number.isSafeInteger(litres)) throw new RangeError(`A volume is an integer of litres: ${litres}`);
  const abs = Math.abs(litres);
  return `${litres < 0 ? '−' : ''}${Math.trunc(abs / LITRES_PER_M3)},${String(abs % LITRES_PER_M3).padStart(3, '0')}`;
}

/** The hint under the readings table: '00000,00' for a 5+2 meter. */
export function formatMask(format: MeterFormat): string {
  return format.fracDigits === 0
    ? '0'.repeat(format.intDigits)
    : `${'0'.repeat(format.intDigits)},${'0'.repeat(format.fracDigits)}`;
}
