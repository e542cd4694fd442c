/**
 * Type-level tests for reinhardt/signals: checked by `npm run typecheck`,
 * never run. Each @ts-expect-error line must fail to compile, or the
 * typecheck fails.
 */
import {
  receiver,
  Signal,
  type ReceiverArgs,
  type SignalResponse,
} from '../../src/signals/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

class Model {}
class Book extends Model {
  title = '';
}
class Author extends Model {
  name = '';
}

const postSave = new Signal<{ instance: Model; created: boolean }, typeof Model>({
  useCaching: true,
});
const requestFinished = new Signal<{ path?: string }>();
const userLoggedIn = new Signal<{ user: string; at: Date }, 'web' | 'api'>();

export async function checks(): Promise<void> {
  // Receivers get the declared arguments, `sender` and `signal`, typed.
  postSave.connect((_args) => {
    expectType<Equal<typeof _args.instance, Model>>(true);
    expectType<Equal<typeof _args.created, boolean>>(true);
    expectType<Equal<typeof _args.sender, typeof Model>>(true);
    expectType<Equal<typeof _args.signal, typeof postSave>>(true);
  });

  // @ts-expect-error a receiver reading an argument the signal does not declare
  postSave.connect(({ using }) => using);

  // @ts-expect-error a function declared to need an argument the signal does not pass
  postSave.connect((args: { instance: Model; using: string }) => args.using);

  // A function that needs fewer arguments than the signal passes is fine.
  postSave.connect((args: { instance: Model }) => args.instance);

  // The sender filter has the signal's sender type.
  postSave.connect(() => undefined, { sender: Book });
  // @ts-expect-error a sender that is not a model class
  postSave.connect(() => undefined, { sender: 'books' });
  // @ts-expect-error a sender that is not one of the declared literals
  userLoggedIn.connect(() => undefined, { sender: 'cli' });

  // send requires every declared argument.
  await postSave.send(Book, { instance: new Book(), created: true });
  // @ts-expect-error `created` is missing
  await postSave.send(Book, { instance: new Book() });
  // @ts-expect-error the arguments are missing altogether
  await postSave.send(Book);
  // @ts-expect-error an argument of the wrong type
  await postSave.send(Book, { instance: new Book(), created: 'yes' });
  // @ts-expect-error a sender of the wrong type
  await userLoggedIn.send('cli', { user: 'ada', at: new Date() });

  // When every argument is optional, so is the object.
  await requestFinished.send(undefined);
  await requestFinished.send(undefined, { path: '/' });

  // The responses are typed pairs.
  const _responses = await postSave.sendRobust(Book, { instance: new Book(), created: false });
  expectType<
    Equal<typeof _responses, SignalResponse<{ instance: Model; created: boolean }, typeof Model>[]>
  >(true);

  // `sender` and `signal` are reserved names.
  // @ts-expect-error a signal argument called `sender`
  new Signal<{ sender: string }>();
  // @ts-expect-error a signal argument called `signal`
  new Signal<{ signal: number }>();

  // disconnect takes a receiver of the signal, or a uid.
  const onLogin = ({ user }: ReceiverArgs<{ user: string; at: Date }, 'web' | 'api'>) => user;
  const _removed: boolean = userLoggedIn.disconnect(onLogin, { sender: 'web' });
  userLoggedIn.disconnect(undefined, { dispatchUid: Symbol.for('login') });
  // @ts-expect-error a uid is a string or a symbol
  userLoggedIn.disconnect(undefined, { dispatchUid: 42 });

  // receiver() returns the function unchanged, typed.
  const _fn = receiver(postSave, { sender: Book })(({ instance }) => instance);
  expectType<Equal<ReturnType<typeof _fn>, Model>>(true);
  // @ts-expect-error receiver() also checks the arguments read
  receiver(postSave)(({ using }) => using);
  // @ts-expect-error receiver() checks the sender type
  receiver(postSave, { sender: 'books' });

  // With several signals, the receiver gets the union of their arguments.
  receiver([postSave, userLoggedIn])((args) => {
    expectType<Equal<typeof args.sender, typeof Model | 'web' | 'api'>>(true);
    if ('user' in args) expectType<Equal<typeof args.user, string>>(true);
    // @ts-expect-error `created` is not passed by every one of the signals
    void args.created;
  });

  // As a decorator on a static method.
  class Handlers {
    @receiver(postSave, { sender: Author })
    static onAuthorSaved({ instance }: { instance: Model }): void {
      void instance;
    }

    // @ts-expect-error a static method needing an argument the signal does not pass
    @receiver(postSave)
    static wrong({ using }: { using: string }): void {
      void using;
    }

    // @ts-expect-error only static methods can be receivers
    @receiver(postSave)
    onSaved(): void {}
  }
  void Handlers;
}
