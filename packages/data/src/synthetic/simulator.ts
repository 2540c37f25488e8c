import { INTERACTION_TYPES, PRICING_MODELS, type InteractionTypeName } from '@recsys/db';
import { Rng } from '../random/rng';
import { AliasTable } from '../sampling/alias-table';
import { DAY_MS, TrafficCalendar, localHour } from './calendar';
import { examinationProbability, sigmoid } from './click-model';
import { geometric, logNormal } from './distributions';
import { RNG_STREAMS, worldClickLogit, type SyntheticWorld } from './world';
import { CATEGORIES, COUNTRIES, DEVICES, DIURNAL_PATTERN } from './taxonomy';

const K = CATEGORIES.length;
const code = (t: InteractionTypeName): number => INTERACTION_TYPES.indexOf(t);
const IMPRESSION = code('IMPRESSION');
const VIEW = code('VIEW');
const CLICK = code('CLICK');
const API_CALL = code('API_CALL');
const SUBSCRIBE = code('SUBSCRIBE');
const FAVORITE = code('FAVORITE');
const RATING = code('RATING');
const REVIEW = code('REVIEW');
const PURCHASE = code('PURCHASE');
const FREE = PRICING_MODELS.indexOf('FREE');
const PAY_AS_YOU_GO = PRICING_MODELS.indexOf('PAY_AS_YOU_GO');
const ENTERPRISE = PRICING_MODELS.indexOf('ENTERPRISE');
const DESKTOP = DEVICES.indexOf('desktop');
const MOBILE = DEVICES.indexOf('mobile');
const API = DEVICES.indexOf('api');
const NO_VALUE = Number.NaN;
const NO_DWELL = -1;
/** Share of impressions drawn from overall popularity; the rest come from a category the user likes (browse/search). */
const POPULAR_SHARE = 0.5;
/** A new service's exposure ramps up over about three weeks; its launch hype fades over about three months. */
const RAMP_MS = 21 * DAY_MS;
const HYPE_MS = 90 * DAY_MS;
const CREDIT_PACKS = [5, 10, 20, 50, 100, 250];
/** How long the exposure tables hold: trends move weekly, and a rebuild costs O(services). */
const EXPOSURE_PERIOD_DAYS = 7;

/** The session the next events belong to. */
export interface SimulatedSession {
  /** 0-based, in start-time order. */
  index: number;
  user: number;
  /** Index into DEVICES. */
  device: number;
  /** The user's local hour of day at the start (0-23). */
  localHour: number;
  startMs: number;
}

/**
 * Where the simulator's events go: row objects for an import, typed arrays for a benchmark. `session` is
 * called before the events of each session.
 */
export interface SimulationSink {
  session(session: Readonly<SimulatedSession>): void;
  /**
   * One event: `type` is an index into INTERACTION_TYPES, `value` NaN when none (ratings are stars, purchases
   * and subscriptions USD, API calls thousands of tokens), `dwellMs` -1 when none, `page`/`position` the
   * list slot the event stems from (-1 for API sessions).
   */
  event(
    user: number,
    service: number,
    type: number,
    timeMs: number,
    value: number,
    dwellMs: number,
    page: number,
    position: number,
  ): void;
}

/**
 * The one simulation core behind both the row stream and the typed-array fast path. It emits exactly
 * `params.interactions` events, session by session, in session start order (events of a session in time
 * order). Memory is O(users + services): per-user and per-service typed arrays, a week's exposure tables,
 * nothing per event.
 *
 * Model:
 * - Traffic: each day's share of events grows linearly over the window (`growth`), weekends are quieter,
 *   and within a day sessions follow the diurnal pattern mixed over the users' time zones.
 * - A session belongs to a user drawn by activity among those signed up, kept with the diurnal weight of
 *   their local hour; its device follows their preference (mobile more in the evening).
 * - Browsing sessions show 1-3 pages of services; each slot is drawn from the week's exposure (base
 *   popularity, zero before launch and after retirement, a ramp and a fading hype after an in-window launch)
 *   or from a category the user likes. The funnel per slot: IMPRESSION; VIEW with probability
 *   examination(position)·√p (with dwell time); CLICK with probability √p, where p = clickProbability(user,
 *   service); after a click, API_CALLs, maybe SUBSCRIBE (subscription/enterprise) or PURCHASE (credits),
 *   FAVORITE, RATING (1-5 stars tied to p) and REVIEW.
 * - API sessions call the service the user last clicked, a few to many times.
 */
