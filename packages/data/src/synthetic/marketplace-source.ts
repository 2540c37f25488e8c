import {
  INTERACTION_TYPES,
  type DatasetRows,
  type ImportIssues,
  type InteractionRow,
  type JsonObject,
  type ProviderRow,
  type ServiceRow,
  type UserRow,
} from '@recsys/db';
import type { DatasetSource } from '../sources/dataset-source';
import { fingerprintValue } from '../sources/fingerprint';
import { providerRow, serviceRow } from './catalog';
import { syntheticParams, type SyntheticMarketplaceOptions, type SyntheticParams } from './params';
import { userRow } from './population';
import { SessionBuffer } from './session-buffer';
import { MarketplaceSimulator } from './simulator';
import { DEVICES } from './taxonomy';
import { buildWorld, type SyntheticWorld } from './world';

/** Bumped whenever a change to the generator changes its output for the same parameters. */
export const SYNTHETIC_GENERATOR_VERSION = 1;

/** The synthetic streams are synchronous generators: nothing to wait for, and cheaper to iterate. */
export interface SyntheticRows extends DatasetRows {
  providers: Iterable<ProviderRow>;
  users: Iterable<UserRow>;
  services: Iterable<ServiceRow>;
  interactions: Iterable<InteractionRow>;
}

export interface SyntheticMarketplaceSource extends DatasetSource {
  readonly kind: 'synthetic';
  /** Generated rows never have problems, so `issues` is not needed. */
  rows(issues?: ImportIssues): SyntheticRows;
  /** The options with every default filled in. */
  readonly params: SyntheticParams;
  /** The catalog and population (built once, on first use), for ground-truth queries such as `trueClickProbability`. */
  world(): SyntheticWorld;
}

/**
 * The synthetic LLM-API marketplace as a dataset source: providers, services, users (latent traits in
 * `attributes`) and exactly `interactions` events, all generated lazily from the seed (see
 * MarketplaceSimulator for the model). The same options give identical rows.
 *
 * Idempotency keys are `syn-<first 8 hex of the fingerprint>:<event number>`: re-importing the same options
 * is a no-op, and other options never collide with them. Session ids are `s<session number>`, request ids
 * `s<session>-p<page>` for events that stem from a shown list.
 */
export function syntheticMarketplace(options: SyntheticMarketplaceOptions): SyntheticMarketplaceSource {
  const params = syntheticParams(options);
  const fingerprint = fingerprintValue({
    generator: 'synthetic-marketplace',
    version: SYNTHETIC_GENERATOR_VERSION,
    params,
  });
  let world: SyntheticWorld | undefined;
  const getWorld = (): SyntheticWorld => (world ??= buildWorld(params));
  const day = new Date(params.startMs).toISOString().slice(0, 10);
  return {
    datasetId: params.datasetId,
    kind: 'synthetic',
    description:
      `Synthetic LLM-API marketplace (seed ${params.seed}): ${params.users} users, ${params.services} services, ` +
      `${params.interactions} interactions over ${params.months} months from ${day}`,
    params,
    world: getWorld,
    fingerprint: () => Promise.resolve(fingerprint),
    rows(): SyntheticRows {
      return {
        providers: providerRows(getWorld),
        users: userRows(getWorld),
        services: serviceRows(getWorld),
        interactions: interactionRows(getWorld, `syn-${fingerprint.slice(0, 8)}`),
      };
    },
  };
}

function* providerRows(world: () => SyntheticWorld): Generator<ProviderRow> {
  for (const p of world().catalog.providers) yield providerRow(p);
}

function* userRows(world: () => SyntheticWorld): Generator<UserRow> {
  const { population } = world();
  for (let u = 0; u < population.size; u++) yield userRow(population, u);
}

function* serviceRows(world: () => SyntheticWorld): Generator<ServiceRow> {
  const w = world();
  for (let s = 0; s < w.catalog.size; s++) yield serviceRow(w.catalog, s, w.params.endMs);
}

/** Pulls the simulator one session at a time through a SessionBuffer and turns its events into rows. */
function* interactionRows(world: () => SyntheticWorld, keyPrefix: string): Generator<InteractionRow> {
  const w = world();
  const simulator = new MarketplaceSimulator(w);
  const buffer = new SessionBuffer();
  const userIds = w.population.ids;
  const serviceIds = w.catalog.ids;
  let n = 0;
  while (simulator.nextSession(buffer)) {
    const { index, user, device, localHour } = buffer.current;
    const sessionId = `s${index}`;
    const deviceName = DEVICES[device];
    const requestIds: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const page = buffer.pages[i];
      const value = buffer.values[i];
      const dwell = buffer.dwells[i];
      const context: JsonObject =
        page >= 0
          ? { device: deviceName, hour: localHour, position: buffer.positions[i] }
          : { device: deviceName, hour: localHour };
      yield {
        userId: userIds[user],
        serviceId: serviceIds[buffer.services[i]],
        type: INTERACTION_TYPES[buffer.types[i]],
        value: Number.isNaN(value) ? null : value,
        dwellMs: dwell < 0 ? null : dwell,
        sessionId,
        requestId: page >= 0 ? (requestIds[page] ??= `${sessionId}-p${page}`) : null,
        context,
        occurredAtMs: buffer.times[i],
        idempotencyKey: `${keyPrefix}:${n++}`,
      };
    }
  }
}
