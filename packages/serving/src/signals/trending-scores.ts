import type { TrendingOptions, Pool } from '../options';
import type { CatalogSnapshot } from '../catalog/catalog-snapshot';
import { errorMessage, type Logger } from '../logger';

interface TrendingRead {
  readAtMs: number;
  serviceIds: string[];
  scores: Float64Array;
}

/**
 * Time-decayed recent demand per service, read from the event log:
 *   score_s = Σ_{events e on s, t_ref − window < t_e ≤ t_ref, type ≠ IMPRESSION} 2^(−(t_ref − t_e) / halfLife)
 * (TrendingModel's formula, computed live in PostgreSQL so that new services and today's events count).
 * t_ref is now; when the window holds no events (a historical dataset such as MovieLens) it is the
 * dataset's latest event. The aggregate is reused for `ttlMs`; a stale one is served while one refresh
 * runs in the background, so only the very first read waits on the database.
 */
export class TrendingScores {
  private read: TrendingRead | null = null;
  private refreshing: Promise<TrendingRead> | null = null;
  private readonly perCatalog = new WeakMap<CatalogSnapshot, { read: TrendingRead; scores: Float32Array }>();

  constructor(
    private readonly pool: Pool,
    private readonly datasetId: string,
    private readonly options: TrendingOptions,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  /** Scores over the catalog's indexes (0 for services without recent events). */
  async scores(catalog: CatalogSnapshot): Promise<Float32Array> {
    const read = await this.current();
    const hit = this.perCatalog.get(catalog);
    if (hit && hit.read === read) return hit.scores;
    const scores = new Float32Array(catalog.ids.size);
    for (let k = 0; k < read.serviceIds.length; k++) {
      const c = catalog.ids.indexOf(read.serviceIds[k]);
      if (c !== undefined) scores[c] = read.scores[k];
    }
    this.perCatalog.set(catalog, { read, scores });
    return scores;
  }

  private async current(): Promise<TrendingRead> {
    const read = this.read;
    if (read !== null && Date.now() - read.readAtMs < this.ttlMs) return read;
    if (this.refreshing === null) {
      const refreshing = this.query()
        .then((r) => (this.read = r))
        .finally(() => {
          this.refreshing = null;
        });
      // With a stale read to serve nobody awaits this one: report its failure here.
      refreshing.catch((error: unknown) =>
        this.logger.warn({ err: errorMessage(error) }, 'trending scores could not be read'),
      );
      this.refreshing = refreshing;
    }
    return read ?? this.refreshing;
  }

  private async query(): Promise<TrendingRead> {
    let rows = await this.aggregate(new Date());
    if (rows.length === 0) {
      const latest = await this.pool.query<{ latest: Date | null }>(
        `SELECT max("occurredAt") AS latest FROM "Interaction" WHERE "datasetId" = $1`,
        [this.datasetId],
      );
      const at = latest.rows[0]?.latest;
      if (at) rows = await this.aggregate(at);
    }
    return {
      readAtMs: Date.now(),
      serviceIds: rows.map((r) => r.serviceId),
      scores: Float64Array.from(rows, (r) => Number(r.score)),
    };
  }

  private async aggregate(ref: Date): Promise<{ serviceId: string; score: string }[]> {
    const halfLifeSeconds = this.options.halfLifeDays * 86_400;
    const res = await this.pool.query<{ serviceId: string; score: string }>(
      `SELECT "serviceId",
              sum(power(2, -extract(epoch FROM ($2::timestamptz - "occurredAt")) / $3)) AS score
         FROM "Interaction"
        WHERE "datasetId" = $1 AND "type" <> 'IMPRESSION'
          AND "occurredAt" <= $2::timestamptz
          AND "occurredAt" > $2::timestamptz - make_interval(secs => $4)
        GROUP BY "serviceId"`,
      [this.datasetId, ref, halfLifeSeconds, this.options.windowDays * 86_400],
    );
    return res.rows;
  }
}
