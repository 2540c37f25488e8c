import type { Job } from 'bullmq';

/** What the manager calls for one job (BullMQ's processor: the job, its lock token, its abort signal). */
export type JobProcessor = (
  job: Job,
  token: string | undefined,
  signal: AbortSignal | undefined,
) => Promise<unknown>;
