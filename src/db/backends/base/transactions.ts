/**
 * Transaction state for one database alias: the open transaction, its stack
 * of atomic blocks (savepoints), and the callbacks to run on commit. The
 * current block travels with the async call chain (AsyncLocalStorage), so
 * concurrent requests never share a transaction.
 */
import type { IsolationLevel } from './operations.js';
import type { PooledConnection } from './pool.js';
import { Mutex } from '../../../utils/mutex.js';

/** Options of `atomic()`. */
export interface AtomicOptions {
  /** Database alias (default `'default'`). */
  using?: string;
  /** Create a savepoint when nested (default true). */
  savepoint?: boolean;
  /** Refuse to run nested inside another atomic block (Django's `durable=True`). */
  durable?: boolean;
  /** Isolation level of the transaction; only on the outermost block. */
  isolationLevel?: IsolationLevel;
  /** @internal Marks the blocks a test case opens, which durable blocks may nest in. */
  fromTestCase?: boolean;
}

/** A callback registered with `onCommit`. */
export interface CommitCallback {
  fn: () => unknown;
  robust: boolean;
  /** Savepoints open when it was registered; rolling back any of them drops it. */
  savepoints: readonly string[];
}

/** @internal The open transaction of one async call chain on one alias. */
export class TransactionState {
  closed = false;
  private savepointCounter = 0;
  readonly callbacks: CommitCallback[] = [];

  constructor(readonly connection: PooledConnection) {}

  nextSavepointId(): string {
    this.savepointCounter += 1;
    return `s${this.savepointCounter}`;
  }

  discardCallbacksOf(sid: string): void {
    for (let i = this.callbacks.length - 1; i >= 0; i--) {
      if (this.callbacks[i]!.savepoints.includes(sid)) this.callbacks.splice(i, 1);
    }
  }
}

/** @internal One level of `atomic()` nesting. */
export class AtomicBlock {
  /** Set by `setRollback(true)` or by an error in a nested block without savepoint. */
  needsRollback = false;
  /**
   * Savepoint blocks opened directly inside this one take turns when started
   * concurrently; a block nested deeper uses its own parent's, so nesting never waits on itself.
   */
  readonly childMutex = new Mutex();

  constructor(
    readonly tx: TransactionState,
    readonly parent: AtomicBlock | null,
    /** The savepoint this block created, if any. */
    readonly savepointId: string | null,
    readonly durable: boolean,
    readonly fromTestCase: boolean,
  ) {}

  /** Savepoint ids from the outermost block down to this one. */
  savepointPath(): string[] {
    const above = this.parent ? this.parent.savepointPath() : [];
    return this.savepointId ? [...above, this.savepointId] : above;
  }

  /** True when some enclosing block (not opened by a test case) exists. */
  hasNonTestCaseAncestor(): boolean {
    return !this.fromTestCase || (this.parent?.hasNonTestCaseAncestor() ?? false);
  }
}
