// The saturation setting of the reference API (--max-inflight C --service-ms S): at most C requests are in
// service at once, each holding its slot S ms, and the rest wait in one FIFO queue, as a saturating server
// does. Its capacity is C × 1000 / S req/s: a known answer for the capacity finder to be tested against.
//
// The schedule is kept in the limiter's own time, not in when timers happen to fire: each slot's next free
// moment is the previous holder's scheduled end, so a timer that fires a millisecond late (they do) does
// not lower the capacity below C × 1000 / S.

export interface SaturationSetting {
  maxInflight: number;
  serviceMs: number;
}

export const NO_SATURATION: SaturationSetting = { maxInflight: 0, serviceMs: 0 };

/** The requests per second a setting serves at most; null when it is off. */
export function saturationCapacity(setting: SaturationSetting): number | null {
  return setting.maxInflight > 0 && setting.serviceMs > 0
    ? (setting.maxInflight * 1000) / setting.serviceMs
    : null;
}

export class SaturationSchedule {
  /** When each of the C slots is free again. */
  private readonly freeAt: number[];

  constructor(private readonly setting: SaturationSetting) {
    this.freeAt = new Array<number>(setting.maxInflight).fill(-Infinity);
  }

  /**
   * Books the next request arriving at `now`: it takes the slot that frees first (FIFO: every earlier
   * arrival booked before it), starts when that slot is free, and holds it serviceMs. Returns its span.
   */
  book(now: number): { start: number; end: number } {
    let best = 0;
    for (let slot = 1; slot < this.freeAt.length; slot++)
      if (this.freeAt[slot]! < this.freeAt[best]!) best = slot;
    const start = Math.max(now, this.freeAt[best]!);
    const end = start + this.setting.serviceMs;
    this.freeAt[best] = end;
    return { start, end };
  }
}

/** The limiter the server awaits before handling an API request; a no-op when the setting is off. */
export class SaturationLimiter {
  private readonly schedule: SaturationSchedule | null;

  constructor(
    setting: SaturationSetting,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.schedule = saturationCapacity(setting) === null ? null : new SaturationSchedule(setting);
  }

  get active(): boolean {
    return this.schedule !== null;
  }

  /** Resolves when this request's turn in the queue and its service time are over. */
  serve(): Promise<void> | null {
    if (this.schedule === null) return null;
    const now = this.now();
    const { end } = this.schedule.book(now);
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, end - now)));
  }
}
