/**
 * reinhardt/core signing (django.core.signing): Signer, TimestampSigner,
 * dumps/loads and signed cookies. Byte-for-byte agreement with Django is in
 * signing-vectors.test.ts (fixed vectors) and signing-django.test.ts (live).
 */
import { describe, test, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { configureSettings, overrideSettings } from '../../src/conf/index.js';
import {
  BadSignature,
  JSONSerializer,
  SignatureExpired,
  Signer,
  TimestampSigner,
  ValueError,
  b62Decode,
  b62Encode,
  b64Decode,
  b64Encode,
  dumps,
  getCookieSigner,
  getSignedCookie,
  loads,
  signCookie,
  type Serializer,
} from '../../src/core/index.js';
import { setClock } from '../../src/utils/clock.js';
import { freezeTime } from '../../src/test/index.js';

const T = 1_700_000_000;
let restoreClock: (() => Date) | undefined;

/** Stops the framework's clock at `seconds` since the epoch. */
function clockAt(seconds: number): void {
  const previous = setClock(() => new Date(seconds * 1000));
  restoreClock ??= previous;
}

afterEach(() => {
  if (restoreClock) setClock(restoreClock);
  restoreClock = undefined;
});

before(() => configureSettings({ secretKey: 'configured secret' }));

/** Asserts that `fn` throws exactly `type` (not a subclass) with `message`. */
function throwsWith(fn: () => unknown, type: typeof BadSignature, message: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    assert.equal(error.constructor, type);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('encodings', () => {
  test('base64: URL-safe, without padding', () => {
    assert.equal(b64Encode(Buffer.from([0xfb, 0xff])), '-_8');
    assert.equal(b64Encode(Buffer.from('"hello"')), 'ImhlbGxvIg');
    assert.deepEqual(b64Decode('-_8'), Buffer.from([0xfb, 0xff]));
    assert.deepEqual(b64Decode('-_8='), Buffer.from([0xfb, 0xff]));
  });

  test('base62: digits, upper case, lower case; negative numbers; invalid text', () => {
    assert.equal(b62Encode(0), '0');
    assert.equal(b62Encode(61), 'z');
    assert.equal(b62Encode(62), '10');
    assert.equal(b62Encode(-62), '-10');
    assert.equal(b62Encode(T), '1r31eq');
    for (const n of [0, 1, 61, 62, 3843, 3844, T, -T, Number.MAX_SAFE_INTEGER]) {
      assert.equal(b62Decode(b62Encode(n)), n);
    }
    assert.equal(b62Decode(''), undefined);
    assert.equal(b62Decode('-'), undefined);
    assert.equal(b62Decode('1r3!eq'), undefined);
    assert.equal(b62Decode('zzzzzzzzzzzz'), undefined); // beyond a safe integer
    assert.throws(() => b62Encode(1.5), RangeError);
  });
});

describe('Signer', () => {
  test('sign appends the separator and a URL-safe signature; unsign returns the value', () => {
    const signer = new Signer({ key: 'secret' });
    const signed = signer.sign('hello');
    assert.match(signed, /^hello:[A-Za-z0-9_-]{43}$/); // sha256: 32 bytes → 43 characters
    assert.equal(signer.unsign(signed), 'hello');
    assert.equal(signer.unsign(signer.sign('')), '');
    // The last separator splits: values may contain it.
    assert.equal(signer.unsign(signer.sign('a:b:c')), 'a:b:c');
    assert.equal(signer.unsign(signer.sign('Zoë ✓ 🔑')), 'Zoë ✓ 🔑');
  });

  test("a tampered value or signature is refused with Django's message", () => {
    const signer = new Signer({ key: 'secret' });
    const signed = signer.sign('hello');
    const signature = signed.slice('hello:'.length);
    throwsWith(
      () => signer.unsign('jello:' + signature),
      BadSignature,
      `Signature "${signature}" does not match`,
    );
    const flipped = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A');
    throwsWith(
      () => signer.unsign('hello:' + flipped),
      BadSignature,
      `Signature "${flipped}" does not match`,
    );
    throwsWith(() => signer.unsign(signed + 'x'), BadSignature, /does not match/);
    throwsWith(() => signer.unsign('hello'), BadSignature, 'No ":" found in value');
  });

  test('another key, salt or algorithm does not verify', () => {
    const signed = new Signer({ key: 'secret', salt: 'one' }).sign('hello');
    assert.equal(new Signer({ key: 'secret', salt: 'one' }).unsign(signed), 'hello');
    assert.throws(() => new Signer({ key: 'other', salt: 'one' }).unsign(signed), BadSignature);
    assert.throws(() => new Signer({ key: 'secret', salt: 'two' }).unsign(signed), BadSignature);
    assert.throws(() => new Signer({ key: 'secret' }).unsign(signed), BadSignature);
    assert.throws(
      () => new Signer({ key: 'secret', salt: 'one', algorithm: 'sha1' }).unsign(signed),
      BadSignature,
    );
  });

  test('the algorithm sets the signature length', () => {
    const sha1 = new Signer({ key: 'secret', algorithm: 'sha1' });
    assert.match(sha1.sign('x'), /^x:[A-Za-z0-9_-]{27}$/);
    assert.equal(sha1.unsign(sha1.sign('x')), 'x');
    assert.match(new Signer({ key: 'secret', algorithm: 'sha512' }).sign('x'), /^x:[\w-]{86}$/);
  });

  test("Django's default salts, and an empty salt means the default", () => {
    assert.equal(new Signer().salt, 'django.core.signing.Signer');
    assert.equal(new TimestampSigner().salt, 'django.core.signing.TimestampSigner');
    assert.equal(new Signer({ salt: '' }).salt, 'django.core.signing.Signer');
    class PurposeSigner extends Signer {
      static override readonly defaultSalt = 'myapp.PurposeSigner';
    }
    assert.equal(new PurposeSigner().salt, 'myapp.PurposeSigner');
  });

  test("a custom separator; unsafe ones are refused with Django's message", () => {
    const signer = new Signer({ key: 'secret', sep: '/' });
    assert.match(signer.sign('a:b'), /^a:b\/[\w-]{43}$/);
    assert.equal(signer.unsign(signer.sign('a:b')), 'a:b');
    const long = new Signer({ key: 'secret', sep: '::' });
    assert.equal(long.unsign(long.sign('a:b')), 'a:b');
    for (const sep of ['', 'a', 'A1', '-', '_', '=', '[', '^', '`']) {
      assert.throws(
        () => new Signer({ sep }),
        (error: unknown) =>
          error instanceof ValueError &&
          error.message ===
            `Unsafe Signer separator: '${sep}' (cannot be empty or consist of only A-z0-9-_=)`,
        sep,
      );
    }
    // Python's repr escapes a backslash (which A-z spans).
    assert.throws(() => new Signer({ sep: '\\' }), {
      message: "Unsafe Signer separator: '\\\\' (cannot be empty or consist of only A-z0-9-_=)",
    });
  });

  test('fallback keys verify old signatures; new ones use the current key', () => {
    const old = new Signer({ key: 'old' }).sign('hello');
    const rotated = new Signer({ key: 'new', fallbackKeys: ['older', 'old'] });
    assert.equal(rotated.unsign(old), 'hello');
    assert.equal(rotated.sign('hello'), new Signer({ key: 'new' }).sign('hello'));
    assert.throws(() => new Signer({ key: 'new', fallbackKeys: [] }).unsign(old), BadSignature);
  });

  test('key and fallback keys come from settings, read when used, not when made', () => {
    const signer = new Signer(); // made before any override
    const signed = signer.sign('hello');
    assert.equal(new Signer({ key: 'configured secret' }).sign('hello'), signed);
    overrideSettings({ secretKey: 'rotated', secretKeyFallbacks: ['configured secret'] }, () => {
      assert.equal(signer.unsign(signed), 'hello');
      assert.equal(signer.sign('hello'), new Signer({ key: 'rotated' }).sign('hello'));
    });
    overrideSettings({ secretKey: 'rotated' }, () => {
      assert.throws(() => signer.unsign(signed), BadSignature);
    });
    // Explicit fallback keys replace the setting (even when empty).
    overrideSettings({ secretKey: 'rotated', secretKeyFallbacks: ['configured secret'] }, () => {
      assert.throws(() => new Signer({ fallbackKeys: [] }).unsign(signed), BadSignature);
    });
  });

  test('keys may be bytes; an empty key means settings.secretKey', () => {
    const text = new Signer({ key: 'kéy' }).sign('v');
    assert.equal(new Signer({ key: Buffer.from('kéy') }).sign('v'), text);
    assert.equal(new Signer({ key: '' }).sign('v'), new Signer().sign('v'));
    assert.equal(new Signer({ key: new Uint8Array() }).sign('v'), new Signer().sign('v'));
  });
});

describe('signObject / unsignObject', () => {
  const signer = new Signer({ key: 'secret' });

  test('round trips JSON values', () => {
    for (const obj of ['hello', 42, null, true, [1, 'two', { three: [3] }], { a: 'Zoë 🔑' }]) {
      assert.deepEqual(signer.unsignObject(signer.signObject(obj)), obj);
    }
  });

  test('the payload is base64 of compact JSON with non-ASCII escaped as Python does', () => {
    const signed = signer.signObject({ name: 'Zoë', key: '🔑', del: '\x7f' });
    const payload = signed.slice(0, signed.lastIndexOf(':'));
    assert.equal(
      b64Decode(payload).toString('latin1'),
      '{"name":"Zo\\u00eb","key":"\\ud83d\\udd11","del":"\\u007f"}',
    );
    assert.deepEqual(new JSONSerializer().loads(b64Decode(payload)), {
      name: 'Zoë',
      key: '🔑',
      del: '\x7f',
    });
  });

  test('compress deflates when that is shorter, marked by a leading dot', () => {
    const big = { items: Array.from({ length: 100 }, (_, i) => ({ id: i, name: 'item' })) };
    const compressed = signer.signObject(big, { compress: true });
    const plain = signer.signObject(big);
    assert.ok(compressed.startsWith('.'));
    assert.ok(compressed.length < plain.length / 4);
    assert.deepEqual(signer.unsignObject(compressed), big);
    // Too small to gain: left as is.
    assert.equal(signer.signObject('hi', { compress: true }), signer.signObject('hi'));
  });

  test('the compression flag is signed: removing or adding the dot breaks the signature', () => {
    const big = 'x'.repeat(500);
    const compressed = signer.signObject(big, { compress: true });
    assert.throws(() => signer.unsignObject(compressed.slice(1)), BadSignature);
    const plain = signer.signObject(big);
    assert.throws(() => signer.unsignObject('.' + plain), BadSignature);
  });

  test('a tampered payload is refused before it is decoded', () => {
    const signed = signer.signObject({ admin: false });
    const forged = b64Encode(Buffer.from('{"admin":true}')) + signed.slice(signed.indexOf(':'));
    assert.throws(() => signer.unsignObject(forged), BadSignature);
  });

  test('undefined cannot be signed', () => {
    assert.throws(() => signer.signObject(undefined), TypeError);
  });

  test('a custom serializer', () => {
    const upper: Serializer = {
      dumps: (obj) => Buffer.from(String(obj).toUpperCase()),
      loads: (data) => Buffer.from(data).toString().toLowerCase(),
    };
    const signed = signer.signObject('hello', { serializer: upper });
    assert.equal(b64Decode(signed.split(':')[0]!).toString(), 'HELLO');
    assert.equal(signer.unsignObject(signed, { serializer: upper }), 'hello');
  });
});

describe('TimestampSigner', () => {
  test('signs value:timestamp, the timestamp in base62 whole seconds', () => {
    clockAt(T + 0.75);
    const signer = new TimestampSigner({ key: 'secret' });
    assert.equal(signer.timestamp(), '1r31eq');
    const signed = signer.sign('hello');
    assert.match(signed, /^hello:1r31eq:[\w-]{43}$/);
    assert.equal(signer.unsign(signed), 'hello');
    // The timestamp is signed: changing it breaks the signature.
    assert.throws(() => signer.unsign(signed.replace('1r31eq', '1r31ep')), BadSignature);
    // A plain Signer with the same salt sees the timestamp as part of the value.
    assert.equal(new Signer({ key: 'secret', salt: signer.salt }).unsign(signed), 'hello:1r31eq');
  });

  test("maxAge: exactly maxAge passes, older raises SignatureExpired with Django's message", () => {
    clockAt(T);
    const signer = new TimestampSigner({ key: 'secret' });
    const signed = signer.sign('hello');
    clockAt(T + 10);
    assert.equal(signer.unsign(signed, { maxAge: 10 }), 'hello');
    clockAt(T + 10.5);
    throwsWith(
      () => signer.unsign(signed, { maxAge: 10 }),
      SignatureExpired,
      'Signature age 10.5 > 10 seconds',
    );
    clockAt(T + 11);
    throwsWith(
      () => signer.unsign(signed, { maxAge: 10 }),
      SignatureExpired,
      'Signature age 11.0 > 10 seconds',
    );
    throwsWith(
      () => signer.unsign(signed, { maxAge: 2.5 }),
      SignatureExpired,
      'Signature age 11.0 > 2.5 seconds',
    );
    // SignatureExpired is a BadSignature; without maxAge the age is not checked.
    assert.throws(() => signer.unsign(signed, { maxAge: 0 }), BadSignature);
    assert.equal(signer.unsign(signed), 'hello');
    assert.equal(signer.unsign(signed, { maxAge: null }), 'hello');
    // Signed "in the future" (clock skew) is not expired.
    clockAt(T - 100);
    assert.equal(signer.unsign(signed, { maxAge: 10 }), 'hello');
  });

  test('a bad signature is reported before the age', () => {
    clockAt(T);
    const signed = new TimestampSigner({ key: 'secret' }).sign('hello');
    clockAt(T + 1000);
    throwsWith(
      () => new TimestampSigner({ key: 'other' }).unsign(signed, { maxAge: 10 }),
      BadSignature,
      /^Signature ".*" does not match$/,
    );
  });

  test('a validly signed value without a timestamp is a BadSignature, not a crash', () => {
    const salt = 'django.core.signing.TimestampSigner';
    const signer = new TimestampSigner({ key: 'secret' });
    const noStamp = new Signer({ key: 'secret', salt }).sign('hello');
    throwsWith(() => signer.unsign(noStamp), BadSignature, 'No ":" found in value');
    const badStamp = new Signer({ key: 'secret', salt }).sign('hello:!!');
    throwsWith(() => signer.unsign(badStamp), BadSignature, 'Timestamp "!!" is not base62');
  });

  test('unsignObject with maxAge', () => {
    clockAt(T);
    const signer = new TimestampSigner({ key: 'secret' });
    const signed = signer.signObject({ a: 1 }, { compress: true });
    clockAt(T + 60);
    assert.deepEqual(signer.unsignObject(signed, { maxAge: 60 }), { a: 1 });
    assert.throws(() => signer.unsignObject(signed, { maxAge: 59 }), SignatureExpired);
  });

  test('freezeTime from reinhardt/test stops the signing clock too', async () => {
    const signer = new TimestampSigner({ key: 'secret' });
    const signed = await freezeTime(T * 1000, () => signer.sign('hello'));
    assert.match(signed, /^hello:1r31eq:/);
    await freezeTime((T + 61) * 1000, () => {
      assert.throws(() => signer.unsign(signed, { maxAge: 60 }), SignatureExpired);
    });
  });
});

describe('dumps / loads', () => {
  test("round trip, with Django's default salt", () => {
    clockAt(T);
    const token = dumps({ userId: 42 }, { key: 'secret' });
    assert.match(token, /^eyJ1c2VySWQiOjQyfQ:1r31eq:[\w-]{43}$/);
    assert.deepEqual(loads(token, { key: 'secret' }), { userId: 42 });
    assert.deepEqual(
      new TimestampSigner({ key: 'secret', salt: 'django.core.signing' }).unsignObject(token),
      { userId: 42 },
    );
  });

  test('wrong salt or key, tampering, expiry', () => {
    clockAt(T);
    const token = dumps('hello', { key: 'secret', salt: 'unsubscribe' });
    assert.equal(loads(token, { key: 'secret', salt: 'unsubscribe' }), 'hello');
    assert.throws(() => loads(token, { key: 'secret' }), BadSignature);
    assert.throws(() => loads(token, { key: 'other', salt: 'unsubscribe' }), BadSignature);
    assert.throws(() => loads('x' + token, { key: 'secret', salt: 'unsubscribe' }), BadSignature);
    clockAt(T + 3601);
    throwsWith(
      () => loads(token, { key: 'secret', salt: 'unsubscribe', maxAge: 3600 }),
      SignatureExpired,
      'Signature age 3601.0 > 3600 seconds',
    );
  });

  test('compress', () => {
    const obj = Array.from({ length: 50 }, (_, i) => i);
    const token = dumps(obj, { key: 'secret', compress: true });
    assert.ok(token.startsWith('.'));
    assert.deepEqual(loads(token, { key: 'secret' }), obj);
  });

  test('the key defaults to settings; fallback keys from settings or given', () => {
    const token = dumps('hello');
    assert.equal(loads(token, { key: 'configured secret' }), 'hello');
    overrideSettings({ secretKey: 'new', secretKeyFallbacks: ['configured secret'] }, () => {
      assert.equal(loads(token), 'hello');
    });
    assert.equal(loads(token, { key: 'new', fallbackKeys: ['configured secret'] }), 'hello');
    assert.throws(() => loads(token, { key: 'new', fallbackKeys: [] }), BadSignature);
  });
});

describe('signed cookies', () => {
  test('signCookie / getSignedCookie round trip, keyed apart from other signatures', () => {
    clockAt(T);
    const value = signCookie('theme', 'dark');
    assert.match(value, /^dark:1r31eq:[\w-]{43}$/);
    assert.equal(getSignedCookie('theme', value), 'dark');
    // The cookie key is 'django.http.cookies' + secretKey, so a plain
    // TimestampSigner with the secret key and the same salt does not verify it.
    const salt = 'django.http.cookies.v2:0:theme';
    assert.throws(() => new TimestampSigner({ salt }).unsign(value), BadSignature);
    assert.equal(
      new TimestampSigner({ salt, key: 'django.http.cookiesconfigured secret' }).unsign(value),
      'dark',
    );
    assert.equal(getCookieSigner({ salt }).unsign(value), 'dark');
  });

  test('another cookie name or salt does not verify; name and salt cannot be shifted', () => {
    const value = signCookie('ab', 'x', { salt: 'c' });
    assert.equal(getSignedCookie('ab', value, { salt: 'c' }), 'x');
    assert.throws(() => getSignedCookie('abc', value), BadSignature);
    assert.throws(() => getSignedCookie('ab', value), BadSignature);
    // 'ab' + 'c' and 'a' + 'bc' concatenate alike; the v2 salt tells them apart.
    assert.throws(() => getSignedCookie('a', value, { salt: 'bc' }), BadSignature);
  });

  test('default: returned for a missing, bad or expired cookie', () => {
    clockAt(T);
    const value = signCookie('theme', 'dark');
    throwsWith(() => getSignedCookie('theme', undefined), BadSignature, 'No "theme" cookie found');
    assert.equal(getSignedCookie('theme', undefined, { default: 'light' }), 'light');
    assert.equal(getSignedCookie('theme', 'dark:forged', { default: null }), null);
    assert.equal(getSignedCookie('theme', undefined, { default: undefined }), undefined);
    clockAt(T + 100);
    assert.throws(() => getSignedCookie('theme', value, { maxAge: 99 }), SignatureExpired);
    assert.equal(getSignedCookie('theme', value, { maxAge: 99, default: 'light' }), 'light');
    assert.equal(getSignedCookie('theme', value, { maxAge: 100 }), 'dark');
  });

  test('cookies signed with the legacy salt (name + salt) verify while the setting allows', () => {
    clockAt(T);
    const legacy = getCookieSigner({ salt: 'cart' + 'v1' }).sign('3 items');
    assert.equal(getSignedCookie('cart', legacy, { salt: 'v1' }), '3 items');
    overrideSettings({ signedCookieLegacySaltFallback: false }, () => {
      assert.throws(() => getSignedCookie('cart', legacy, { salt: 'v1' }), BadSignature);
    });
    // An expired cookie is not retried with the legacy salt.
    const current = signCookie('cart', '3 items', { salt: 'v1' });
    clockAt(T + 10);
    assert.throws(
      () => getSignedCookie('cart', current, { salt: 'v1', maxAge: 5 }),
      SignatureExpired,
    );
    assert.throws(
      () => getSignedCookie('cart', legacy, { salt: 'v1', maxAge: 5 }),
      SignatureExpired,
    );
  });

  test('rotated secret keys: cookies signed with a fallback key verify', () => {
    const value = signCookie('theme', 'dark');
    overrideSettings({ secretKey: 'new', secretKeyFallbacks: ['configured secret'] }, () => {
      assert.equal(getSignedCookie('theme', value), 'dark');
      assert.notEqual(signCookie('theme', 'dark'), value);
    });
    overrideSettings({ secretKey: 'new' }, () => {
      assert.throws(() => getSignedCookie('theme', value), BadSignature);
    });
  });
});