export class MarketplaceSimulator {
  private readonly rng: Rng;
  private readonly calendar: TrafficCalendar;
  private readonly userTable: AliasTable;
  private readonly userOffset: Int8Array;
  private readonly lastService: Int32Array;
  private readonly members: Int32Array[];
  private readonly weights: Float64Array;
  private readonly limit: number;
  private emittedCount = 0;
  private sessionCount = 0;
  private day = -1;
  private dayStartMs = 0;
  /** First day after the period the exposure tables were built for. */
  private periodEnd = 0;
  private exposure: AliasTable | null = null;
  private categoryExposure: (AliasTable | null)[] = [];
  private readonly current: SimulatedSession = { index: 0, user: 0, device: 0, localHour: 0, startMs: 0 };

  constructor(private readonly world: SyntheticWorld) {
    const { params, catalog, population } = world;
    this.rng = new Rng(params.seed).fork(RNG_STREAMS.simulation);
    this.limit = params.interactions;
    this.calendar = new TrafficCalendar(params.startMs, params.endMs, params.interactions, params.growth);
    this.userTable = new AliasTable(population.activity);
    this.userOffset = Int8Array.from(population.country, (c) => COUNTRIES[c].utcOffsetHours);
    this.lastService = new Int32Array(population.size).fill(-1);
    this.weights = new Float64Array(catalog.size);
    this.members = CATEGORIES.map((_, k) => {
      const list: number[] = [];
      for (let s = 0; s < catalog.size; s++)
        if (catalog.category[s] === k || catalog.secondary[s] === k) list.push(s);
      return Int32Array.from(list);
    });
  }

  /** Events emitted so far. */
  get events(): number {
    return this.emittedCount;
  }

  get sessions(): number {
    return this.sessionCount;
  }

  /** Runs the simulation to the end. */
  run(sink: SimulationSink): void {
    while (this.nextSession(sink));
  }

  /** Simulates the next session into `sink`; false once all events are out. */
  nextSession(sink: SimulationSink): boolean {
    if (this.emittedCount >= this.limit) return false;
    while (this.emittedCount >= this.calendar.due(this.day)) this.startDay(this.day + 1);
    const from = this.calendar.due(this.day - 1);
    const fraction = (this.emittedCount - from) / (this.calendar.due(this.day) - from);
    const startMs = this.dayStartMs + Math.floor(this.calendar.timeOfDay(fraction));
    const user = this.pickUser(startMs);
    const hour = localHour(startMs, this.userOffset[user]);
    const device = this.pickDevice(user, hour, startMs);
    const session = this.current;
    session.index = this.sessionCount++;
    session.user = user;
    session.device = device;
    session.localHour = hour;
    session.startMs = startMs;
    sink.session(session);
    if (device === API) this.apiSession(sink, user, startMs);
    else this.browse(sink, user, device, startMs);
    return true;
  }

  private startDay(day: number): void {
    this.day = day;
    this.dayStartMs = this.world.params.startMs + day * DAY_MS;
    if (day >= this.periodEnd) this.buildExposure(day);
  }

