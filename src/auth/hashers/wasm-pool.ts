/**
 * Runs hash-wasm's slow functions (argon2, bcrypt) in worker threads.
 *
 * Node's crypto has no argon2, and hash-wasm's WebAssembly runs on the
 * calling thread: one argon2 hash with Django's parameters (100 MiB, 8
 * lanes) takes about half a second, which would stall every other request
 * of the process. A few lazily started workers take that work instead; an
 * idle worker stops holding the process open at once and exits after a few
 * seconds, giving its memory back.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** The hash-wasm functions the workers run, with their options. */
export interface WasmHashCalls {
  argon2i: Argon2Call;
  argon2d: Argon2Call;
  argon2id: Argon2Call;
  /** Returns bcrypt's 60-character encoded string (hash-wasm writes `$2a$`). */
  bcrypt: { password: Uint8Array; salt: Uint8Array; costFactor: number };
}

/** hash-wasm's argon2 options; the result is the raw hash. */
interface Argon2Call {
  password: Uint8Array;
  salt: Uint8Array;
  iterations: number;
  parallelism: number;
  memorySize: number;
  hashLength: number;
}

/** The hash-wasm functions the workers run. */
export type WasmHashFunction = keyof WasmHashCalls;
type WasmResult<F extends WasmHashFunction> = F extends 'bcrypt' ? string : Uint8Array;

// Plain CommonJS so the worker needs no TypeScript loader; hash-wasm is
// loaded by the absolute path resolved here, wherever Reinhardt is installed.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const hashWasm = require(workerData.modulePath);
parentPort.on('message', ({ id, fn, options }) => {
  hashWasm[fn]({ ...options, outputType: fn === 'bcrypt' ? 'encoded' : 'binary' }).then(
    (hash) => parentPort.postMessage({ id, hash }),
    (error) => parentPort.postMessage({ id, error: String((error && error.message) || error) }),
  );
});
`;

const IDLE_EXIT_MS = 5_000;

interface Task {
  id: number;
  fn: WasmHashFunction;
  options: WasmHashCalls[WasmHashFunction];
  resolve(hash: Uint8Array | string): void;
  reject(error: Error): void;
}

interface PooledWorker {
  worker: Worker;
  task: Task | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

class WasmHashPool {
  readonly #size = Math.max(1, Math.min(4, availableParallelism()));
  readonly #workers = new Set<PooledWorker>();
  readonly #queue: Task[] = [];
  #nextId = 1;
  #modulePath: string | undefined;

  run(
    fn: WasmHashFunction,
    options: WasmHashCalls[WasmHashFunction],
  ): Promise<Uint8Array | string> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, fn, options, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let idle = [...this.#workers].find((w) => w.task === undefined);
      if (!idle && this.#workers.size < this.#size) idle = this.#spawn();
      if (!idle) return;
      this.#assign(idle, this.#queue.shift()!);
    }
  }

  #assign(pooled: PooledWorker, task: Task): void {
    clearTimeout(pooled.idleTimer);
    pooled.idleTimer = undefined;
    pooled.task = task;
    pooled.worker.ref();
    pooled.worker.postMessage({ id: task.id, fn: task.fn, options: task.options });
  }

  #spawn(): PooledWorker {
    this.#modulePath ??= createRequire(import.meta.url).resolve('hash-wasm');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { modulePath: this.#modulePath },
    });
    const pooled: PooledWorker = { worker, task: undefined, idleTimer: undefined };
    worker.on('message', (message: { id: number; hash?: Uint8Array | string; error?: string }) => {
      const task = pooled.task;
      if (!task || task.id !== message.id) return;
      pooled.task = undefined;
      if (message.error !== undefined) task.reject(new Error(message.error));
      else task.resolve(message.hash!);
      this.#idle(pooled);
      this.#pump();
    });
    const fail = (error: Error) => {
      this.#workers.delete(pooled);
      clearTimeout(pooled.idleTimer);
      pooled.task?.reject(error);
      pooled.task = undefined;
      this.#pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.#workers.has(pooled))
        fail(new Error(`The hashing worker exited with code ${code}.`));
    });
    this.#workers.add(pooled);
    return pooled;
  }

  #idle(pooled: PooledWorker): void {
    if (this.#queue.length > 0) return;
    pooled.worker.unref();
    pooled.idleTimer = setTimeout(() => {
      this.#workers.delete(pooled);
      void pooled.worker.terminate();
    }, IDLE_EXIT_MS);
    pooled.idleTimer.unref();
  }
}

let pool: WasmHashPool | undefined;

/** Runs one hash-wasm function in the worker pool: raw bytes for argon2, the encoded string for bcrypt. */
export function runWasmHash<F extends WasmHashFunction>(
  fn: F,
  options: WasmHashCalls[F],
): Promise<WasmResult<F>> {
  pool ??= new WasmHashPool();
  return pool.run(fn, options) as Promise<WasmResult<F>>;
}
