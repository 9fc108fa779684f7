// Money is integer tiyn (1 ₸ = 100 tiyn) everywhere; this is the only place it becomes text.
// No floating point: the integer is split with integer division and remainder.

const NBSP = '\u00a0';

function groupThousands(digits: string, separator: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += separator;
    out += digits[i];
  }
  return out;
}

export interface MoneyFormatOptions {
  /** append ' ₸' (default true) */
  currency?: boolean;
  /** thousands separator (default a no-break space, so a sum never wraps) */
  separator?: string;
}

/** 154867 → '1 548,67 ₸'; -5 → '−0,05 ₸'. Accepts only safe integers. */
export function formatTiyn(tiyn: number, options: MoneyFormatOptions = {}): string {
  if (!Number.isSafeInteger(tiyn)) throw new RangeError(`Money must be an integer number of tiyn: ${tiyn}`);
  const separator = options.separator ?? NBSP;
  const negative = tiyn < 0;
  const abs = Math.abs(tiyn);
  const whole = Math.trunc(abs / 100);
  const fraction = abs % 100;
  const text = `${negative ? '−' : ''}${groupThousands(String(whole), separator)},${String(fraction).padStart(2, '0')}`;
  return options.currency === false ? text : `${text}${separator === ' ' ? ' ' : NBSP}₸`;
}

/** Parses '1 548,67', '1548.67', '1548' into tiyn; null when it is not a sum of money. */
export function parseTenge(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0₸]/g, '').replace(',', '.');
  const match = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const whole = Number(match[2]);
  const fraction = Number((match[3] ?? '').padEnd(2, '0'));
  const tiyn = whole * 100 + fraction;
  return match[1] ? -tiyn : tiyn;
}

/** amount = volume (litres) × price (tiyn per m³), rounded half away from zero, in integers only. */
export function chargeTiyn(volumeLitres: number, priceTiynPerM3: number): number {
  const product = volumeLitres * priceTiynPerM3; // litres × tiyn/m³ = 1/1000 tiyn
  if (!Number.isSafeInteger(product)) throw new RangeError('Charge out of range');
  const sign = product < 0 ? -1 : 1;
  const abs = Math.abs(product);
  return sign * (Math.trunc(abs / 1000) + (abs % 1000 >= 500 ? 1 : 0));
}
