// The benchmark scripts' bad-input handling: one line, exit 2, as every command of the pack.

export function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

/** A whole-number flag from `min` to `max`, or `fallback` when it is not given. */
export function wholeNumberFlag(
  raw: string | undefined,
  name: string,
  fallback: number,
  [min, max]: [number, number],
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}
