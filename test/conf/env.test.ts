import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Env, env } from '../../src/conf/env.js';
import { ImproperlyConfigured } from '../../src/core/exceptions.js';

/** Asserts that `fn` throws ImproperlyConfigured with exactly/matching `message`. */
function assertImproperlyConfigured(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(
      error instanceof ImproperlyConfigured,
      `expected ImproperlyConfigured, got ${String(error)}`,
    );
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('Env.str', () => {
  test('returns the value, including an empty string', () => {
    const e = new Env({ NAME: 'shop', EMPTY: '' });
    assert.equal(e.str('NAME'), 'shop');
    assert.equal(e.str('EMPTY', 'fallback'), '');
  });

  test('a missing variable without default throws with django-environ wording', () => {
    assertImproperlyConfigured(
      () => new Env({}).str('SECRET_KEY'),
      'Set the SECRET_KEY environment variable',
    );
  });

  test('a default is returned when missing; null makes it optional; undefined means no default', () => {
    const e = new Env({});
    assert.equal(e.str('HOST', 'localhost'), 'localhost');
    assert.equal(e.str('HOST', null), null);
    assertImproperlyConfigured(() => e.str('HOST', undefined), 'Set the HOST environment variable');
  });
});

describe('Env.int and Env.float', () => {
  test('parse integers strictly', () => {
    const e = new Env({
      A: '42',
      B: ' -7 ',
      C: '4.2',
      D: '42abc',
      E: '',
      F: '99999999999999999999',
    });
    assert.equal(e.int('A'), 42);
    assert.equal(e.int('B'), -7);
    assertImproperlyConfigured(
      () => e.int('C'),
      "Invalid value for the C environment variable: expected an integer, got '4.2'.",
    );
    assertImproperlyConfigured(() => e.int('D'), /expected an integer, got '42abc'/);
    assertImproperlyConfigured(() => e.int('E'), /expected an integer, got ''/);
    assertImproperlyConfigured(() => e.int('F'), /expected an integer/);
    assert.equal(e.int('MISSING', 587), 587);
  });

  test('parse finite floats', () => {
    const e = new Env({ A: '0.5', B: '1e3', C: '.25', D: 'NaN', E: 'Infinity', F: '1.2.3' });
    assert.equal(e.float('A'), 0.5);
    assert.equal(e.float('B'), 1000);
    assert.equal(e.float('C'), 0.25);
    for (const name of ['D', 'E', 'F']) {
      assertImproperlyConfigured(() => e.float(name), /expected a number/);
    }
  });
});

describe('Env.bool', () => {
  test('accepts true/false, 1/0, yes/no, on/off in any case', () => {
    const truthy = ['true', 'TRUE', '1', 'yes', 'Yes', 'on', 'ON'];
    const falsy = ['false', 'False', '0', 'no', 'NO', 'off', 'Off'];
    for (const value of truthy) assert.equal(new Env({ X: value }).bool('X'), true, value);
    for (const value of falsy) assert.equal(new Env({ X: value }).bool('X'), false, value);
  });

  test('rejects anything else instead of reading it as false', () => {
    assertImproperlyConfigured(
      () => new Env({ DEBUG: 'maybe' }).bool('DEBUG'),
      "Invalid value for the DEBUG environment variable: expected a boolean (true/false, 1/0, yes/no, on/off), got 'maybe'.",
    );
  });

  test('default when missing', () => {
    assert.equal(new Env({}).bool('DEBUG', false), false);
  });
});

describe('Env.list', () => {
  test('splits on commas, trims and drops empty items', () => {
    assert.deepEqual(new Env({ H: 'a.com, b.com,,c.com ' }).list('H'), ['a.com', 'b.com', 'c.com']);
    assert.deepEqual(new Env({ H: '' }).list('H'), []);
  });

  test('custom separator and default', () => {
    const e = new Env({ ADMINS: 'a@x.org;b@x.org' });
    assert.deepEqual(e.list('ADMINS', [], { separator: ';' }), ['a@x.org', 'b@x.org']);
    assert.deepEqual(e.list('MISSING', ['localhost']), ['localhost']);
    assertImproperlyConfigured(() => e.list('MISSING'), 'Set the MISSING environment variable');
  });
});

describe('Env.json and Env.url', () => {
  test('json parses and reports the parse error', () => {
    const e = new Env({ FLAGS: '{"beta":true}', BAD: '{nope' });
    assert.deepEqual(e.json<{ beta: boolean }>('FLAGS'), { beta: true });
    assert.deepEqual(e.json('MISSING', { beta: false }), { beta: false });
    assertImproperlyConfigured(
      () => e.json('BAD'),
      /BAD environment variable: expected JSON \(.+\), got '\{nope'/,
    );
  });

  test('url returns a URL; a string default is parsed', () => {
    const e = new Env({ SITE: 'https://example.com/app', BAD: 'not a url' });
    const site = e.url('SITE');
    assert.ok(site instanceof URL);
    assert.equal(site.hostname, 'example.com');
    assert.equal(e.url('MISSING', 'http://localhost:8000').port, '8000');
    assert.equal(e.url('MISSING', null), null);
    assertImproperlyConfigured(() => e.url('BAD'), /expected an absolute URL, got 'not a url'/);
  });
});

describe('Env.db and Env.cache', () => {
  test('db reads DATABASE_URL by default', () => {
    const e = new Env({ DATABASE_URL: 'postgres://app:pw@db:6543/shop' });
    assert.deepEqual(e.db(), {
      engine: 'postgresql',
      name: 'shop',
      user: 'app',
      password: 'pw',
      host: 'db',
      port: 6543,
    });
  });

  test('db: missing variable, default URL, other name', () => {
    const e = new Env({ REPLICA_URL: 'sqlite::memory:' });
    assertImproperlyConfigured(() => e.db(), 'Set the DATABASE_URL environment variable');
    assert.deepEqual(e.db('DATABASE_URL', 'sqlite:///db.sqlite3'), {
      engine: 'sqlite',
      name: 'db.sqlite3',
    });
    assert.deepEqual(e.db('REPLICA_URL'), { engine: 'sqlite', name: ':memory:' });
    assert.equal(e.db('DATABASE_URL', null), null);
  });

  test('db: an unparsable URL names the variable and masks the password', () => {
    const e = new Env({ DATABASE_URL: 'oracle://scott:tiger@db/x' });
    assert.throws(
      () => e.db(),
      (error: Error) => {
        assert.ok(error instanceof ImproperlyConfigured);
        assert.match(error.message, /^Invalid value for the DATABASE_URL environment variable: /);
        assert.match(error.message, /unknown scheme 'oracle'/);
        assert.doesNotMatch(error.message, /tiger/);
        return true;
      },
    );
  });

  test('cache reads CACHE_URL by default', () => {
    const e = new Env({ CACHE_URL: 'redis://cache:6379/1', BAD_CACHE: 'nope://x' });
    assert.deepEqual(e.cache(), { backend: 'redis', location: 'redis://cache:6379/1' });
    assert.deepEqual(e.cache('OTHER', 'locmem://'), { backend: 'locmem', location: '' });
    assertImproperlyConfigured(
      () => e.cache('BAD_CACHE'),
      /BAD_CACHE environment variable: .*unknown scheme 'nope'/,
    );
    assertImproperlyConfigured(() => new Env({}).cache(), 'Set the CACHE_URL environment variable');
  });
});

describe('secret values are never printed', () => {
  test('names with SECRET, PASSWORD, TOKEN or KEY show (hidden)', () => {
    const e = new Env({
      SECRET_LENGTH: 'abc',
      DB_PASSWORD_ROTATE: 'sometimes',
      API_TOKEN_TTL: '1h',
      SIGNING_KEY_JSON: '{oops',
      DATABASE_URL_SECRET: 'oracle://u:p@h/x',
    });
    const cases: [() => unknown, string][] = [
      [() => e.int('SECRET_LENGTH'), 'abc'],
      [() => e.bool('DB_PASSWORD_ROTATE'), 'sometimes'],
      [() => e.float('API_TOKEN_TTL'), '1h'],
      [() => e.json('SIGNING_KEY_JSON'), '{oops'],
      [() => e.db('DATABASE_URL_SECRET'), 'oracle'],
    ];
    for (const [fn, value] of cases) {
      assert.throws(fn, (error: Error) => {
        assert.ok(error instanceof ImproperlyConfigured);
        assert.match(error.message, /\(hidden\)/);
        assert.ok(!error.message.includes(value), error.message);
        return true;
      });
    }
  });

  test('a URL value under an ordinary name has its password masked', () => {
    assertImproperlyConfigured(
      () => new Env({ SITE: 'https://user:hunter2@' }).int('SITE'),
      /^(?!.*hunter2).*expected an integer/,
    );
  });
});

describe('the default env', () => {
  test('reads process.env at call time', () => {
    const name = 'REINHARDT_TEST_ENV_AT_CALL_TIME';
    delete process.env[name];
    assert.equal(env.str(name, null), null);
    process.env[name] = 'later';
    try {
      assert.equal(env.str(name), 'later');
      assert.equal(env.has(name), true);
    } finally {
      delete process.env[name];
    }
    assert.equal(env.has(name), false);
  });

  test('new Env(process.env) reads the same object', () => {
    const name = 'REINHARDT_TEST_ENV_SOURCE';
    const e = new Env(process.env);
    process.env[name] = '3';
    try {
      assert.equal(e.int(name), 3);
    } finally {
      delete process.env[name];
    }
  });
});

describe('types follow the default', () => {
  test('compile-time return types', () => {
    const e = new Env({ N: '1', S: 's', B: 'on' });
    const n: number = e.int('N');
    const maybe: number | null = e.int('N', null);
    const s: string = e.str('S', 'x');
    const b: boolean = e.bool('B', false);
    const hosts: string[] = e.list('L', ['a']);
    const url: URL = e.url('U', 'http://x');
    // @ts-expect-error a null default makes the result nullable
    const notNull: number = e.int('N', null);
    assert.deepEqual(
      [n, maybe, s, b, hosts, url.hostname, notNull],
      [1, 1, 's', true, ['a'], 'x', 1],
    );
  });
});
