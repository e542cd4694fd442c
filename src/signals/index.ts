/**
 * `reinhardt/signals`: the signal dispatcher (the role of `django.dispatch`).
 * It knows nothing of models; the model signals (`preSave`, `postSave`, …)
 * are instances of {@link Signal} declared by the ORM.
 *
 * @example
 * ```ts
 * import { Signal, receiver } from 'reinhardt/signals';
 *
 * const pizzaDone = new Signal<{ toppings: string[] }>();
 * receiver(pizzaDone)(({ toppings }) => console.log('done:', toppings.join(', ')));
 * await pizzaDone.send(undefined, { toppings: ['cheese'] });
 * ```
 */
export { Signal } from './signal.js';
export type { SignalOptions } from './signal.js';
export { receiver } from './receiver.js';
export type { ReceiverArgsOf, SenderOf } from './receiver.js';
export type {
  ConnectOptions,
  DisconnectOptions,
  DispatchUid,
  Receiver,
  ReceiverArgs,
  ReservedArgs,
  SendArgs,
  SignalResponse,
} from './types.js';
