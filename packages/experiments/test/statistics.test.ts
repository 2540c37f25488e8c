import { Rng } from '@recsys/data';
import {
  compareToControl,
  normalCdf,
  normalQuantile,
  sequentialTwoProportionTest,
  twoProportionZTest,
  wilsonInterval,
} from '../src';

/*
 * Reference values: Python 3's standard library (statistics.NormalDist, math) evaluating the textbook
 * formulas independently of jstat — the script is kept in the comment at the end of this file. scipy and
 * statsmodels are not installed on the project's machines.
 */

type Case = [
  controlSuccesses: number,
  controlTrials: number,
  treatmentSuccesses: number,
  treatmentTrials: number,
];

const CASES: {
  counts: Case;
  wilsonControl: [number, number];
  wilsonTreatment: [number, number];
  z: [difference: number, z: number, p: number];
  msprt: [logLikelihoodRatio: number, p: number, low: number, high: number];
}[] = [
  {
    counts: [120, 1000, 150, 1000],
    wilsonControl: [0.10129926060130913, 0.14160907584771273],
    wilsonTreatment: [0.1292100725130883, 0.17346865842680032],
    z: [0.03, 1.963049807622355, 0.04964038686536876],
    msprt: [0.3991652881497682, 0.6708798037071934, -0.04034150547326161, 0.10034150547326161],
  },
  {
    counts: [30, 2000, 18, 2000],
    wilsonControl: [0.010527098037106688, 0.021332437825708653],
    wilsonTreatment: [0.005700499728577408, 0.014182040701612969],
    z: [-0.006, -1.7425375883933072, 0.08141442011758704],
    msprt: [0.2152132392424171, 0.8063694722274548, -0.0165511473683212, 0.004551147368321198],
  },
  {
    counts: [0, 500, 5, 500],
    wilsonControl: [0, 0.007624340461552238],
    wilsonTreatment: [0.004278753896590496, 0.023193099755730702],
    z: [0.01, 2.2416791983111017, 0.02498211324336852],
    msprt: [0.8786860961175343, 0.41532825474535046, -0.0049728776474244445, 0.024972877647424445],
  },
  {
    counts: [500, 5000, 600, 5000],
    wilsonControl: [0.09198917998158557, 0.10862498157446016],
    wilsonTreatment: [0.11128315138625093, 0.1293003020919925],
    z: [0.02, 3.1960138605029633, 0.0013934041792054153],
    msprt: [3.037810642097991, 0.04793973191441648, 0.00011492461522817979, 0.039885075384771804],
  },
  {
    counts: [1000, 10000, 1100, 10000],
    wilsonControl: [0.09427283017063047, 0.10603436852591082],
    wilsonTreatment: [0.10401658169254806, 0.11628293703657967],
    z: [0.01, 2.3066347738170103, 0.0210751892737977],
    msprt: [1.3173411711027425, 0.26784651410290067, -0.003227031211867187, 0.02322703121186718],
  },
];

describe('the normal distribution (jstat)', () => {
  it('matches the standard normal at known points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 12);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 10);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 10);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 9);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 9);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('wilsonInterval', () => {
  it.each(CASES)('matches the reference for $counts', ({ counts, wilsonControl, wilsonTreatment }) => {
    const control = wilsonInterval(counts[0], counts[1]);
    const treatment = wilsonInterval(counts[2], counts[3]);
    expect(control.low).toBeCloseTo(wilsonControl[0], 10);
    expect(control.high).toBeCloseTo(wilsonControl[1], 10);
    expect(treatment.low).toBeCloseTo(wilsonTreatment[0], 10);
    expect(treatment.high).toBeCloseTo(wilsonTreatment[1], 10);
  });

  it('stays inside [0, 1] at 0 and n successes, and widens as alpha shrinks', () => {
    const none = wilsonInterval(0, 20);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.1611251580528193, 10);
    const all = wilsonInterval(20, 20);
    expect(all.low).toBeCloseTo(0.8388748419471808, 10);
    expect(all.high).toBe(1);
    const at90 = wilsonInterval(7, 9, 0.1);
    expect(at90.low).toBeCloseTo(0.503642782376754, 10);
    expect(at90.high).toBeCloseTo(0.9235052624456035, 10);
    expect(wilsonInterval(7, 9, 0.01).low).toBeLessThan(at90.low);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(/successes <= trials/);
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
  });
});

describe('twoProportionZTest (pooled)', () => {
  it.each(CASES)('matches the reference for $counts', ({ counts, z }) => {
    const result = twoProportionZTest(...counts);
    expect(result.difference).toBeCloseTo(z[0], 12);
    expect(result.z).toBeCloseTo(z[1], 10);
    expect(result.pValue).toBeCloseTo(z[2], 10);
  });

  it('says nothing when there is no variance or no data', () => {
    expect(twoProportionZTest(0, 100, 0, 100)).toEqual({ difference: 0, z: 0, pValue: 1 });
    expect(twoProportionZTest(0, 0, 3, 10)).toEqual({ difference: 0, z: 0, pValue: 1 });
  });
});

