import { COUNTRIES, DIURNAL_PATTERN } from './taxonomy';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Weekend traffic relative to a weekday. */
const WEEKEND_FACTOR = 0.75;

/**
 * When the simulated events happen: how many by the end of each day (traffic grows linearly over the window,
 * weekends are quieter) and at which times within a day (the local diurnal pattern mixed over the users'
 * time zones, in UTC).
 */
export class TrafficCalendar {
  readonly days: number;
  /** Events due by the end of day d (cumulative, integer; the last is the total). */
  private readonly dueBy: Float64Array;
  /** Cumulative share of a day's traffic at the start of each UTC hour, 25 entries from 0 to 1. */
  private readonly hourCdf = new Float64Array(25);

  constructor(
    readonly startMs: number,
    readonly endMs: number,
    total: number,
    growth: number,
  ) {
    this.days = Math.max(1, Math.ceil((endMs - startMs) / DAY_MS));
    const weights = new Float64Array(this.days);
    let sum = 0;
    for (let d = 0; d < this.days; d++) {
      const weekday = new Date(startMs + d * DAY_MS).getUTCDay();
      const ramp = this.days > 1 ? 1 + (growth * d) / (this.days - 1) : 1;
      weights[d] = ramp * (weekday === 0 || weekday === 6 ? WEEKEND_FACTOR : 1);
      sum += weights[d];
    }
    this.dueBy = new Float64Array(this.days);
    let acc = 0;
    for (let d = 0; d < this.days; d++) {
      acc += weights[d];
      this.dueBy[d] = d === this.days - 1 ? total : Math.round((total * acc) / sum);
    }
    const utc = new Float64Array(24);
    for (const c of COUNTRIES) {
      for (let h = 0; h < 24; h++)
        utc[h] += c.share * DIURNAL_PATTERN[(((h + c.utcOffsetHours) % 24) + 24) % 24];
    }
    let cum = 0;
    const utcTotal = utc.reduce((a, b) => a + b, 0);
    for (let h = 0; h < 24; h++) {
      this.hourCdf[h] = cum / utcTotal;
      cum += utc[h];
    }
    this.hourCdf[24] = 1;
  }

  /** Events due by the end of `day` (0 before the first day). */
  due(day: number): number {
    return day < 0 ? 0 : this.dueBy[Math.min(day, this.days - 1)];
  }

  /**
   * The time of day (ms after UTC midnight) by which a share `fraction` (0..1) of the day's traffic has
   * happened: sessions placed at increasing fractions come out in time order and follow the diurnal curve.
   */
  timeOfDay(fraction: number): number {
    let h = 0;
    while (h < 23 && this.hourCdf[h + 1] <= fraction) h++;
    const lo = this.hourCdf[h];
    const width = this.hourCdf[h + 1] - lo;
    const within = width > 0 ? Math.min(1, Math.max(0, (fraction - lo) / width)) : 0;
    return (h + within) * HOUR_MS;
  }
}

/** The local hour of day (0-23) at `ms` for a UTC offset in whole hours. */
export function localHour(ms: number, utcOffsetHours: number): number {
  const h = Math.floor(ms / HOUR_MS) + utcOffsetHours;
  return ((h % 24) + 24) % 24;
}