  /**
   * Rebuilds the exposure tables for the EXPOSURE_PERIOD_DAYS from `day`, O(services): each service weighs its
   * popularity times its trend at mid-period, 0 when it is not live at any time of the period. Whether a
   * drawn service is live at the very moment is checked at the draw (`drawService`).
   */
  private buildExposure(day: number): void {
    const { catalog, params } = this.world;
    const from = params.startMs + day * DAY_MS;
    const to = from + EXPOSURE_PERIOD_DAYS * DAY_MS;
    const mid = (from + to) / 2;
    const w = this.weights;
    for (let s = 0; s < catalog.size; s++) {
      const launch = catalog.launchMs[s];
      if (launch >= to || catalog.retireMs[s] <= from) {
        w[s] = 0;
        continue;
      }
      const hype = catalog.hype[s];
      const age = Math.max(mid - launch, DAY_MS);
      w[s] =
        hype > 0
          ? catalog.popularity[s] * (1 - Math.exp(-age / RAMP_MS)) * (1 + hype * Math.exp(-age / HYPE_MS))
          : catalog.popularity[s];
    }
    this.exposure = table(w);
    this.categoryExposure = this.members.map((list) => table(Float64Array.from(list, (s) => w[s])));
    this.periodEnd = day + EXPOSURE_PERIOD_DAYS;
  }

  private pickUser(ms: number): number {
    const { population } = this.world;
    const rng = this.rng;
    for (let tries = 0; tries < 64; tries++) {
      const u = this.userTable.draw(rng);
      if (population.signupMs[u] > ms) continue;
      if (rng.nextFast() < DIURNAL_PATTERN[localHour(ms, this.userOffset[u])]) return u;
    }
    return this.rng.int(population.preStart);
  }

  private pickDevice(u: number, hour: number, ms: number): number {
    const prefs = this.world.population.devices;
    const last = this.lastService[u];
    const desktop = prefs[u * 3 + DESKTOP];
    const mobile = prefs[u * 3 + MOBILE] * (hour >= 18 || hour < 1 ? 1.6 : 1);
    const api = last >= 0 && this.world.catalog.retireMs[last] > ms ? prefs[u * 3 + API] : 0;
    const x = this.rng.nextFast() * (desktop + mobile + api);
    return x < desktop ? DESKTOP : x < desktop + mobile ? MOBILE : API;
  }

  private emit(
    sink: SimulationSink,
    u: number,
    s: number,
    type: number,
    ms: number,
    value: number,
    dwell: number,
    page: number,
    position: number,
  ): void {
    if (this.emittedCount >= this.limit) return;
    this.emittedCount++;
    sink.event(u, s, type, ms, value, dwell, page, position);
  }

  /** A service to show `u` at `ms`: from overall exposure or from a category the user likes; always one that is live. */
  private drawService(u: number, ms: number): number {
    const { catalog, population } = this.world;
    const rng = this.rng;
    for (let tries = 0; tries < 8; tries++) {
      let s = -1;
      if (rng.nextFast() >= POPULAR_SHARE) {
        let x = rng.nextFast();
        let k = 0;
        while (k < K - 1 && (x -= population.taste[u * K + k]) >= 0) k++;
        const t = this.categoryExposure[k];
        if (t) s = this.members[k][t.draw(rng)];
      }
      if (s < 0) s = (this.exposure as AliasTable).draw(rng);
      if (catalog.launchMs[s] <= ms && catalog.retireMs[s] > ms) return s;
    }
    return catalog.alwaysLive;
  }

  private browse(sink: SimulationSink, u: number, device: number, startMs: number): void {
    const rng = this.rng;
    const pages = 1 + Math.min(2, geometric(rng, 0.6));
    const pageSize = device === MOBILE ? 3 + rng.int(3) : 4 + rng.int(5);
    let t = startMs;
    for (let page = 0; page < pages; page++) {
      for (let pos = 0; pos < pageSize; pos++) {
        if (this.emittedCount >= this.limit) return;
        const s = this.drawService(u, t);
        t += 300 + Math.floor(rng.nextFast() * 900);
        this.emit(sink, u, s, IMPRESSION, t, NO_VALUE, NO_DWELL, page, pos);
        const p = sigmoid(worldClickLogit(this.world, u, s));
        const root = Math.sqrt(p);
        if (rng.nextFast() >= examinationProbability(pos) * root) continue;
        const dwell = Math.round(logNormal(rng, Math.log(6000 * (0.5 + 2 * p)), 0.6));
        t += 800 + Math.floor(rng.nextFast() * 2000);
        this.emit(sink, u, s, VIEW, t, NO_VALUE, dwell, page, pos);
        t += dwell;
        if (rng.nextFast() >= root) continue;
        this.emit(sink, u, s, CLICK, t, NO_VALUE, NO_DWELL, page, pos);
        this.lastService[u] = s;
        t = this.afterClick(sink, u, s, p, t + 2000 + Math.floor(rng.nextFast() * 8000), page, pos);
      }
      t += 2000 + Math.floor(rng.nextFast() * 10_000);
    }
  }

