// IIN (individuals) and BIN (legal entities): 12 digits whose last one is a check digit.
// Check: weights 1..11 over the first 11 digits, sum mod 11; if that is 10, weights
// 3,4,5,6,7,8,9,10,11,1,2; if 10 again the number is invalid; else it must equal digit 12.

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;

function weightedMod11(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += (digits.charCodeAt(i) - 48) * weights[i]!;
  return sum % 11;
}

/** The check digit for 11 leading digits, or null when no digit can make them valid. */
export function iinCheckDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) return null;
  let check = weightedMod11(first11, WEIGHTS_1);
  if (check === 10) check = weightedMod11(first11, WEIGHTS_2);
  return check === 10 ? null : check;
}

export function isValidIinBin(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  const check = iinCheckDigit(value.slice(0, 11));
  return check !== null && check === value.charCodeAt(11) - 48;
}

/** Masks all but the birth-date / registration part: `850101******`. */
export function maskIinBin(value: string): string {
  return value.length === 12 ? `${value.slice(0, 6)}******` : '************';
}
