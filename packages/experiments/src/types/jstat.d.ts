// jstat ships no type declarations; these cover the functions this package calls.
declare module 'jstat' {
  export const jStat: {
    normal: {
      cdf(x: number, mean: number, sd: number): number;
      inv(p: number, mean: number, sd: number): number;
    };
    erfc(x: number): number;
  };
}
