// Was a response a success? The request's own `expect: statusCode` (artillery-plugin-expect's spec) decides
// when it has one, so expected rejections (401 on an invalid login) count as successes; otherwise Locust's
// rule: any status below 400.

export type ExpectSpec = unknown;

/** Status codes a request declares as expected, or null when it declares none. */
export function expectedStatuses(
  expect: ExpectSpec,
  resolve: (value: unknown) => unknown = (v) => v,
): number[] | null {
  const items = Array.isArray(expect) ? expect : expect && typeof expect === 'object' ? [expect] : [];
  for (const item of items) {
    if (item && typeof item === 'object' && 'statusCode' in item) {
      const status = resolve((item as { statusCode: unknown }).statusCode);
      const list = (Array.isArray(status) ? status : [status]).map(Number).filter((n) => Number.isInteger(n));
      return list.length > 0 ? list : null;
    }
  }
  return null;
}

export function isSuccess(status: number, expected: number[] | null): boolean {
  return expected === null ? status < 400 : expected.includes(status);
}