describe('sequentialTwoProportionTest (mSPRT, tau 0.01)', () => {
  it.each(CASES)('matches the reference for $counts', ({ counts, msprt }) => {
    const result = sequentialTwoProportionTest(...counts, 0.05, 0.01);
    expect(result.logLikelihoodRatio).toBeCloseTo(msprt[0], 10);
    expect(result.pValue).toBeCloseTo(msprt[1], 10);
    expect(result.interval.low).toBeCloseTo(msprt[2], 10);
    expect(result.interval.high).toBeCloseTo(msprt[3], 10);
  });

  it('is more conservative than the fixed-horizon test, and its interval excludes 0 exactly when p <= alpha', () => {
    for (const { counts } of CASES) {
      const sequential = sequentialTwoProportionTest(...counts);
      expect(sequential.pValue).toBeGreaterThan(twoProportionZTest(...counts).pValue);
      const excludesZero = sequential.interval.low > 0 || sequential.interval.high < 0;
      expect(excludesZero).toBe(sequential.pValue <= 0.05);
    }
  });

  it('keeps the false-positive rate under alpha when an A/A test is read after every 100 users', () => {
    // 400 A/A experiments (both arms 10 % CTR), 50 looks each up to 5,000 exposures per arm: the naive
    // z-test "finds" a difference at some look far more often than 5 %; the always-valid test does not.
    const rng = new Rng(2026);
    const runs = 400;
    let naive = 0;
    let guarded = 0;
    for (let run = 0; run < runs; run++) {
      let a = 0;
      let b = 0;
      let naiveHit = false;
      let guardedHit = false;
      for (let n = 1; n <= 5000; n++) {
        if (rng.next() < 0.1) a++;
        if (rng.next() < 0.1) b++;
        if (n % 100 !== 0) continue;
        if (!naiveHit && twoProportionZTest(a, n, b, n).pValue <= 0.05) naiveHit = true;
        if (!guardedHit && sequentialTwoProportionTest(a, n, b, n, 0.05, 0.01).pValue <= 0.05)
          guardedHit = true;
      }
      if (naiveHit) naive++;
      if (guardedHit) guarded++;
    }
    expect(naive / runs).toBeGreaterThan(0.15);
    expect(guarded / runs).toBeLessThanOrEqual(0.05);
  });

  it('finds a real 2-point lift (10 % → 12 %) before 20,000 exposures per arm', () => {
    const rng = new Rng(7);
    let a = 0;
    let b = 0;
    let decidedAt: number | null = null;
    for (let n = 1; n <= 20_000 && decidedAt === null; n++) {
      if (rng.next() < 0.1) a++;
      if (rng.next() < 0.12) b++;
      if (n % 100 === 0 && sequentialTwoProportionTest(a, n, b, n).pValue <= 0.05) decidedAt = n;
    }
    expect(decidedAt).not.toBeNull();
  });
});

describe('compareToControl: the peeking guard', () => {
  const settings = { alpha: 0.05, minSampleSize: 1000, final: false };

  it('says "not significant yet" while a fixed-horizon test would already call it', () => {
    // z-test p = 0.021, always-valid p = 0.268.
    const result = compareToControl(
      { successes: 1000, trials: 10000 },
      { successes: 1100, trials: 10000 },
      settings,
    );
    expect(result.pValue).toBeLessThan(0.05);
    expect(result.alwaysValidPValue).toBeCloseTo(0.26784651410290067, 10);
    expect(result.decision).toBe('not_significant_yet');
    expect(result.reason).toBe('always-valid p = 0.2678 > alpha 0.05');
    expect(result.relativeLift).toBeCloseTo(0.1, 12);
  });

  it('decides once the guard allows it, by the sign of the difference', () => {
    const better = compareToControl(
      { successes: 500, trials: 5000 },
      { successes: 600, trials: 5000 },
      settings,
    );
    expect(better.decision).toBe('better');
    expect(better.reason).toBe('always-valid p = 0.0479 <= alpha 0.05');
    const worse = compareToControl(
      { successes: 600, trials: 5000 },
      { successes: 500, trials: 5000 },
      settings,
    );
    expect(worse.decision).toBe('worse');
    expect(worse.difference).toBeCloseTo(-0.02, 12);
  });

  it('waits for the minimum sample however strong the evidence', () => {
    const result = compareToControl(
      { successes: 10, trials: 400 },
      { successes: 200, trials: 400 },
      { ...settings, minSampleSize: 500 },
    );
    expect(result.alwaysValidPValue).toBeLessThan(1e-6);
    expect(result.decision).toBe('not_significant_yet');
    expect(result.reason).toBe('needs 500 exposures in each variant before deciding (has 400)');
  });

  it('turns "not yet" into "not significant" once the experiment has stopped', () => {
    const result = compareToControl(
      { successes: 1000, trials: 10000 },
      { successes: 1100, trials: 10000 },
      { ...settings, final: true },
    );
    expect(result.decision).toBe('not_significant');
  });
});

/*
import math
from statistics import NormalDist
N = NormalDist()
def wilson(x, n, alpha=0.05):
    z = N.inv_cdf(1 - alpha / 2); p = x / n
    c = (p + z*z/(2*n)) / (1 + z*z/n)
    h = z * math.sqrt(p*(1-p)/n + z*z/(4*n*n)) / (1 + z*z/n)
    return max(0, c - h), min(1, c + h)
def ztest(x1, n1, x2, n2):
    p1, p2 = x1/n1, x2/n2; pp = (x1+x2)/(n1+n2)
    se = math.sqrt(pp*(1-pp)*(1/n1+1/n2)); z = (p2-p1)/se
    return p2-p1, z, 2*(1-N.cdf(abs(z)))
def msprt(x1, n1, x2, n2, alpha=0.05, tau=0.01):
    d = x2/n2 - x1/n1
    q1 = (x1+0.5)/(n1+1); q2 = (x2+0.5)/(n2+1)
    V = q1*(1-q1)/n1 + q2*(1-q2)/n2; t2 = tau*tau
    logL = 0.5*math.log(V/(V+t2)) + t2*d*d/(2*V*(V+t2))
    half = math.sqrt(V*(V+t2)/t2*(2*math.log(1/alpha) + math.log((V+t2)/V)))
    return logL, min(1, math.exp(-logL)), d-half, d+half
*/
