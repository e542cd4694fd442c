/**
 * The signal dispatcher (the role of `django.dispatch.Signal`): senders
 * notify decoupled receivers that something happened.
 */
import { getLogger } from '../utils/log.js';
import type {
  ConnectOptions,
  DisconnectOptions,
  DispatchUid,
  Receiver,
  ReceiverArgs,
  ReservedArgs,
  SendArgs,
  SignalResponse,
} from './types.js';

const logger = getLogger('reinhardt.dispatch');

/** One `connect` call: what tells it apart, whom it listens to, what it calls. */
interface Connection<TArgs extends object, TSender> {
  /** The dispatch uid, or else the receiver itself. */
  readonly key: DispatchUid | Receiver<TArgs, TSender>;
  /** The sender filter; `undefined` for any sender. */
  readonly sender: TSender | undefined;
  readonly receiver: Receiver<TArgs, TSender>;
}

const NO_CONNECTIONS: readonly never[] = Object.freeze([]);

/**
 * Options of the {@link Signal} constructor.
 *
 * @example
 * ```ts
 * const postSave = new Signal<{ instance: object; created: boolean }, Function>({ useCaching: true });
 * ```
 */
export interface SignalOptions {
  /**
   * Remember, per sender, which receivers match (Django's `use_caching`),
   * so a send from a sender nobody listens to costs one lookup. Worth it for
   * signals sent very often from a few object senders (the model signals);
   * the memory is released with the sender (a `WeakMap`). Senders that are
   * primitives (strings, numbers) are not cached. Off by default.
   */
  useCaching?: boolean | undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** What a receiver threw, as an `Error` (values that are not errors become the `cause`). */
function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(`Receiver threw a non-Error value: ${String(thrown)}`, { cause: thrown });
}

/**
 * A signal: receivers connect to it, senders send it. `TArgs` declares the
 * arguments every send passes (and every receiver gets, with `sender` and
 * `signal`); `TSender` the type of the senders.
 *
 * Receivers are called in the order they were connected, one after the
 * other: each receiver's promise, if it returns one, is awaited before the
 * next is called.
 *
 * @example
 * ```ts
 * import { Signal } from 'reinhardt/signals';
 *
 * class Pizza {}
 * const pizzaDone = new Signal<{ toppings: string[] }, typeof Pizza>();
 *
 * pizzaDone.connect(({ sender, toppings }) => console.log(sender.name, toppings));
 * await pizzaDone.send(Pizza, { toppings: ['cheese'] });
 * ```
 */
export class Signal<
  TArgs extends object & ReservedArgs = Record<string, unknown>,
  TSender = unknown,
