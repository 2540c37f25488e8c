import type { SimulatedSession, SimulationSink } from './simulator';

/**
 * A sink that holds one session's events in reusable typed arrays, so that a pull-based row stream can
 * drive the push-based simulator one session at a time: memory is bounded by the longest session.
 */
export class SessionBuffer implements SimulationSink {
  length = 0;
  readonly current: SimulatedSession = { index: 0, user: 0, device: 0, localHour: 0, startMs: 0 };
  services = new Int32Array(64);
  types = new Uint8Array(64);
  times = new Float64Array(64);
  values = new Float64Array(64);
  dwells = new Float64Array(64);
  pages = new Int16Array(64);
  positions = new Int16Array(64);

  session(session: Readonly<SimulatedSession>): void {
    Object.assign(this.current, session);
    this.length = 0;
  }

  event(
    _user: number,
    service: number,
    type: number,
    timeMs: number,
    value: number,
    dwellMs: number,
    page: number,
    position: number,
  ): void {
    if (this.length === this.services.length) this.grow();
    const i = this.length++;
    this.services[i] = service;
    this.types[i] = type;
    this.times[i] = timeMs;
    this.values[i] = value;
    this.dwells[i] = dwellMs;
    this.pages[i] = page;
    this.positions[i] = position;
  }

  private grow(): void {
    const n = this.services.length * 2;
    const grown = <T extends Int32Array | Uint8Array | Float64Array | Int16Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.services = grown(this.services, (k) => new Int32Array(k));
    this.types = grown(this.types, (k) => new Uint8Array(k));
    this.times = grown(this.times, (k) => new Float64Array(k));
    this.values = grown(this.values, (k) => new Float64Array(k));
    this.dwells = grown(this.dwells, (k) => new Float64Array(k));
    this.pages = grown(this.pages, (k) => new Int16Array(k));
    this.positions = grown(this.positions, (k) => new Int16Array(k));
  }
}
