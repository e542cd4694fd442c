import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ImproperlyConfigured } from '../../src/core/exceptions.js';
import {
  DEFAULT_CONVERTERS,
  NoReverseMatch,
  Resolver,
  Resolver404,
  path,
  registerConverter,
} from '../../src/routing/index.js';

const view = () => null;

// One endpoint per built-in converter, as Django's converter tests use them.
const resolver = new Resolver(
  (['int', 'str', 'path', 'slug', 'uuid'] as const).map((name) =>
    path(`${name}/<${name}:${name}>/`, view, { name }),
  ),
);

describe('built-in converters', () => {
  test("Django's regular expressions", () => {
    assert.equal(DEFAULT_CONVERTERS.int.regex, '[0-9]+');
    assert.equal(DEFAULT_CONVERTERS.str.regex, '[^/]+');
    assert.equal(DEFAULT_CONVERTERS.slug.regex, '[-a-zA-Z0-9_]+');
    assert.equal(
      DEFAULT_CONVERTERS.uuid.regex,
      '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    );
    assert.equal(DEFAULT_CONVERTERS.path.regex, '.+');
  });

  test('matching values are converted with toJs, and reverse() takes text or the value', () => {
    const cases: [string, string, unknown][] = [
      ['int', '0', 0],
      ['int', '01', 1],
      ['int', '1234567890', 1234567890],
      ['str', 'abcxyz', 'abcxyz'],
      ['path', 'allows.ANY*characters', 'allows.ANY*characters'],
      ['path', 'a/b/c', 'a/b/c'],
      ['slug', 'abcxyz-ABCXYZ_01234567890', 'abcxyz-ABCXYZ_01234567890'],
      ['uuid', '39da9369-838e-4750-91a5-f7805cd82839', '39da9369-838e-4750-91a5-f7805cd82839'],
    ];
    for (const [name, text, value] of cases) {
      const url = `/${name}/${text}/`;
      const match = resolver.resolve(url);
      assert.equal(match.urlName, name, url);
      assert.deepEqual(match.kwargs, { [name]: value }, url);
      assert.equal(resolver.reverse(name, { kwargs: { [name]: text } }), url);
      assert.equal(
        resolver.reverse(name, { kwargs: { [name]: value } }),
        `/${name}/${String(value)}/`,
      );
    }
  });

  test('non-matching values are 404s', () => {
    const cases: [string, string[]][] = [
      ['int', ['-1', 'letters', '1.5']],
      ['str', ['', '/']],
      ['path', ['']],
      ['slug', ['', 'stars*notallowed']],
      [
        'uuid',
        [
          '',
          '9da9369-838e-4750-91a5-f7805cd82839',
          '39da9369-838-4750-91a5-f7805cd82839',
          '39da9369-838e-475-91a5-f7805cd82839',
          '39da9369-838e-4750-91a-f7805cd82839',
          '39da9369-838e-4750-91a5-f7805cd8283',
          '39DA9369-838E-4750-91A5-F7805CD82839',
        ],
      ],
    ];
    for (const [name, texts] of cases) {
      for (const text of texts) {
        assert.throws(() => resolver.resolve(`/${name}/${text}/`), Resolver404, `${name}: ${text}`);
      }
    }
  });

  test('an int past 2**53 does not match instead of losing digits', () => {
    assert.equal(resolver.resolve('/int/9007199254740991/').kwargs.int, 9007199254740991);
    assert.throws(() => resolver.resolve('/int/9007199254740993/'), Resolver404);
  });
});

describe('registerConverter', () => {
  test('a registered converter converts both ways', () => {
    registerConverter('yyyy', {
      regex: '[0-9]{4}',
      toJs: (value) => Number(value),
      toUrl: (value: number) => String(value).padStart(4, '0'),
    });
    const r = new Resolver([path('articles/<yyyy:year>/', view, { name: 'year' })]);
    assert.deepEqual(r.resolve('/articles/2024/').kwargs, { year: 2024 });
    assert.throws(() => r.resolve('/articles/24/'), Resolver404);
    assert.equal(r.reverse('year', { kwargs: { year: 987 } }), '/articles/0987/');
  });

  test('groups inside a converter regex do not shift the parameters after it', () => {
    registerConverter('grouped', { regex: '(a|b)(?:c)(d)?', toJs: String, toUrl: String });
    const r = new Resolver([path('<grouped:g>/<int:n>/', view, { name: 'g' })]);
    assert.deepEqual(r.resolve('/ac/5/').kwargs, { g: 'ac', n: 5 });
    assert.deepEqual(r.resolve('/bcd/6/').kwargs, { g: 'bcd', n: 6 });
  });

  test("Django's errors", () => {
    assert.throws(
      () => registerConverter('int', { regex: '[0-9]+', toJs: Number, toUrl: String }),
      { name: 'RangeError', message: "Converter 'int' is already registered." },
    );
    registerConverter('twice', { regex: 'x', toJs: String, toUrl: String });
    assert.throws(() => registerConverter('twice', { regex: 'x', toJs: String, toUrl: String }), {
      message: "Converter 'twice' is already registered.",
    });
    assert.throws(() => registerConverter('noregex', { toJs: String, toUrl: String } as never), {
      message: "Converter 'noregex' must define a 'regex' string.",
    });
    assert.throws(() => registerConverter('notojs', { regex: 'x', toUrl: String } as never), {
      message: "Converter 'notojs' must define a 'toJs()' method.",
    });
    assert.throws(() => registerConverter('nourl', { regex: 'x', toJs: String } as never), {
      message: "Converter 'nourl' must define a 'toUrl()' method.",
    });
    assert.throws(() => registerConverter('bad', { regex: '(', toJs: String, toUrl: String }), {
      name: 'RangeError',
      message: /^Converter 'bad' has an invalid regex '\(':/,
    });
  });

  test('a route naming an unregistered converter', () => {
    assert.throws(() => path('foo/<nonexistent:var>/', view), {
      name: 'ImproperlyConfigured',
      message: "URL route 'foo/<nonexistent:var>/' uses invalid converter 'nonexistent'.",
    });
  });
});

describe('converter errors (Django: ValueError means no match, other errors propagate)', () => {
  let toJs: (value: string) => unknown = (value) => value;
  let toUrl: (value: unknown) => string = (value) => String(value);
  registerConverter('dynamic', {
    regex: '[^/]+',
    toJs: (value) => toJs(value),
    toUrl: (value) => toUrl(value),
  });
  const r = new Resolver([path('dynamic/<dynamic:value>/', view, { name: 'dynamic' })]);

  test('a RangeError from toJs means no match', () => {
    toJs = () => {
      throw new RangeError('no');
    };
    assert.throws(() => r.resolve('/dynamic/abc/'), Resolver404);
  });

  test('any other error from toJs propagates', () => {
    toJs = () => {
      throw new TypeError('This type error propagates.');
    };
    assert.throws(() => r.resolve('/dynamic/abc/'), {
      name: 'TypeError',
      message: 'This type error propagates.',
    });
  });

  test('a RangeError from toUrl means no match', () => {
    toUrl = () => {
      throw new RangeError('no');
    };
    assert.throws(() => r.reverse('dynamic', { kwargs: { value: {} } }), NoReverseMatch);
  });

  test('any other error from toUrl propagates', () => {
    toUrl = () => {
      throw new TypeError('This type error propagates.');
    };
    assert.throws(() => r.reverse('dynamic', { kwargs: { value: {} } }), {
      name: 'TypeError',
      message: 'This type error propagates.',
    });
  });

  test('ImproperlyConfigured is what route errors are', () => {
    assert.throws(() => path('<nope:x>', view), ImproperlyConfigured);
  });
});