  /** Trying the service out and what may follow; returns the time after the last event. */
  private afterClick(
    sink: SimulationSink,
    u: number,
    s: number,
    p: number,
    t: number,
    page: number,
    pos: number,
  ): number {
    const { catalog, population } = this.world;
    const rng = this.rng;
    const model = catalog.pricingModel[s];
    const openAccess = model === FREE || catalog.freeTier[s] === 1;
    const tryOut = Math.min(0.95, 0.3 + 0.5 * p + (openAccess ? 0.15 : 0)) * (model === ENTERPRISE ? 0.4 : 1);
    if (rng.nextFast() >= tryOut) return t;
    const calls = 1 + Math.min(19, geometric(rng, 0.45));
    for (let c = 0; c < calls; c++) {
      t += 500 + Math.floor(rng.nextFast() * 5000);
      this.emit(sink, u, s, API_CALL, t, tokensK(rng), NO_DWELL, page, pos);
    }
    const priceDrag = 1 - (0.7 * population.priceSensitivity[u] * catalog.priceTier[s]) / 4;
    if (model !== FREE && rng.nextFast() < (0.04 + 0.35 * p) * priceDrag) {
      t += 5000 + Math.floor(rng.nextFast() * 60_000);
      if (model === PAY_AS_YOU_GO) {
        const pack = Math.min(
          CREDIT_PACKS.length - 1,
          Math.floor(rng.nextFast() * 4 * (1.2 - population.priceSensitivity[u])),
        );
        this.emit(sink, u, s, PURCHASE, t, CREDIT_PACKS[pack], NO_DWELL, page, pos);
      } else {
        this.emit(sink, u, s, SUBSCRIBE, t, catalog.priceUsd[s], NO_DWELL, page, pos);
      }
    }
    if (rng.nextFast() < 0.05 + 0.25 * p) {
      t += 1000 + Math.floor(rng.nextFast() * 5000);
      this.emit(sink, u, s, FAVORITE, t, NO_VALUE, NO_DWELL, page, pos);
    }
    if (rng.nextFast() < 0.12) {
      const stars = Math.max(1, Math.min(5, Math.round(2.2 + 3 * p + 0.9 * rng.normal())));
      t += 5000 + Math.floor(rng.nextFast() * 30_000);
      this.emit(sink, u, s, RATING, t, stars, NO_DWELL, page, pos);
      if (rng.nextFast() < 0.25) {
        t += 20_000 + Math.floor(rng.nextFast() * 120_000);
        this.emit(sink, u, s, REVIEW, t, stars, NO_DWELL, page, pos);
      }
    }
    return t;
  }

  /** A programmatic session: a burst of calls to the service the user adopted last. */
  private apiSession(sink: SimulationSink, u: number, startMs: number): void {
    const rng = this.rng;
    const s = this.lastService[u];
    const calls = 1 + Math.min(49, geometric(rng, 0.2));
    let t = startMs;
    for (let c = 0; c < calls && this.emittedCount < this.limit; c++) {
      this.emit(sink, u, s, API_CALL, t, tokensK(rng), NO_DWELL, -1, -1);
      t += 200 + Math.floor(rng.nextFast() * 3000);
    }
  }
}

/** Thousands of tokens (or units) in one API call, log-normal around 2k. */
function tokensK(rng: Rng): number {
  return Math.round(logNormal(rng, Math.log(2), 1) * 10) / 10;
}

function table(weights: Float64Array): AliasTable | null {
  for (let i = 0; i < weights.length; i++) if (weights[i] > 0) return new AliasTable(weights);
  return null;
}
