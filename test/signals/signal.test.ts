import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { receiver, Signal, type Receiver } from '../../src/signals/index.js';

class Book {}
class Author {}

type Args = { value: number };

/** A signal plus a log every receiver made by `recorder` appends to. */
function setup(options?: { useCaching?: boolean }) {
  const signal = new Signal<Args, unknown>(options);
  const calls: string[] = [];
  const recorder =
    (name: string, response: unknown = name): Receiver<Args, unknown> =>
    () => {
      calls.push(name);
      return response;
    };
  return { signal, calls, recorder };
}

/** Runs `fn` with process.stderr.write captured, and returns what was written. */
async function captureStderr(fn: () => Promise<unknown>): Promise<string> {
  const original = process.stderr.write;
  let written = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = original;
  }
  return written;
}

for (const useCaching of [false, true]) {
  describe(`Signal (useCaching: ${useCaching})`, () => {
    test('calls receivers in connection order and returns [receiver, response] pairs', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const a = recorder('a', 1);
      const b = recorder('b', 2);
      const c = recorder('c', 3);
      signal.connect(b);
      signal.connect(a);
      signal.connect(c);
      const responses = await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['b', 'a', 'c']);
      assert.deepEqual(responses, [
        [b, 2],
        [a, 1],
        [c, 3],
      ]);
    });

    test('receivers get the arguments, the sender and the signal', async () => {
      const { signal } = setup({ useCaching });
      const seen: unknown[] = [];
      signal.connect((args) => seen.push(args));
      await signal.send(Book, { value: 42 });
      assert.deepEqual(seen, [{ value: 42, sender: Book, signal }]);
      assert.equal((seen[0] as { signal: unknown }).signal, signal);
    });

    test('each receiver gets its own arguments object', async () => {
      const { signal } = setup({ useCaching });
      const seen: number[] = [];
      signal.connect((args) => {
        (args as { value: number }).value = 99;
      });
      signal.connect(({ value }) => seen.push(value));
      await signal.send(Book, { value: 1 });
      assert.deepEqual(seen, [1]);
    });

    test('a sender filter limits a receiver to sends from that sender', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      signal.connect(recorder('books'), { sender: Book });
      signal.connect(recorder('authors'), { sender: Author });
      signal.connect(recorder('any'));
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['books', 'any']);
      calls.length = 0;
      await signal.send(Author, { value: 0 });
      assert.deepEqual(calls, ['authors', 'any']);
      calls.length = 0;
      await signal.send(class Other {}, { value: 0 });
      assert.deepEqual(calls, ['any']);
      calls.length = 0;
      await signal.send(undefined, { value: 0 });
      assert.deepEqual(calls, ['any']);
    });

    test('senders are compared by identity, primitives by value', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const sender = { id: 1 };
      signal.connect(recorder('object'), { sender });
      signal.connect(recorder('string'), { sender: 'web' });
      await signal.send({ id: 1 }, { value: 0 });
      assert.deepEqual(calls, []);
      await signal.send(sender, { value: 0 });
      await signal.send('web', { value: 0 });
      assert.deepEqual(calls, ['object', 'string']);
    });

    test('a null sender filter means any sender', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const a = recorder('any');
      signal.connect(a, { sender: null });
      signal.connect(a); // the same connection: no-op
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['any']);
      assert.equal(signal.disconnect(a), true);
      assert.equal(signal.hasListeners(), false);
    });

    test('connecting the same function twice for the same sender connects it once', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const a = recorder('a');
      signal.connect(a);
      signal.connect(a);
      signal.connect(a, { sender: Book });
      signal.connect(a, { sender: Book });
      await signal.send(Author, { value: 0 });
      assert.deepEqual(calls, ['a']);
      calls.length = 0;
      await signal.send(Book, { value: 0 });
      // Once for any sender, once for Book: different senders are different connections.
      assert.deepEqual(calls, ['a', 'a']);
    });

    test('a dispatchUid already connected for the sender makes connect a no-op', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      signal.connect(recorder('first'), { dispatchUid: 'uid' });
      signal.connect(recorder('second'), { dispatchUid: 'uid' });
      const uid = Symbol('uid');
      signal.connect(recorder('third'), { dispatchUid: uid });
      signal.connect(recorder('fourth'), { dispatchUid: uid });
      signal.connect(recorder('for-book'), { dispatchUid: 'uid', sender: Book });
      await signal.send(Author, { value: 0 });
      assert.deepEqual(calls, ['first', 'third']);
      calls.length = 0;
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['first', 'third', 'for-book']);
    });

    test('disconnect by receiver removes it and returns true, then false', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const a = recorder('a');
      signal.connect(a);
      signal.connect(recorder('b'));
      assert.equal(signal.disconnect(a), true);
      assert.equal(signal.disconnect(a), false);
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['b']);
    });

    test('disconnect by dispatchUid ignores the receiver argument', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const a = recorder('a');
      signal.connect(a, { dispatchUid: 'a-uid' });
      // Connected under its uid: the function alone does not find it.
      assert.equal(signal.disconnect(a), false);
      assert.equal(signal.disconnect(undefined, { dispatchUid: 'other' }), false);
      assert.equal(signal.disconnect(undefined, { dispatchUid: 'a-uid' }), true);
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, []);
    });

    test('disconnect needs the sender the receiver was connected with', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const a = recorder('a');
      signal.connect(a, { sender: Book });
      assert.equal(signal.disconnect(a), false);
      assert.equal(signal.disconnect(a, { sender: Author }), false);
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['a']);
      assert.equal(signal.disconnect(a, { sender: Book }), true);
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['a']);
    });

    test('disconnect with neither receiver nor uid disconnects nothing', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      signal.connect(recorder('a'));
      assert.equal(signal.disconnect(), false);
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['a']);
    });

    test('a receiver can be connected again after being disconnected', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const a = recorder('a');
      signal.connect(a, { dispatchUid: 'x' });
      signal.disconnect(undefined, { dispatchUid: 'x' });
      signal.connect(a, { dispatchUid: 'x' });
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['a']);
    });

    test('send propagates the first error and skips the receivers after it', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      signal.connect(recorder('before'));
      signal.connect(() => {
        throw new Error('first');
      });
      signal.connect(async () => {
        throw new Error('second');
      });
      signal.connect(recorder('after'));
      await assert.rejects(signal.send(Book, { value: 0 }), { message: 'first' });
      assert.deepEqual(calls, ['before']);
    });

    test('send propagates a rejected promise', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      signal.connect(async () => {
        await sleep(1);
        throw new TypeError('async failure');
      });
      signal.connect(recorder('after'));
      await assert.rejects(signal.send(Book, { value: 0 }), TypeError);
      assert.deepEqual(calls, []);
    });

    test('sendRobust returns errors as responses, logs them, and calls every receiver', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const first = new Error('first');
      const failing = function failingReceiver() {
        throw first;
      };
      const rejecting = async () => {
        throw new RangeError('second');
      };
      const throwsString = () => {
        throw 'not an error';
      };
      const after = recorder('after', 'ok');
      signal.connect(failing);
      signal.connect(rejecting);
      signal.connect(throwsString);
      signal.connect(after);
      let responses: Awaited<ReturnType<typeof signal.sendRobust>> = [];
      const log = await captureStderr(async () => {
        responses = await signal.sendRobust(Book, { value: 0 });
      });
      assert.deepEqual(calls, ['after']);
      assert.deepEqual(
        responses.map(([fn]) => fn),
        [failing, rejecting, throwsString, after],
      );
      assert.equal(responses[0]![1], first);
      assert.ok(responses[1]![1] instanceof RangeError);
      const wrapped = responses[2]![1];
      assert.ok(wrapped instanceof Error);
      assert.equal(wrapped.cause, 'not an error');
      assert.equal(responses[3]![1], 'ok');
      assert.match(
        log,
        /\[reinhardt\.dispatch\] ERROR Error calling failingReceiver in Signal\.sendRobust\(\) \(first\)/,
      );
      assert.match(log, /ERROR Error calling rejecting in Signal\.sendRobust\(\) \(second\)/);
      assert.equal(log.match(/\[reinhardt\.dispatch\] ERROR/g)?.length, 3);
    });

    test('sendRobust without errors logs nothing and returns the responses', async () => {
      const { signal, recorder } = setup({ useCaching });
      const a = recorder('a', 1);
      signal.connect(a);
      let responses: unknown;
      const log = await captureStderr(async () => {
        responses = await signal.sendRobust(Book, { value: 0 });
      });
      assert.deepEqual(responses, [[a, 1]]);
      assert.equal(log, '');
    });

    test('async receivers are awaited one after the other, in connection order', async () => {
      const { signal } = setup({ useCaching });
      const events: string[] = [];
      const slow = async () => {
        events.push('slow start');
        await sleep(30);
        events.push('slow end');
        return 'slow';
      };
      const fast = async () => {
        events.push('fast start');
        await sleep(1);
        events.push('fast end');
        return 'fast';
      };
      const sync = () => {
        events.push('sync');
        return 'sync';
      };
      signal.connect(slow);
      signal.connect(sync);
      signal.connect(fast);
      const responses = await signal.send(Book, { value: 0 });
      assert.deepEqual(events, ['slow start', 'slow end', 'sync', 'fast start', 'fast end']);
      assert.deepEqual(responses, [
        [slow, 'slow'],
        [sync, 'sync'],
        [fast, 'fast'],
      ]);
    });

    test('sendRobust awaits async receivers in order too', async () => {
      const { signal } = setup({ useCaching });
      const events: string[] = [];
      signal.connect(async () => {
        await sleep(20);
        events.push('slow');
      });
      signal.connect(async () => {
        events.push('fast');
      });
      await signal.sendRobust(Book, { value: 0 });
      assert.deepEqual(events, ['slow', 'fast']);
    });

    test('hasListeners', () => {
      const { signal, recorder } = setup({ useCaching });
      assert.equal(signal.hasListeners(), false);
      assert.equal(signal.hasListeners(Book), false);
      const a = recorder('a');
      signal.connect(a, { sender: Book });
      assert.equal(signal.hasListeners(Book), true);
      assert.equal(signal.hasListeners(Author), false);
      // Without a sender: whether some receiver listens to every sender.
      assert.equal(signal.hasListeners(), false);
      signal.connect(recorder('any'));
      assert.equal(signal.hasListeners(), true);
      assert.equal(signal.hasListeners(Author), true);
      signal.disconnect(a, { sender: Book });
      assert.equal(signal.hasListeners(Book), true);
    });

    test('send with no receivers returns a new empty array', async () => {
      const { signal } = setup({ useCaching });
      const first = await signal.send(Book, { value: 0 });
      const second = await signal.send(Book, { value: 0 });
      assert.deepEqual(first, []);
      assert.notEqual(first, second);
      assert.deepEqual(await signal.sendRobust(Book, { value: 0 }), []);
    });

    test('a receiver connected after a send is called by the next send', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      signal.connect(recorder('other'), { sender: Author });
      await signal.send(Book, { value: 0 }); // no receiver for Book: remembered when caching
      assert.deepEqual(calls, []);
      signal.connect(recorder('book'), { sender: Book });
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['book']);
      signal.connect(recorder('any'));
      await signal.send(Book, { value: 0 });
      await signal.send(undefined, { value: 0 });
      assert.deepEqual(calls, ['book', 'book', 'any', 'any']);
    });

    test('a receiver disconnected after a send is not called by the next send', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const a = recorder('a');
      signal.connect(a, { sender: Book });
      signal.connect(recorder('b'));
      await signal.send(Book, { value: 0 });
      await signal.send(undefined, { value: 0 });
      signal.disconnect(a, { sender: Book });
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['a', 'b', 'b', 'b']);
      assert.equal(signal.hasListeners(Book), true);
    });

    test('connecting or disconnecting during a send does not change that send', async () => {
      const { signal, calls, recorder } = setup({ useCaching });
      const late = recorder('late');
      const b = recorder('b');
      signal.connect(() => {
        calls.push('a');
        signal.connect(late);
        signal.disconnect(b);
      });
      signal.connect(b);
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['a', 'b']);
      calls.length = 0;
      await signal.send(Book, { value: 0 });
      assert.deepEqual(calls, ['a', 'late']);
    });
  });
}

