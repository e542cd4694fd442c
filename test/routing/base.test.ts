import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { configureSettings, overrideSettings, resetSettings } from '../../src/conf/index.js';
import {
  clearUrlCaches,
  getResolver,
  isValidPath,
  loadUrlconf,
  path,
  resolve,
  reverse,
  shouldAppendSlash,
} from '../../src/routing/index.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const urlsModule = join(fixtures, 'urls.ts');
const defaultModule = join(fixtures, 'default-urls.ts');

afterEach(() => {
  resetSettings();
  clearUrlCaches();
});

describe('getResolver', () => {
  test('one resolver per patterns array', () => {
    const a = [path('a/', () => 1)];
    const b = [path('a/', () => 1)];
    assert.equal(getResolver(a), getResolver(a));
    assert.notEqual(getResolver(a), getResolver(b));
  });

  test('without a URL configuration', () => {
    configureSettings({});
    assert.throws(() => resolve('/'), {
      name: 'ImproperlyConfigured',
      message:
        'The rootUrlconf setting is not set: set it to the module of your URL configuration, or pass { urlconf }.',
    });
    assert.throws(() => reverse('home', { urlconf: urlsModule }), {
      name: 'ImproperlyConfigured',
      message: `The URL configuration '${urlsModule}' is not loaded: await loadUrlconf('${urlsModule}') first.`,
    });
  });
});

describe('loadUrlconf', () => {
  test('the rootUrlconf module, then used by default', async () => {
    configureSettings({ rootUrlconf: urlsModule });
    const resolver = await loadUrlconf();
    assert.equal(await loadUrlconf(urlsModule), resolver);
    assert.equal(getResolver(), resolver);
    assert.equal(resolve('/').urlName, 'home');
    assert.equal(reverse('shop:item', { args: [3] }), '/shop/3/');
    assert.equal(reverse('home', { urlconf: urlsModule }), '/');
  });

  test('a module exporting its patterns by default; overrideSettings switches modules', async () => {
    configureSettings({ rootUrlconf: urlsModule });
    await loadUrlconf();
    await loadUrlconf(defaultModule);
    assert.equal(
      overrideSettings({ rootUrlconf: defaultModule }, () => reverse('other')),
      '/other/',
    );
    assert.equal(reverse('home'), '/');
  });

  test('a dotted name or a path without extension, relative to the working directory', async () => {
    const resolver = await loadUrlconf('test.routing.fixtures.urls');
    assert.equal(resolver.reverse('home'), '/');
    assert.equal((await loadUrlconf('./test/routing/fixtures/urls')).reverse('home'), '/');
  });

  test('errors', async () => {
    configureSettings({});
    await assert.rejects(loadUrlconf(), {
      message:
        'The rootUrlconf setting is not set: set it to the module of your URL configuration.',
    });
    await assert.rejects(loadUrlconf('./nowhere/urls'), {
      name: 'ImproperlyConfigured',
      message: /^Cannot find the URL configuration module '\.\/nowhere\/urls'\. Tried:\n/,
    });
    await assert.rejects(loadUrlconf(join(fixtures, 'no-patterns.ts')), {
      name: 'ImproperlyConfigured',
      message: /does not appear to have any patterns in it/,
    });
  });

  test('clearUrlCaches forgets loaded modules and built resolvers', async () => {
    await loadUrlconf(urlsModule);
    const patterns = [path('a/', () => 1)];
    const before = getResolver(patterns);
    clearUrlCaches();
    assert.throws(() => getResolver(urlsModule), /is not loaded/);
    assert.notEqual(getResolver(patterns), before);
  });
});

describe('APPEND_SLASH', () => {
  const noSlash = Object.assign(() => 'no slash', { shouldAppendSlash: false });
  const urlconf = [
    path('books/', () => 'list'),
    path('books/<int:pk>/', () => 'detail'),
    path('feed', () => 'feed'),
    path('feed/', () => 'feed with slash'),
    path('api/', noSlash),
  ];

  test('a path that resolves only with a slash', () => {
    assert.equal(shouldAppendSlash('/books', { urlconf }), true);
    assert.equal(shouldAppendSlash('/books/7', { urlconf }), true);
  });

  test('not when the path resolves, ends with a slash, or neither resolves', () => {
    assert.equal(shouldAppendSlash('/feed', { urlconf }), false);
    assert.equal(shouldAppendSlash('/books/', { urlconf }), false);
    assert.equal(shouldAppendSlash('/books/x', { urlconf }), false);
    assert.equal(shouldAppendSlash('/nowhere', { urlconf }), false);
  });

  test('not for a view marked shouldAppendSlash = false (no_append_slash)', () => {
    assert.equal(shouldAppendSlash('/api', { urlconf }), false);
  });

  test('isValidPath: the match or false', () => {
    const match = isValidPath('/books/7/', { urlconf });
    assert.ok(match);
    assert.deepEqual(match.kwargs, { pk: 7 });
    assert.equal(isValidPath('/books/7', { urlconf }), false);
  });
});
