import type { InteractionLog } from '@recsys/data';
import { groupEvents } from './group-events';
import { recordOptions, typeMask, type RecordOptions } from './record-options';

/**
 * The context of one event (or of a serving request): when, on what device, and where in the user's session.
 * The input of ContextFeaturePipeline.
 */
export interface ContextRecord {
  timestampSeconds: number;
  /** The user's offset from UTC, for local hour/weekday/month; default 0 (UTC). */
  utcOffsetHours?: number;
  device?: string | null;
  /** Seconds since the user's previous activity event; NaN for a first event. */
  secondsSinceLast: number;
  /** Activity events of the user earlier in the same session (0 for the first of a session). */
  sessionEvents: number;
  /** Seconds since the session's first event (0 for the first of a session). */
  sessionSeconds: number;
}

/** Per-event session context over a whole log (index = event). */
export interface EventContexts {
  secondsSinceLast: Float64Array;
  sessionEvents: Int32Array;
  sessionSeconds: Float64Array;
}

/**
 * Point-in-time session context of every event of the log, looking only at the user's earlier activity events
 * (RecordOptions.activityTypes), in (timestamp, event index) order:
 *
 * - secondsSinceLast(e) = t_e − t_p, p the user's latest activity event before e; NaN when there is none;
 * - a session is a run of a user's activity events with gaps ≤ sessionGapSeconds; when e continues the session
 *   (secondsSinceLast ≤ gap), sessionEvents(e) = its activity events before e and sessionSeconds(e) = t_e − t_start,
 *   otherwise e opens a session and both are 0.
 *
 * Computed over the whole log (train and test alike), since at serving time the user's past is known.
 * Costs 20 bytes per event and O(events · log(events per user)).
 */
export function eventContexts(log: InteractionLog, options: Partial<RecordOptions> = {}): EventContexts {
  const o = recordOptions(options);
  const activity = typeMask(o.activityTypes);
  const n = log.length;
  let nUsers = 0;
  for (let e = 0; e < n; e++) if (log.users[e] >= nUsers) nUsers = log.users[e] + 1;
  const grouped = groupEvents(log.users, nUsers);
  const out: EventContexts = {
    secondsSinceLast: new Float64Array(n),
    sessionEvents: new Int32Array(n),
    sessionSeconds: new Float64Array(n),
  };
  const t = log.timestamps;
  for (let u = 0; u < nUsers; u++) {
    const own = grouped.events.subarray(grouped.offsets[u], grouped.offsets[u + 1]);
    own.sort((a, b) => t[a] - t[b] || a - b);
    let last = Number.NaN;
    let sessionStart = Number.NaN;
    let sessionCount = 0;
    for (const e of own) {
      const gap = t[e] - last; // NaN before the first activity event
      const continues = gap <= o.sessionGapSeconds;
      out.secondsSinceLast[e] = gap;
      out.sessionEvents[e] = continues ? sessionCount : 0;
      out.sessionSeconds[e] = continues ? t[e] - sessionStart : 0;
      if (activity[log.types[e]] !== 1) continue;
      if (!continues) {
        sessionStart = t[e];
        sessionCount = 0;
      }
      sessionCount++;
      last = t[e];
    }
  }
  return out;
}

/** The ContextRecord of event `e`. */
export function eventContextRecord(
  log: InteractionLog,
  contexts: EventContexts,
  e: number,
  extra: { utcOffsetHours?: number; device?: string | null } = {},
): ContextRecord {
  return {
    timestampSeconds: log.timestamps[e],
    utcOffsetHours: extra.utcOffsetHours,
    device: extra.device,
    secondsSinceLast: contexts.secondsSinceLast[e],
    sessionEvents: contexts.sessionEvents[e],
    sessionSeconds: contexts.sessionSeconds[e],
  };
}