> {
  /** Replaced, never mutated, so a send in progress keeps the list it started with. */
  #connections: readonly Connection<TArgs, TSender>[] = NO_CONNECTIONS;
  readonly #useCaching: boolean;
  /** Object sender → the connections that match it (Django's `sender_receivers_cache`). */
  #bySender = new WeakMap<object, readonly Connection<TArgs, TSender>[]>();
  /** The connections that match a `null` or `undefined` sender. */
  #anySender: readonly Connection<TArgs, TSender>[] | undefined;

  constructor(options: SignalOptions = {}) {
    this.#useCaching = options.useCaching ?? false;
  }

  /**
   * Connects `receiver` to this signal. With `sender`, the receiver only
   * gets sends from that sender (compared with `===`). Connecting the same
   * function twice for the same sender does nothing, nor does connecting
   * anything again with a `dispatchUid` (and sender) already connected.
   *
   * `weak` is accepted and ignored: receivers are held until disconnected.
   *
   * @example
   * ```ts
   * const requestFinished = new Signal<{ path: string }>();
   * function logRequest({ path }: { path: string }) {
   *   console.log('finished', path);
   * }
   * requestFinished.connect(logRequest, { dispatchUid: 'myapp.logRequest' });
   * requestFinished.connect(logRequest, { dispatchUid: 'myapp.logRequest' }); // no-op
   * ```
   */
  connect(receiver: Receiver<TArgs, TSender>, options: ConnectOptions<TSender> = {}): void {
    if (typeof receiver !== 'function') {
      throw new TypeError('Signal receivers must be functions.');
    }
    const key = options.dispatchUid ?? receiver;
    const sender = options.sender ?? undefined;
    if (this.#connections.some((c) => c.key === key && c.sender === sender)) return;
    this.#connections = [...this.#connections, { key, sender, receiver }];
    this.#invalidate();
  }

  /**
   * Disconnects a receiver, and returns whether one was connected. Pass the
   * `sender` it was connected with; when it was connected with a
   * `dispatchUid`, pass the uid (the receiver argument is then ignored and
   * may be `undefined`).
   *
   * @example
   * ```ts
   * signal.connect(onSave, { sender: Book });
   * signal.disconnect(onSave); // false: it was connected for Book
   * signal.disconnect(onSave, { sender: Book }); // true
   * signal.disconnect(undefined, { dispatchUid: 'myapp.logRequest' });
   * ```
   */
  disconnect(
    receiver?: Receiver<TArgs, TSender>,
    options: DisconnectOptions<TSender> = {},
  ): boolean {
    const key = options.dispatchUid ?? receiver;
    if (key === undefined) return false;
    const sender = options.sender ?? undefined;
    const index = this.#connections.findIndex((c) => c.key === key && c.sender === sender);
    if (index === -1) return false;
    this.#connections = this.#connections.toSpliced(index, 1);
    this.#invalidate();
    return true;
  }

  /**
   * Whether a send from `sender` would call any receiver. Without a sender,
   * whether any receiver listens to every sender (as in Django).
   *
   * @example
   * ```ts
   * if (postSave.hasListeners(Book)) await postSave.send(Book, { instance, created });
   * ```
   */
  hasListeners(sender?: TSender | null): boolean {
    if (this.#connections.length === 0) return false;
    if (this.#useCaching) return this.#live(sender).length > 0;
    return this.#connections.some((c) => c.sender === undefined || c.sender === sender);
  }

  /**
   * Calls every receiver that listens to `sender`, in connection order,
   * awaiting each, and returns `[receiver, response]` pairs. If a receiver
   * throws (or its promise rejects), the error propagates and the receivers
   * after it are not called; use {@link Signal.sendRobust} to call them all.
   *
   * @example
   * ```ts
   * const responses = await pizzaDone.send(Pizza, { toppings: ['cheese'] });
   * for (const [receiver, response] of responses) console.log(receiver.name, response);
   * ```
   */
  async send(
    sender: TSender,
    ...[args]: SendArgs<TArgs>
  ): Promise<SignalResponse<TArgs, TSender>[]> {
    const responses: SignalResponse<TArgs, TSender>[] = [];
    if (this.#connections.length === 0) return responses;
    for (const { receiver } of this.#live(sender)) {
      let response = receiver(this.#argsFor(sender, args));
      if (isPromiseLike(response)) response = await response;
      responses.push([receiver, response]);
    }
    return responses;
  }

  /**
   * Like {@link Signal.send}, but an error thrown by a receiver does not stop
   * the others: it is logged (logger `reinhardt.dispatch`) and returned as
   * that receiver's response. A thrown value that is not an `Error` is
   * wrapped in one, with the value as its `cause`.
   *
   * @example
   * ```ts
   * for (const [receiver, response] of await pizzaDone.sendRobust(Pizza, { toppings: [] })) {
   *   if (response instanceof Error) console.warn(`${receiver.name} failed`, response);
   * }
   * ```
   */
  async sendRobust(
    sender: TSender,
    ...[args]: SendArgs<TArgs>
  ): Promise<SignalResponse<TArgs, TSender>[]> {
    const responses: SignalResponse<TArgs, TSender>[] = [];
    if (this.#connections.length === 0) return responses;
    for (const { receiver } of this.#live(sender)) {
      let response: unknown;
      try {
        response = receiver(this.#argsFor(sender, args));
        if (isPromiseLike(response)) response = await response;
      } catch (thrown) {
        const error = toError(thrown);
        const name = receiver.name || 'an anonymous receiver';
        logger.error(`Error calling ${name} in Signal.sendRobust() (${error.message})`, error);
        response = error;
      }
      responses.push([receiver, response]);
    }
    return responses;
  }

  /** A fresh object per call, as Python builds a fresh `**kwargs` dict per call. */
  #argsFor(sender: TSender, args: TArgs | undefined): ReceiverArgs<TArgs, TSender> {
    return { ...args, sender, signal: this } as ReceiverArgs<TArgs, TSender>;
  }

  /** The connections whose sender filter matches `sender`, cached when enabled. */
  #live(sender: TSender | null | undefined): readonly Connection<TArgs, TSender>[] {
    if (!this.#useCaching) return this.#filter(sender);
    if (sender === null || sender === undefined) {
      return (this.#anySender ??= this.#filter(sender));
    }
    if (typeof sender !== 'object' && typeof sender !== 'function') return this.#filter(sender);
    let live = this.#bySender.get(sender);
    if (live === undefined) {
      live = this.#filter(sender);
      this.#bySender.set(sender, live);
    }
    return live;
  }

  #filter(sender: TSender | null | undefined): readonly Connection<TArgs, TSender>[] {
    const live = this.#connections.filter((c) => c.sender === undefined || c.sender === sender);
    return live.length === 0 ? NO_CONNECTIONS : live;
  }

  #invalidate(): void {
    if (!this.#useCaching) return;
    this.#bySender = new WeakMap();
    this.#anySender = undefined;
  }
}
