// Shares an integer sum among weights so the parts add up exactly (largest remainder), in integers:
// used to show a period's payments per service, since a payment is made to the account, not to a service.

/** Splits `total` in proportion to `weights` (negative weights count as 0); parts always sum to `total`. */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total)) throw new RangeError(`Total must be an integer: ${total}`);
  if (weights.length === 0) return [];
  const clipped = weights.map((w) => {
    if (!Number.isSafeInteger(w)) throw new RangeError(`Weights must be integers: ${w}`);
    return BigInt(Math.max(0, w));
  });
  const sum = clipped.reduce((a, b) => a + b, 0n);
  // Nothing to weigh by: the whole sum goes to the first part (water), so it is still shown somewhere.
  if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0));
  const sign = total < 0 ? -1n : 1n;
  const magnitude = BigInt(Math.abs(total));
  const parts = clipped.map((w) => (magnitude * w) / sum);
  const remainders = clipped.map((w, i) => ({ i, r: (magnitude * w) % sum }));
  let left = magnitude - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = parts[i]! + 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(p * sign));
}
