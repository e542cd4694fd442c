import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCacheUrl, parseDatabaseUrl, redact } from '../../src/conf/urls.js';
import { ImproperlyConfigured } from '../../src/core/exceptions.js';

describe('parseDatabaseUrl', () => {
  test('postgres with credentials, port and options', () => {
    assert.deepEqual(parseDatabaseUrl('postgres://app:s%40cret@db:5433/shop?sslmode=require'), {
      engine: 'postgresql',
      name: 'shop',
      user: 'app',
      password: 's@cret',
      host: 'db',
      port: 5433,
      options: { sslmode: 'require' },
    });
  });

  test('default ports and scheme aliases', () => {
    assert.equal(parseDatabaseUrl('postgresql://h/db').port, 5432);
    assert.equal(parseDatabaseUrl('pgsql://h/db').engine, 'postgresql');
    assert.deepEqual(parseDatabaseUrl('mariadb://root@h/db'), {
      engine: 'mysql',
      name: 'db',
      user: 'root',
      host: 'h',
      port: 3306,
    });
  });

  test('sqlite forms', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), { engine: 'sqlite', name: ':memory:' });
    assert.deepEqual(parseDatabaseUrl('sqlite://:memory:'), { engine: 'sqlite', name: ':memory:' });
    assert.deepEqual(parseDatabaseUrl('sqlite:///db.sqlite3'), {
      engine: 'sqlite',
      name: 'db.sqlite3',
    });
    assert.deepEqual(parseDatabaseUrl('sqlite:////var/db/app.sqlite3'), {
      engine: 'sqlite',
      name: '/var/db/app.sqlite3',
    });
  });

  test('keeps everything after the first ? (a query may contain ?)', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite:///db.sqlite3?mode=ro&note=a?b').options, {
      mode: 'ro',
      note: 'a?b',
    });
  });

  test('unknown schemes are rejected, including Object.prototype names', () => {
    for (const url of ['oracle://h/db', 'constructor://h/db', 'toString://h/db']) {
      assert.throws(() => parseDatabaseUrl(url), ImproperlyConfigured, url);
    }
  });

  test('error messages never show the password', () => {
    for (const url of ['oracle://u:topsecret@h/db', '//u:topsecret@h/db']) {
      assert.throws(
        () => parseDatabaseUrl(url),
        (error: Error) =>
          error instanceof ImproperlyConfigured && !error.message.includes('topsecret'),
      );
    }
  });
});

describe('parseCacheUrl', () => {
  test('backends', () => {
    assert.deepEqual(parseCacheUrl('redis://127.0.0.1:6379/1'), {
      backend: 'redis',
      location: 'redis://127.0.0.1:6379/1',
    });
    assert.deepEqual(parseCacheUrl('memcached://a:11211,b:11211'), {
      backend: 'memcached',
      location: ['a:11211', 'b:11211'],
    });
    assert.deepEqual(parseCacheUrl('locmem://unique'), { backend: 'locmem', location: 'unique' });
    assert.deepEqual(parseCacheUrl('dummy://'), { backend: 'dummy' });
    assert.deepEqual(parseCacheUrl('file:///var/tmp/cache'), {
      backend: 'file',
      location: '/var/tmp/cache',
    });
    assert.deepEqual(parseCacheUrl('db://cache_table'), { backend: 'db', location: 'cache_table' });
  });

  test('keyPrefix, timeout and other options', () => {
    assert.deepEqual(parseCacheUrl('redis://h:6379/0?keyPrefix=shop&timeout=60&pool=5'), {
      backend: 'redis',
      location: 'redis://h:6379/0',
      keyPrefix: 'shop',
      timeout: 60,
      options: { pool: '5' },
    });
    assert.equal(parseCacheUrl('locmem://?timeout=none').timeout, null);
  });

  test('a timeout that is not a number is an error, not NaN', () => {
    assert.throws(() => parseCacheUrl('locmem://?timeout=soon'), /timeout must be a number/);
    assert.throws(() => parseCacheUrl('locmem://?timeout='), /timeout must be a number/);
  });

  test('unknown scheme', () => {
    assert.throws(() => parseCacheUrl('mongo://h'), /unknown scheme 'mongo'/);
  });
});

test('redact masks the password of a URL', () => {
  assert.equal(redact('postgres://app:pw@db/x'), 'postgres://app:***@db/x');
  assert.equal(redact('redis://:pw@cache:6379'), 'redis://:***@cache:6379');
  assert.equal(redact('sqlite:///db.sqlite3'), 'sqlite:///db.sqlite3');
});
