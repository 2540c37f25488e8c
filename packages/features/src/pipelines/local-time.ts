/** Calendar position of an instant in a time zone given as a UTC offset. */
export interface LocalTime {
  /** Hour of day with minutes and seconds as a fraction: 0 ≤ hour < 24. */
  hour: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** 0 = January … 11 = December. */
  month: number;
}

/** The local time of `timestampSeconds` (seconds since the epoch) at `utcOffsetHours`; NaNs for a NaN time. */
export function localTime(timestampSeconds: number, utcOffsetHours = 0): LocalTime {
  if (!Number.isFinite(timestampSeconds)) return { hour: Number.NaN, weekday: Number.NaN, month: Number.NaN };
  const local = timestampSeconds + utcOffsetHours * 3600;
  const days = Math.floor(local / 86_400);
  return {
    hour: (local - days * 86_400) / 3600,
    // 1970-01-01 was a Thursday (4)
    weekday: (((days + 4) % 7) + 7) % 7,
    month: new Date(days * 86_400_000).getUTCMonth(),
  };
}
