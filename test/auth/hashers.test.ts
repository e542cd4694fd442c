/**
 * Password hashers: Django's encoded formats byte for byte (vectors made by
 * Django 5.2.18, see fixtures/make-vectors.py), verification, upgrades on
 * login, unusable passwords and the timing defences.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configureSettings, overrideSettings } from '../../src/conf/index.js';
import { ImproperlyConfigured, ValueError } from '../../src/core/exceptions.js';
import type { PasswordHasher } from '../../src/auth/index.js';
import {
  Argon2PasswordHasher,
  BCryptPasswordHasher,
  BCryptSHA256PasswordHasher,
  MD5PasswordHasher,
  PBKDF2PasswordHasher,
  PBKDF2SHA1PasswordHasher,
  PBKDF2_DEFAULT_ITERATIONS,
  ScryptPasswordHasher,
  UNUSABLE_PASSWORD_PREFIX,
  checkPassword,
  constantTimeCompare,
  getHasher,
  getHashers,
  identifyHasher,
  isPasswordUsable,
  makePassword,
  maskHash,
  registerHasher,
  runDummyHasher,
  verifyPassword,
} from '../../src/auth/index.js';

interface Vectors {
  django: string;
  hashes: { algorithm: string; password: string; salt: string; encoded: string }[];
  defaultHashes: { algorithm: string; password: string; encoded: string }[];
}
const vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'django-vectors.json'), 'utf8'),
) as Vectors;

/** The hashers Django's vectors were made with (fast work factors). */
const FAST: Record<string, PasswordHasher> = {
  pbkdf2_sha256: new PBKDF2PasswordHasher({ iterations: 1000 }),
  pbkdf2_sha1: new PBKDF2SHA1PasswordHasher({ iterations: 1000 }),
  scrypt: new ScryptPasswordHasher({ workFactor: 2 ** 10 }),
  argon2: new Argon2PasswordHasher({ memoryCost: 1024, parallelism: 1 }),
  md5: new MD5PasswordHasher(),
  bcrypt_sha256: new BCryptSHA256PasswordHasher({ rounds: 4 }),
  bcrypt: new BCryptPasswordHasher({ rounds: 4 }),
};
const ALL = ['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'bcrypt', 'scrypt', 'md5'];

before(() => configureSettings({ passwordHashers: ALL }));

describe('Django interoperability (fixed vectors from Django 5.2)', () => {
  test('the vectors come from Django 5.2', () => {
    assert.match(vectors.django, /^5\.2\./);
    assert.equal(vectors.hashes.length, 49);
  });

  for (const v of vectors.hashes) {
    if (v.algorithm === 'argon2' && v.password === '') continue; // see the next test
    test(`${v.algorithm}: encode(${JSON.stringify(v.password.slice(0, 20))}, ${JSON.stringify(v.salt)}) is Django's string`, async () => {
      const hasher = FAST[v.algorithm]!;
      assert.equal(await hasher.encode(v.password, v.salt), v.encoded);
      assert.equal(await makePassword(v.password, { salt: v.salt, hasher }), v.encoded);
      assert.equal(await hasher.verify(v.password, v.encoded), true);
      // Plain bcrypt reads only the first 72 bytes, in Django too.
      const truncated = v.algorithm === 'bcrypt' && Buffer.byteLength(v.password) >= 72;
      assert.equal(await hasher.verify(`${v.password}!`, v.encoded), truncated);
    });
  }

  test('argon2 and the empty password: refused to hash, never accepted (hash-wasm cannot hash it)', async () => {
    const v = vectors.hashes.find((h) => h.algorithm === 'argon2' && h.password === '')!;
    assert.equal(await FAST.argon2!.verify('', v.encoded), false);
    assert.equal(await checkPassword('', v.encoded), false);
    await assert.rejects(FAST.argon2!.encode('', v.salt), { name: 'NotSupportedError' });
  });

  for (const v of vectors.defaultHashes) {
    test(`${v.algorithm}: a hash made by Django with its defaults verifies`, async () => {
      assert.equal(await checkPassword(v.password, v.encoded), true);
      assert.equal(await checkPassword('hunter2', v.encoded), false);
    });
  }

  test('the formats are Django’s', () => {
    const byAlgorithm = Object.fromEntries(
      vectors.defaultHashes.map((v) => [v.algorithm, v.encoded]),
    );
    assert.match(
      byAlgorithm.pbkdf2_sha256!,
      /^pbkdf2_sha256\$1000000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/,
    );
    assert.match(
      byAlgorithm.pbkdf2_sha1!,
      /^pbkdf2_sha1\$1000000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{27}=$/,
    );
    assert.match(
      byAlgorithm.scrypt!,
      /^scrypt\$16384\$[A-Za-z0-9]{22}\$8\$5\$[A-Za-z0-9+/]{86}==$/,
    );
    assert.match(byAlgorithm.bcrypt_sha256!, /^bcrypt_sha256\$\$2b\$12\$[./A-Za-z0-9]{53}$/);
    assert.match(byAlgorithm.bcrypt!, /^bcrypt\$\$2b\$12\$[./A-Za-z0-9]{53}$/);
    assert.match(
      byAlgorithm.argon2!,
      /^argon2\$argon2id\$v=19\$m=102400,t=2,p=8\$[A-Za-z0-9+/]{30}\$[A-Za-z0-9+/]{22}$/,
    );
  });
});

describe('makePassword', () => {
  test('uses the preferred hasher with Django 6.1’s iterations and a 22-character salt', async () => {
    assert.equal(PBKDF2_DEFAULT_ITERATIONS, 1_500_000);
    const encoded = await makePassword('lètmein');
    assert.match(encoded, /^pbkdf2_sha256\$1500000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    assert.equal(await checkPassword('lètmein', encoded), true);
    assert.notEqual(await makePassword('lètmein'), encoded, 'a fresh salt each time');
  });

  test('takes a hasher by name or instance, and a salt', async () => {
    assert.match(
      await makePassword('pw', { hasher: 'md5' }),
      /^md5\$[A-Za-z0-9]{22}\$[0-9a-f]{32}$/,
    );
    assert.equal(
      await makePassword('pw', { hasher: new MD5PasswordHasher(), salt: 'salt' }),
      `md5$salt$${createHash('md5').update('saltpw').digest('hex')}`,
    );
  });

  test('null gives an unusable password: ! and 40 random characters', async () => {
    const unusable = await makePassword(null);
    assert.match(unusable, /^![A-Za-z0-9]{40}$/);
    assert.notEqual(await makePassword(null), unusable);
    assert.equal(isPasswordUsable(unusable), false);
    assert.equal(await checkPassword('', unusable), false);
    assert.equal(await checkPassword(unusable, unusable), false);
  });

  test('refuses a non-string password, a salt with $ and an unknown hasher', async () => {
    await assert.rejects(makePassword(42 as unknown as string), {
      name: 'TypeError',
      message: 'Password must be a string, got number.',
    });
    await assert.rejects(makePassword('pw', { salt: 'a$b' }), {
      name: 'ValueError',
      message: 'salt must be provided and cannot contain $.',
    });
    await assert.rejects(makePassword('pw', { hasher: 'sha1' }), {
      name: 'ValueError',
      message:
        "Unknown password hashing algorithm 'sha1'. Did you specify it in the passwordHashers setting?",
    });
  });
});

test('isPasswordUsable: only the ! prefix is unusable (a missing value counts as usable, as in Django)', () => {
  assert.equal(isPasswordUsable(`${UNUSABLE_PASSWORD_PREFIX}abc`), false);
  assert.equal(isPasswordUsable('pbkdf2_sha256$1$s$h'), true);
  assert.equal(isPasswordUsable(null), true);
  assert.equal(isPasswordUsable(''), true);
});

describe('checkPassword', () => {
  test('false for gibberish, unknown algorithms, malformed hashes and missing values', async () => {
    for (const encoded of [
      '',
      'gibberish',
      'sha1$salt$x',
      'bcrypt$$2b$12$x',
      'pbkdf2_sha256$abc$salt$hash',
      'md5$onlytwo',
      null,
      undefined,
    ]) {
      assert.equal(await checkPassword('pw', encoded), false, String(encoded));
    }
    assert.equal(await checkPassword(null, await makePassword('pw', { hasher: 'md5' })), false);
  });

  test('the empty password is a password', async () => {
    const encoded = await makePassword('', { hasher: FAST.pbkdf2_sha256! });
    assert.equal(await checkPassword('', encoded), true);
    assert.equal(await checkPassword(' ', encoded), false);
  });

  test('calls the setter when the hash uses fewer iterations than preferred, and upgrades it', async () => {
    await overrideSettings(
      { passwordHashers: [new PBKDF2PasswordHasher({ iterations: 2000 }), 'md5'] },
      async () => {
        const old = await FAST.pbkdf2_sha256!.encode('pw', 'Zx8bXg2hBvMdNp0qRt4uWy');
        const seen: string[] = [];
        let stored = old;
        const setter = async (raw: string) => {
          seen.push(raw);
          stored = await makePassword(raw);
        };
        assert.equal(await checkPassword('wrong', old, setter), false);
        assert.deepEqual(seen, [], 'never for a wrong password');
        assert.equal(await checkPassword('pw', old, setter), true);
        assert.deepEqual(seen, ['pw']);
        assert.match(stored, /^pbkdf2_sha256\$2000\$/);
        assert.equal(await checkPassword('pw', stored, setter), true);
        assert.deepEqual(seen, ['pw'], 'an up-to-date hash is left alone');
      },
    );
  });

  test('calls the setter when the algorithm is not the preferred one', async () => {
    await overrideSettings({ passwordHashers: [FAST.pbkdf2_sha256!, 'md5'] }, async () => {
      const md5 = await makePassword('pw', { hasher: 'md5' });
      let upgraded: string | undefined;
      assert.equal(
        await checkPassword('pw', md5, async (raw) => {
          upgraded = await makePassword(raw);
        }),
        true,
      );
      assert.match(upgraded!, /^pbkdf2_sha256\$1000\$/);
    });
  });

  test('a weak salt must be updated (Django’s 128-bit salt entropy)', async () => {
    const hasher = FAST.pbkdf2_sha256!;
    const weak = await hasher.encode('pw', 'seasalt');
    assert.equal(hasher.mustUpdate(weak), true);
    assert.equal(hasher.mustUpdate(await hasher.encode('pw', hasher.salt())), false);
    const { isCorrect, mustUpdate } = await overrideSettings({ passwordHashers: [hasher] }, () =>
      verifyPassword('pw', weak),
    );
    assert.deepEqual([isCorrect, mustUpdate], [true, true]);
  });

  test('mustUpdate follows each hasher’s work factors', async () => {
    const scrypt = new ScryptPasswordHasher({ workFactor: 2 ** 10 });
    const encoded = await scrypt.encode('pw', scrypt.salt());
    assert.equal(scrypt.mustUpdate(encoded), false);
    assert.equal(
      new ScryptPasswordHasher({ workFactor: 2 ** 10, parallelism: 1 }).mustUpdate(encoded),
      true,
    );
    const argon = FAST.argon2!;
    const a = await argon.encode('pw', argon.salt());
    assert.equal(argon.mustUpdate(a), false);
    assert.equal(
      new Argon2PasswordHasher({ memoryCost: 2048, parallelism: 1 }).mustUpdate(a),
      true,
    );
    assert.equal(new Argon2PasswordHasher().mustUpdate(a), true);
    const bcrypt = FAST.bcrypt_sha256!;
    const b = await bcrypt.encode('pw', bcrypt.salt());
    assert.match(b, /^bcrypt_sha256\$\$2b\$04\$/);
    assert.equal(bcrypt.mustUpdate(b), false);
    assert.equal(new BCryptSHA256PasswordHasher({ rounds: 5 }).mustUpdate(b), true);
    const md5 = new MD5PasswordHasher();
    assert.equal(md5.mustUpdate(await md5.encode('pw', md5.salt())), false);
    assert.equal(md5.mustUpdate(await md5.encode('pw', 'short')), true);
  });
});

describe('timing defences', () => {
  class CountingHasher extends PBKDF2PasswordHasher {
    encodes: number[] = [];
    override async encode(password: string, salt: string, iterations = this.iterations) {
      this.encodes.push(iterations);
      return super.encode(password, salt, iterations);
    }
  }

  test('a wrong password for an older, cheaper hash runs the missing iterations', async () => {
    const current = new CountingHasher({ iterations: 3000 });
    const old = await FAST.pbkdf2_sha256!.encode('pw', current.salt());
    await overrideSettings({ passwordHashers: [current] }, async () => {
      assert.equal(await checkPassword('wrong', old), false);
      assert.deepEqual(current.encodes, [1000, 2000], 'the check, then 3000 − 1000 more');
      current.encodes = [];
      assert.equal(await checkPassword('pw', old), true);
      assert.deepEqual(current.encodes, [1000], 'a right password needs no hardening');
    });
  });

  test('unusable passwords, unknown algorithms and malformed hashes still run the preferred hasher once', async () => {
    const current = new CountingHasher({ iterations: 1000 });
    await overrideSettings({ passwordHashers: [current] }, async () => {
      for (const encoded of [await makePassword(null), 'bcrypt$x', 'pbkdf2_sha256$NaN$s$h', null]) {
        current.encodes = [];
        assert.equal(await checkPassword('pw', encoded), false);
        assert.deepEqual(current.encodes, [1000], String(encoded));
      }
      current.encodes = [];
      await runDummyHasher('whatever');
      assert.deepEqual(current.encodes, [1000]);
    });
  });

  test('constantTimeCompare', () => {
    assert.equal(constantTimeCompare('abc', 'abc'), true);
    assert.equal(constantTimeCompare('abc', 'abd'), false);
    assert.equal(constantTimeCompare('abc', 'abcd'), false);
    assert.equal(constantTimeCompare('é', 'é'), true);
  });

  test('argon2 with Django’s parameters does not block the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    await new Argon2PasswordHasher().encode('pw', 'Zx8bXg2hBvMdNp0qRt4uWy');
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // ~0.5 s of hashing: on the main thread no tick could run at all.
    assert.ok(ticks >= Math.floor(elapsed / 10 / 4), `${ticks} ticks in ${Math.round(elapsed)} ms`);
  });
});

describe('the passwordHashers setting', () => {
  test('the default list is Django’s', async () => {
    const { globalSettings } = await import('../../src/conf/index.js');
    const django = ['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'scrypt'];
    assert.deepEqual(globalSettings.passwordHashers, django);
    assert.deepEqual(globalSettings.authPasswordValidators, []);
    overrideSettings({ passwordHashers: globalSettings.passwordHashers }, () => {
      assert.deepEqual(
        getHashers().map((h) => h.algorithm),
        django,
      );
    });
  });

  test('getHasher and identifyHasher read it', () => {
    assert.equal(getHasher().algorithm, 'pbkdf2_sha256');
    assert.equal(getHasher('scrypt').algorithm, 'scrypt');
    assert.equal(
      identifyHasher('argon2$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA').algorithm,
      'argon2',
    );
    assert.throws(() => identifyHasher('default'), ValueError);
    overrideSettings({ passwordHashers: ['md5'] }, () => {
      assert.throws(() => identifyHasher('pbkdf2_sha256$1$s$h'), {
        message:
          "Unknown password hashing algorithm 'pbkdf2_sha256'. Did you specify it in the passwordHashers setting?",
      });
    });
  });

  test('unknown names, wrong types and an empty list are configuration errors', () => {
    overrideSettings({ passwordHashers: ['nope'] }, () => {
      assert.throws(() => getHasher(), ImproperlyConfigured);
    });
    overrideSettings({ passwordHashers: [] }, () => {
      assert.throws(() => getHasher(), /must be a non-empty array/);
    });
    overrideSettings({ passwordHashers: [{ algorithm: 'fake' }] }, () => {
      assert.throws(() => getHasher(), /hasher name or a PasswordHasher instance/);
    });
  });

  test('registerHasher adds a name, or replaces a built-in', async () => {
    registerHasher(new PBKDF2PasswordHasher({ iterations: 1234 }));
    await overrideSettings({ passwordHashers: ['pbkdf2_sha256'] }, async () => {
      assert.match(await makePassword('pw'), /^pbkdf2_sha256\$1234\$/);
    });
  });
});

test('safeSummary masks salt and hash', async () => {
  const encoded = await FAST.pbkdf2_sha256!.encode('pw', 'Zx8bXg2hBvMdNp0qRt4uWy');
  assert.deepEqual(FAST.pbkdf2_sha256!.safeSummary(encoded), {
    algorithm: 'pbkdf2_sha256',
    iterations: 1000,
    salt: 'Zx8bXg****************',
    hash: maskHash(encoded.split('$')[3]!),
  });
  assert.equal(maskHash('abcdefghij'), 'abcdef****');
  const a = FAST.argon2!.safeSummary(await FAST.argon2!.encode('pw', 'Zx8bXg2hBvMdNp0qRt4uWy'));
  assert.equal(a.variety, 'argon2id');
  assert.equal(a['memory cost'], 1024);
  assert.equal(a.salt, 'Zx8bXg****************');
});

test('argon2 verifies argon2i and argon2d hashes too, and refuses version 16', async () => {
  const { argon2i, argon2d } = await import('hash-wasm');
  const salt = 'Zx8bXg2hBvMdNp0qRt4uWy';
  for (const [name, fn] of [
    ['argon2i', argon2i],
    ['argon2d', argon2d],
  ] as const) {
    const phc = await fn({
      password: 'pw',
      salt,
      iterations: 2,
      memorySize: 512,
      parallelism: 2,
      hashLength: 16,
      outputType: 'encoded',
    });
    assert.match(phc, new RegExp(`^\\$${name}\\$v=19\\$`));
    const encoded = `argon2${phc}`;
    assert.equal(await FAST.argon2!.verify('pw', encoded), true);
    assert.equal(await FAST.argon2!.verify('pW', encoded), false);
    assert.equal(FAST.argon2!.mustUpdate(encoded), true, 'not argon2id');
  }
  await assert.rejects(
    FAST.argon2!.verify(
      'pw',
      'argon2$argon2i$m=512,t=2,p=2$Wng4YlhnMmhCdk1kTnAwcVJ0NHVXeQ$AAAAAAAAAAAAAAAAAAAAAA',
    ),
    { name: 'NotSupportedError' },
  );
});
