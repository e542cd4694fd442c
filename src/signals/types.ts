/**
 * The types shared by {@link Signal} and {@link receiver}: what a receiver
 * is called with, and the options of `connect` and `disconnect`.
 */
import type { Signal } from './signal.js';

/**
 * The names every receiver gets besides the signal's own arguments, so a
 * signal's arguments may not use them (as in Django, where `sender` and
 * `signal` are always passed).
 *
 * @example
 * ```ts
 * // Compiles: no reserved name.
 * const ok = new Signal<{ user: string }>();
 * // Does not compile: `sender` is reserved.
 * // const bad = new Signal<{ sender: string }>();
 * ```
 */
export interface ReservedArgs {
  sender?: never;
  signal?: never;
}

/**
 * What a receiver of `Signal<TArgs, TSender>` is called with: the arguments
 * given to `send`, plus `sender` and the `signal` itself (Django's `sender`
 * and `**kwargs`, as one object).
 *
 * @example
 * ```ts
 * const userLoggedIn = new Signal<{ user: string }, 'web' | 'api'>();
 * function audit({ sender, user }: ReceiverArgs<{ user: string }, 'web' | 'api'>) {
 *   console.log(`${user} logged in through ${sender}`);
 * }
 * userLoggedIn.connect(audit);
 * ```
 */
export type ReceiverArgs<TArgs extends object, TSender> = TArgs & {
  /** The value passed as `sender` to `send`. */
  sender: TSender;
  /** The signal being sent. */
  signal: Signal<TArgs, TSender>;
};

/**
 * A function connected to a signal. It may return a value or a promise; the
 * awaited value is its response in the list `send` returns.
 *
 * @example
 * ```ts
 * const requestFinished = new Signal();
 * const log: Receiver = ({ sender }) => console.log('finished', sender);
 * requestFinished.connect(log);
 * ```
 */
export type Receiver<TArgs extends object = Record<string, unknown>, TSender = unknown> = (
  args: ReceiverArgs<TArgs, TSender>,
) => unknown;

/**
 * One entry of what `send` returns: the receiver and its (awaited) response.
 * For `sendRobust`, the response is the `Error` the receiver threw, if it
 * threw.
 *
 * @example
 * ```ts
 * const responses: SignalResponse[] = await signal.send(sender, {});
 * for (const [fn, response] of responses) console.log(fn.name, response);
 * ```
 */
export type SignalResponse<TArgs extends object = Record<string, unknown>, TSender = unknown> = [
  receiver: Receiver<TArgs, TSender>,
  response: unknown,
];

/**
 * A key telling connections apart: a `dispatchUid` given to `connect`
 * (string or symbol), or else the receiver function itself.
 *
 * @example
 * ```ts
 * signal.connect(handler, { dispatchUid: 'shop.handlers.onOrder' });
 * signal.connect(handler, { dispatchUid: Symbol('onOrder') });
 * ```
 */
export type DispatchUid = string | symbol;

/**
 * Options of {@link Signal.connect}.
 *
 * @example
 * ```ts
 * postSave.connect(onBookSaved, { sender: Book, dispatchUid: 'library.onBookSaved' });
 * ```
 */
export interface ConnectOptions<TSender = unknown> {
  /**
   * Only call the receiver for sends from this sender (compared with `===`).
   * Left out (or `null`), the receiver gets sends from every sender.
   */
  sender?: TSender | null | undefined;
  /**
   * Identifies the connection instead of the receiver function: connecting
   * again with the same uid and sender does nothing, even with another
   * function. Use it when the module that connects may run more than once.
   */
  dispatchUid?: DispatchUid | undefined;
  /**
   * Accepted for familiarity with Django and ignored: receivers are always
   * held strongly, until they are disconnected.
   */
  weak?: boolean | undefined;
}

/**
 * Options of {@link Signal.disconnect}: the sender and uid the receiver was
 * connected with.
 *
 * @example
 * ```ts
 * postSave.disconnect(undefined, { sender: Book, dispatchUid: 'library.onBookSaved' });
 * ```
 */
export interface DisconnectOptions<TSender = unknown> {
  /** The sender the receiver was connected for (left out: connected for any sender). */
  sender?: TSender | null | undefined;
  /** The uid the receiver was connected with; when given, the receiver argument is ignored. */
  dispatchUid?: DispatchUid | undefined;
}

/**
 * The options argument of `send`: optional when every argument of the signal
 * is optional, required otherwise.
 *
 * @example
 * ```ts
 * type A = SendArgs<{ created: boolean }>; // [args: { created: boolean }]
 * type B = SendArgs<{ using?: string }>; // [args?: { using?: string }]
 * ```
 */
export type SendArgs<TArgs extends object> =
  Record<never, never> extends TArgs ? [args?: TArgs] : [args: TArgs];
