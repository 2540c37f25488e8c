import type { MessagePort } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import { solveAlsRows, solverScratchLength } from './als-solver';

/** One side of the factorisation: the CSR of its rows' observed cells with weights w = alpha · r. */
export interface AlsSide {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  weights: Float32Array;
}

/**
 * Everything a half-iteration reads and writes. For the threaded runner every array must live in a
 * SharedArrayBuffer: workers update the factor rows in place and read `gram`, which the main thread fills
 * before each half.
 */
export interface AlsProblem {
  dim: number;
  cgSteps: number;
  users: AlsSide;
  items: AlsSide;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** YᵀY + λI of the side held fixed in the current half (dim × dim). */
  gram: Float64Array;
  /** Per-row objective f(x_u), written by the user half when asked (length ≥ users). */
  loss: Float64Array;
}

/** Which rows a half-iteration updates: 'users' solves X against Y, 'items' Y against X. */
export type AlsHalf = 'users' | 'items';

/** Runs half-iterations, inline or on worker threads. */
export interface AlsRunner {
  /** Updates every row of `half`; with `withLoss`, fills problem.loss for those rows. */
  solve(half: AlsHalf, withLoss: boolean): Promise<void>;
  /** Releases the workers (idempotent). */
  close(): Promise<void>;
}

/** Solves on the calling thread (threads: 1). */
export function inlineRunner(problem: AlsProblem): AlsRunner {
  const scratch = new Float64Array(solverScratchLength(problem.dim));
  return {
    async solve(half, withLoss) {
      const [side, X, Y] =
        half === 'users'
          ? [problem.users, problem.userFactors, problem.itemFactors]
          : [problem.items, problem.itemFactors, problem.userFactors];
      solveAlsRows(
        X,
        Y,
        problem.dim,
        side.indptr,
        side.indices,
        side.weights,
        problem.gram,
        problem.cgSteps,
        0,
        side.rows,
        withLoss ? problem.loss : null,
        scratch,
      );
    },
    async close() {},
  };
}

/**
 * Cuts rows into `parts` contiguous blocks of about equal work, a row costing about dim + 2·nnz
 * (one d² product with the gramian and two passes of d over each observed cell per CG step, over d).
 * Returns parts + 1 boundaries.
 */
export function balancedBlocks(indptr: Int32Array, rows: number, dim: number, parts: number): Int32Array {
  const bounds = new Int32Array(parts + 1);
  const total = rows * dim + 2 * indptr[rows];
  let row = 0;
  for (let b = 1; b < parts; b++) {
    const target = (total * b) / parts;
    while (row < rows && row * dim + 2 * indptr[row] < target) row++;
    bounds[b] = row;
  }
  bounds[parts] = rows;
  return bounds;
}

interface WorkerSetup {
  problem: AlsProblem;
  userRange: [number, number];
  itemRange: [number, number];
}

interface SolveRequest {
  half: AlsHalf;
  withLoss: boolean;
}

type SolveReply = { ok: true } | { ok: false; message: string };

/**
 * A worker's main loop. Runs from its source text inside the worker, so it may use only its arguments,
 * typed arrays and Math: `solve` is solveAlsRows, passed in by the worker's prelude.
 */
function alsWorkerMain(port: MessagePort, setup: WorkerSetup, solve: typeof solveAlsRows): void {
  const pr = setup.problem;
  const scratch = new Float64Array(4 * pr.dim);
  port.on('message', (request: SolveRequest) => {
    let reply: SolveReply = { ok: true };
    try {
      const users = request.half === 'users';
      const side = users ? pr.users : pr.items;
      const range = users ? setup.userRange : setup.itemRange;
      const X = users ? pr.userFactors : pr.itemFactors;
      const Y = users ? pr.itemFactors : pr.userFactors;
      solve(
        X,
        Y,
        pr.dim,
        side.indptr,
        side.indices,
        side.weights,
        pr.gram,
        pr.cgSteps,
        range[0],
        range[1],
        request.withLoss ? pr.loss : null,
        scratch,
      );
    } catch (error) {
      reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
}

/** The worker's whole program: no file to load, so it runs the same from dist/ and from sources under jest. */
const WORKER_SOURCE = [
  "const { parentPort, workerData } = require('node:worker_threads');",
  `const solve = (${solveAlsRows.toString()});`,
  `(${alsWorkerMain.toString()})(parentPort, workerData, solve);`,
].join('\n');

/**
 * Solves on `threads` worker threads over shared memory: each worker owns one contiguous block of users
 * and one of items, the main thread posts a request per half-iteration and waits for every reply.
 */
export function threadedRunner(problem: AlsProblem, threads: number): AlsRunner {
  const userBlocks = balancedBlocks(problem.users.indptr, problem.users.rows, problem.dim, threads);
  const itemBlocks = balancedBlocks(problem.items.indptr, problem.items.rows, problem.dim, threads);
  const workers: Worker[] = [];
  for (let t = 0; t < threads; t++) {
    const workerData: WorkerSetup = {
      problem,
      userRange: [userBlocks[t], userBlocks[t + 1]],
      itemRange: [itemBlocks[t], itemBlocks[t + 1]],
    };
    workers.push(new Worker(WORKER_SOURCE, { eval: true, workerData }));
  }
  let closed = false;

  const ask = (worker: Worker, request: SolveRequest): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const done = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: SolveReply): void => {
        done();
        if (reply.ok) resolve();
        else reject(new Error(`ALS worker failed: ${reply.message}`));
      };
      const onError = (error: Error): void => {
        done();
        reject(error);
      };
      const onExit = (code: number): void => {
        done();
        reject(new Error(`ALS worker exited with code ${code}`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(request);
    });

  return {
    async solve(half, withLoss) {
      if (closed) throw new Error('ALS worker pool is closed');
      await Promise.all(workers.map((w) => ask(w, { half, withLoss })));
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