describe('Signal.connect', () => {
  test('rejects a receiver that is not a function', () => {
    const signal = new Signal();
    assert.throws(() => signal.connect('handler' as never), {
      name: 'TypeError',
      message: 'Signal receivers must be functions.',
    });
    assert.equal(signal.hasListeners(), false);
  });

  test('accepts weak and ignores it: the receiver stays connected', async () => {
    const signal = new Signal();
    const calls: boolean[] = [];
    signal.connect(() => calls.push(true), { weak: true });
    signal.connect(() => calls.push(false), { weak: false });
    await signal.send(undefined);
    assert.deepEqual(calls, [true, false]);
  });
});

describe('receiver()', () => {
  test('connects a function to several signals and returns it', async () => {
    const started = new Signal<{ path: string }>();
    const finished = new Signal<{ path: string }>();
    const other = new Signal<{ path: string }>();
    const seen: string[] = [];
    const handler = ({ signal, path }: { signal: unknown; path: string }) => {
      seen.push(`${signal === started ? 'started' : 'finished'} ${path}`);
      return path.length;
    };
    const returned = receiver([started, finished])(handler);
    assert.equal(returned, handler);
    assert.deepEqual(await started.send(undefined, { path: '/a' }), [[handler, 2]]);
    await finished.send(undefined, { path: '/bc' });
    await other.send(undefined, { path: '/x' });
    assert.deepEqual(seen, ['started /a', 'finished /bc']);
    assert.equal(other.hasListeners(), false);
  });

  test('passes sender and dispatchUid on to connect', async () => {
    const signal = new Signal<Args, unknown>();
    const seen: string[] = [];
    receiver(signal, { sender: Book, dispatchUid: 'x' })(() => seen.push('first'));
    receiver(signal, { sender: Book, dispatchUid: 'x' })(() => seen.push('second'));
    await signal.send(Author, { value: 0 });
    await signal.send(Book, { value: 0 });
    assert.deepEqual(seen, ['first']);
    assert.equal(signal.disconnect(undefined, { sender: Book, dispatchUid: 'x' }), true);
  });

  test('decorates a static method, which stays the receiver', async () => {
    const signal = new Signal<Args, unknown>();
    const seen: number[] = [];
    class Handlers {
      @receiver(signal)
      static onSignal({ value }: { value: number }) {
        seen.push(value);
        return 'handled';
      }
    }
    const responses = await signal.send(Book, { value: 7 });
    assert.deepEqual(seen, [7]);
    assert.deepEqual(responses, [[Handlers.onSignal, 'handled']]);
    assert.equal(signal.disconnect(Handlers.onSignal), true);
  });

  test('refuses to decorate an instance method', () => {
    const signal = new Signal<Args, unknown>();
    const decorate = receiver(signal) as (fn: unknown, context: unknown) => unknown;
    assert.throws(() => decorate(() => undefined, { kind: 'method', static: false }), {
      name: 'TypeError',
      message: /static methods only/,
    });
    assert.equal(signal.hasListeners(), false);
  });
});

describe('caching', () => {
  test('a miss remembered by hasListeners is forgotten on connect and disconnect', async () => {
    const signal = new Signal<Args, unknown>({ useCaching: true });
    const calls: string[] = [];
    signal.connect(() => calls.push('book'), { sender: Book });
    assert.equal(signal.hasListeners(Author), false);
    await signal.send(Author, { value: 0 });
    const onAuthor = () => calls.push('author');
    signal.connect(onAuthor, { sender: Author });
    assert.equal(signal.hasListeners(Author), true);
    await signal.send(Author, { value: 0 });
    assert.deepEqual(calls, ['author']);
    signal.disconnect(onAuthor, { sender: Author });
    assert.equal(signal.hasListeners(Author), false);
  });
});
