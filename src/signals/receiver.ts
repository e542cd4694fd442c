/**
 * `receiver()`: connect a function to one or several signals where it is
 * defined (the role of Django's `@receiver` decorator).
 */
import type { Signal } from './signal.js';
import type { ConnectOptions, ReceiverArgs } from './types.js';

/**
 * What a receiver of signal `S` is called with; for a union of signals, the
 * union of what each passes.
 *
 * @example
 * ```ts
 * const pizzaDone = new Signal<{ toppings: string[] }, typeof Pizza>();
 * type A = ReceiverArgsOf<typeof pizzaDone>; // { toppings: string[]; sender: typeof Pizza; signal: … }
 * ```
 */
export type ReceiverArgsOf<S> =
  S extends Signal<infer A, infer Sender> ? ReceiverArgs<A, Sender> : never;

/**
 * The sender type of signal `S`; for a union of signals, the union of their
 * sender types.
 *
 * @example
 * ```ts
 * type S = SenderOf<Signal<{ toppings: string[] }, typeof Pizza>>; // typeof Pizza
 * ```
 */
export type SenderOf<S> = S extends Signal<any, infer Sender> ? Sender : never;

/**
 * Connects the function it is given to `signals` (one signal or a list) with
 * `options` (`sender`, `dispatchUid`, `weak`, as for `connect`), and returns
 * that function unchanged. Call it on a function (TypeScript cannot decorate
 * free functions), or use it as a decorator on a static method.
 *
 * With several signals the receiver gets the union of their arguments.
 *
 * @example
 * ```ts
 * import { Signal, receiver } from 'reinhardt/signals';
 *
 * const requestStarted = new Signal<{ path: string }>();
 * const requestFinished = new Signal<{ path: string }>();
 *
 * export const logRequest = receiver([requestStarted, requestFinished])(({ signal, path }) => {
 *   console.log(signal === requestStarted ? 'start' : 'end', path);
 * });
 *
 * class Handlers {
 *   @receiver(requestFinished, { dispatchUid: 'handlers.finished' })
 *   static finished({ path }: { path: string }) {
 *     console.log('finished', path);
 *   }
 * }
 * ```
 */
export function receiver<S extends Signal<any, any>>(
  signals: S | readonly S[],
  options: ConnectOptions<SenderOf<S>> = {},
): <F extends (args: ReceiverArgsOf<S>) => unknown>(
  fn: F,
  context?: ClassMethodDecoratorContext & { static: true },
) => F {
  const list: readonly S[] = isSignalList(signals) ? signals : [signals];
  return (fn, context) => {
    if (context !== undefined && (context.kind !== 'method' || !context.static)) {
      throw new TypeError(
        'receiver() can decorate static methods only: an instance method has no instance to be called on.',
      );
    }
    for (const signal of list) signal.connect(fn, options);
    return fn;
  };
}

function isSignalList<S>(signals: S | readonly S[]): signals is readonly S[] {
  return Array.isArray(signals);
}
