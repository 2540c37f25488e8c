import type { DatasetRows } from '@recsys/db';
import { IdMap } from '../ids/id-map';
import { InteractionLogBuilder, interactionTypeCode } from '../interactions/interaction-log';
import type { InteractionDataset } from './dataset';
import { ItemSideBuilder, UserSideBuilder } from './side-data-builders';

type RowStream<T> = Iterable<T> | AsyncIterable<T>;

/** Calls `fn` per row; a synchronous iterable is walked without an await per row. */
async function forEachRow<T>(rows: RowStream<T>, fn: (row: T) => void): Promise<void> {
  if (Symbol.asyncIterator in rows) {
    for await (const row of rows) fn(row);
  } else {
    for (const row of rows) fn(row);
  }
}

/**
 * Builds a dataset straight from importer rows, without the database (tests, notebooks, the synthetic
 * marketplace in memory). Streams are consumed once, in DatasetRows order: providers (their ids seed the
 * provider vocabulary), users, services, interactions; tag assignments are not part of the dataset.
 * Dense ids: services first in stream order, then items that only interactions mention, in order of
 * appearance; users likewise. Side data are filled when the users (services) stream is present.
 * Interaction times become seconds (occurredAtMs / 1000); a null or absent value becomes NaN.
 */
export async function buildDatasetFromRows(name: string, rows: DatasetRows): Promise<InteractionDataset> {
  const users = new IdMap();
  const items = new IdMap();
  const providerVocab = new IdMap();
  if (rows.providers) await forEachRow(rows.providers, (p) => void providerVocab.add(p.id));
  let userSide: UserSideBuilder | undefined;
  if (rows.users) {
    const builder = (userSide = new UserSideBuilder());
    await forEachRow(rows.users, (u) => builder.add(users, u));
  }
  let itemSide: ItemSideBuilder | undefined;
  if (rows.services) {
    const builder = (itemSide = new ItemSideBuilder(providerVocab));
    await forEachRow(rows.services, (s) => builder.add(items, s));
  }
  const log = new InteractionLogBuilder();
  if (rows.interactions) {
    await forEachRow(rows.interactions, (r) => {
      log.push(
        users.add(r.userId),
        items.add(r.serviceId),
        r.value ?? Number.NaN,
        r.occurredAtMs / 1000,
        interactionTypeCode(r.type),
      );
    });
  }
  const dataset: InteractionDataset = { name, users, items, log: log.build() };
  if (itemSide) dataset.itemSide = itemSide.finish(items);
  if (userSide) dataset.userSide = userSide.finish(users);
  return dataset;
}
