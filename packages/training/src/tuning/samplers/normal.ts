/**
 * Standard-normal tail arithmetic in log space, for the truncated Gaussians of the Parzen estimators:
 * densities and interval masses must stay finite many standard deviations out, where Φ itself rounds
 * to 0 or 1.
 */

// Module-level aliases of the globals used in the hot loops: inside a vm context (jest's sandbox) every
// global lookup goes through the context's interceptor and costs several times the maths itself.
const { exp, log, log1p, SQRT2 } = Math;
const INF = Infinity;

const LOG_HALF = log(0.5);
const HALF_LOG_2PI = 0.5 * log(2 * Math.PI);

/**
 * erfc(x) = t · exp(E(x)) for x ≥ 0, from the Chebyshev fit of Press et al., Numerical Recipes (2nd ed.)
 * §6.2, `erfcc`: t = 1 / (1 + x/2), E(x) = −x² − 1.26551223 + t·P(t), with a fractional error below
 * 1.2e-7 everywhere. Returns log t + E(x) = log erfc(x), which never underflows however large x is.
 */
function logErfcNonNegative(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  return log(t) + erfcExponent(x, t);
}

function erfcExponent(x: number, t: number): number {
  return (
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
}

/** Above this z, 1 − Φ(z) < 1e-150: differences of tails are taken in log space instead. */
const DIRECT_TAIL_LIMIT = 26;

/** 1 − Φ(z) for 0 ≤ z (underflows to 0 far out; see `logUpperTail`). */
function upperTailNonNegative(z: number): number {
  const x = z / SQRT2;
  const t = 1 / (1 + 0.5 * x);
  return 0.5 * t * exp(erfcExponent(x, t));
}

/** log(1 − Φ(z)), the log upper tail of the standard normal, accurate for any z. */
export function logUpperTail(z: number): number {
  if (z === INF) return -INF;
  if (z === -INF) return 0;
  // 1 − Φ(z) = ½ erfc(z / √2).
  if (z >= 0) return LOG_HALF + logErfcNonNegative(z / SQRT2);
  return log1p(-0.5 * exp(logErfcNonNegative(-z / SQRT2)));
}

/** log(Φ(b) − Φ(a)): the log mass of [a, b] under N(0, 1); −∞ when a ≥ b. */
export function logNormalMass(a: number, b: number): number {
  if (!(a < b)) return -INF;
  if (b <= 0) return logNormalMass(-b, -a);
  if (a < 0) {
    // a < 0 < b: 1 − Φc(b) − Φc(−a), never small enough to underflow.
    const tails = (b === INF ? 0 : upperTailNonNegative(b)) + (a === -INF ? 0 : upperTailNonNegative(-a));
    return log1p(-tails);
  }
  // Both in the upper tail: Φc(a) − Φc(b), directly while it cannot underflow, else as
  // Φc(a) (1 − Φc(b)/Φc(a)) in logs.
  if (a < DIRECT_TAIL_LIMIT) {
    const diff = upperTailNonNegative(a) - (b === INF ? 0 : upperTailNonNegative(b));
    if (diff > 0) return log(diff);
  }
  const la = logUpperTail(a);
  return la + log1p(-exp(logUpperTail(b) - la));
}

/** log φ(z), the standard normal log density. */
export function logNormalPdf(z: number): number {
  return -0.5 * z * z - HALF_LOG_2PI;
}

/** log Σ exp(xs[i]), without overflow; −∞ for an empty or all −∞ list. */
export function logSumExp(xs: ArrayLike<number>): number {
  let max = -INF;
  for (let i = 0; i < xs.length; i++) if (xs[i] > max) max = xs[i];
  if (max === -INF) return -INF;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += exp(xs[i] - max);
  return max + log(sum);
}
