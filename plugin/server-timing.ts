// Generator-added latency per response: the client's total time minus the server's own handling time, for
// servers that send `Server-Timing: total;dur=<ms>` (the embedded API does). It shows whether the load
// generator, not the server, is adding the latency a run reports.

/** The `total` metric's duration in ms from a Server-Timing header, or null when absent or malformed. */
export function serverTotalMs(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return null;
  const match = /(?:^|,)\s*total\s*;(?:[^,]*;)?\s*dur=([0-9]+(?:\.[0-9]+)?)/.exec(value);
  return match ? Number(match[1]) : null;
}

/**
 * Client total minus server time, never negative (clocks and rounding can make it slightly so). `server`: the
 * header, or its duration already read.
 */
export function generatorAddedMs(
  clientTotalMs: number,
  server: string | string[] | number | null | undefined,
): number | null {
  const serverMs = typeof server === 'number' ? server : serverTotalMs(server ?? undefined);
  return serverMs === null ? null : Math.max(0, clientTotalMs - serverMs);
}
