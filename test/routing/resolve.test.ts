import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  include,
  path,
  rePath,
  Resolver,
  Resolver404,
  ResolverMatch,
  type UrlconfEntry,
} from '../../src/routing/index.js';

function emptyView() {
  return null;
}

// Django's tests/urlpatterns URL configuration, in Reinhardt's spelling.
const moreUrls = [rePath('^more/(?<extra>\\w+)/$', emptyView, { name: 'inner-more' })];
const includedUrls = [
  path('extra/<extra>/', emptyView, { name: 'inner-extra' }),
  path('', include(moreUrls)),
];
const pathUrls = [
  path('articles/2003/', emptyView, { name: 'articles-2003' }),
  path('articles/<int:year>/', emptyView, { name: 'articles-year' }),
  path('articles/<int:year>/<int:month>/', emptyView, { name: 'articles-year-month' }),
  path('articles/<int:year>/<int:month>/<int:day>/', emptyView, {
    name: 'articles-year-month-day',
  }),
  path('users/', emptyView, { name: 'users' }),
  path('users/<id>/', emptyView, { name: 'user-with-id' }),
  path('included_urls/', include(includedUrls)),
  rePath('^regex/(?<pk>[0-9]+)/$', emptyView, { name: 'regex' }),
  rePath('^regex_optional/(?<arg1>\\d+)/(?:(?<arg2>\\d+)/)?', emptyView, {
    name: 'regex_optional',
  }),
  rePath('^regex_only_optional/(?:(?<arg1>\\d+)/)?', emptyView, { name: 'regex_only_optional' }),
  path('', include(moreUrls)),
  path('<lang>/<path:url>/', emptyView, { name: 'lang-and-path' }),
];
const resolver = new Resolver(pathUrls);

describe('resolve', () => {
  test('a path without parameters', () => {
    const match = resolver.resolve('/articles/2003/');
    assert.ok(match instanceof ResolverMatch);
    assert.equal(match.view, emptyView);
    assert.equal(match.urlName, 'articles-2003');
    assert.deepEqual(match.args, []);
    assert.deepEqual(match.kwargs, {});
    assert.equal(match.route, 'articles/2003/');
  });

  test('typed parameters', () => {
    const match = resolver.resolve('/articles/2015/04/12/');
    assert.equal(match.urlName, 'articles-year-month-day');
    assert.deepEqual(match.kwargs, { year: 2015, month: 4, day: 12 });
    assert.equal(match.route, 'articles/<int:year>/<int:month>/<int:day>/');
  });

  test('two parameters at the start, the second a path', () => {
    const match = resolver.resolve('/en/foo/');
    assert.equal(match.urlName, 'lang-and-path');
    assert.deepEqual(match.kwargs, { lang: 'en', url: 'foo' });
    assert.equal(match.route, '<lang>/<path:url>/');
  });

  test('rePath: named groups as strings, unmatched optional groups left out', () => {
    const match = resolver.resolve('/regex/1/');
    assert.deepEqual(match.kwargs, { pk: '1' });
    assert.equal(match.route, '^regex/(?<pk>[0-9]+)/$');
    assert.deepEqual(resolver.resolve('/regex_optional/1/2/').kwargs, { arg1: '1', arg2: '2' });
    assert.deepEqual(resolver.resolve('/regex_optional/1/').kwargs, { arg1: '1' });
    const only = resolver.resolve('/regex_only_optional/');
    assert.deepEqual(only.kwargs, {});
    assert.deepEqual(only.args, []);
    assert.equal(only.route, '^regex_only_optional/(?:(?<arg1>\\d+)/)?');
  });

  test('inclusions: routes joined as Django joins them', () => {
    const match = resolver.resolve('/included_urls/extra/something/');
    assert.equal(match.urlName, 'inner-extra');
    assert.deepEqual(match.kwargs, { extra: 'something' });
    assert.equal(match.route, 'included_urls/extra/<extra>/');
    assert.equal(resolver.resolve('/more/99/').route, '^more/(?<extra>\\w+)/$');
    assert.equal(
      resolver.resolve('/included_urls/more/some_value/').route,
      'included_urls/more/(?<extra>\\w+)/$',
    );
  });

  test('positional args: joined while there are no kwargs, dropped once there are', () => {
    const r = new Resolver([
      rePath('^pos/(\\d+)/', include([rePath('^(\\d+)/$', emptyView, { name: 'pos' })])),
      rePath('^mixed/(?<a>\\d+)/', include([rePath('^(\\d+)/$', emptyView, { name: 'mixed' })])),
    ]);
    const pos = r.resolve('/pos/1/2/');
    assert.deepEqual(pos.args, ['1', '2']);
    assert.deepEqual(pos.kwargs, {});
    const mixed = r.resolve('/mixed/1/2/');
    assert.deepEqual(mixed.args, ['2']);
    assert.deepEqual(mixed.kwargs, { a: '1' });
  });

  test('extra kwargs: the endpoint over the include, the include over captured values', () => {
    const r = new Resolver([
      path(
        '<int:outer>/',
        include([path('<int:inner>/', emptyView, { kwargs: { extra: 1, inner: 'fixed' } })]),
        { kwargs: { fromInclude: true, outer: 'fixed' } },
      ),
    ]);
    const match = r.resolve('/2/3/');
    assert.deepEqual(match.kwargs, { outer: 'fixed', fromInclude: true, inner: 'fixed', extra: 1 });
    assert.deepEqual(match.capturedKwargs, { inner: 3 });
    assert.deepEqual(match.extraKwargs, {
      fromInclude: true,
      outer: 'fixed',
      extra: 1,
      inner: 'fixed',
    });
  });

  test('namespaces, application namespaces and the view name', () => {
    const inner = {
      appName: 'inner-app',
      urlpatterns: [path('<int:pk>/', emptyView, { name: 'detail' })],
    };
    const outer = {
      appName: 'outer-app',
      urlpatterns: [
        path('in/', include(inner, { namespace: 'inner-ns' })),
        path('plain/', emptyView),
      ],
    };
    const r = new Resolver([path('out/', include(outer, { namespace: 'outer-ns' }))]);
    const match = r.resolve('/out/in/4/');
    assert.deepEqual(match.namespaces, ['outer-ns', 'inner-ns']);
    assert.equal(match.namespace, 'outer-ns:inner-ns');
    assert.deepEqual(match.appNames, ['outer-app', 'inner-app']);
    assert.equal(match.appName, 'outer-app:inner-app');
    assert.equal(match.viewName, 'outer-ns:inner-ns:detail');
    assert.equal(r.resolve('/out/plain/').viewName, 'outer-ns:emptyView');
    assert.deepEqual(resolver.resolve('/users/').namespaces, []);
  });

  test('a path must start with a slash', () => {
    assert.throws(
      () => resolver.resolve('articles/2003/'),
      (e: unknown) => {
        assert.ok(e instanceof Resolver404);
        assert.deepEqual(e.tried, []);
        return true;
      },
    );
  });

  test('percent signs, question marks and hashes in the decoded path', () => {
    const r = new Resolver([
      path('search/<str:q>/', emptyView, { name: 'search' }),
      path('files/<path:name>', emptyView, { name: 'file' }),
    ]);
    assert.deepEqual(r.resolve('/search/100%/').kwargs, { q: '100%' });
    assert.deepEqual(r.resolve('/search/why?/').kwargs, { q: 'why?' });
    assert.deepEqual(r.resolve('/search/%C3%A9/').kwargs, { q: '%C3%A9' });
    assert.deepEqual(r.resolve('/files/a#b/c%2F').kwargs, { name: 'a#b/c%2F' });
    assert.deepEqual(r.resolve('/search/été/').kwargs, { q: 'été' });
  });
});

describe('first match wins, across the radix tree and the regex list', () => {
  const v = (name: string) => Object.defineProperty(() => name, 'name', { value: name });
  const nameOf = (r: Resolver, p: string) => r.resolve(p).urlName;

  test('a parameter declared before a static route takes its paths', () => {
    const r = new Resolver([
      path('<slug:page>/', v('page'), { name: 'page' }),
      path('about/', v('about'), { name: 'about' }),
    ]);
    assert.equal(nameOf(r, '/about/'), 'page');
    const reversed = new Resolver([
      path('about/', v('about'), { name: 'about' }),
      path('<slug:page>/', v('page'), { name: 'page' }),
    ]);
    assert.equal(nameOf(reversed, '/about/'), 'about');
    assert.equal(nameOf(reversed, '/contact/'), 'page');
  });

  test('a rePath declared before a path wins, and after it loses', () => {
    const regexFirst = new Resolver([
      rePath('^books/(?<id>\\d+)/$', v('re'), { name: 're' }),
      path('books/<int:pk>/', v('path'), { name: 'path' }),
    ]);
    assert.equal(nameOf(regexFirst, '/books/7/'), 're');
    const pathFirst = new Resolver([
      path('books/<int:pk>/', v('path'), { name: 'path' }),
      rePath('^books/(?<id>\\d+)/$', v('re'), { name: 're' }),
    ]);
    assert.equal(nameOf(pathFirst, '/books/7/'), 'path');
  });

  test('interleaved: the earliest declared of every kind', () => {
    const r = new Resolver([
      path('a/<int:x>/', v('1'), { name: '1' }),
      rePath('^a/(?<x>[0-9a-z]+)/$', v('2'), { name: '2' }),
      path('a/<slug:x>/', v('3'), { name: '3' }),
      rePath('^a/', include([path('<path:rest>', v('4'), { name: '4' })])),
      path('<path:anything>', v('5'), { name: '5' }),
    ]);
    assert.equal(nameOf(r, '/a/1/'), '1');
    assert.equal(nameOf(r, '/a/b/'), '2');
    assert.equal(nameOf(r, '/a/B/'), '3');
    assert.equal(nameOf(r, '/a/B/c'), '4');
    assert.equal(nameOf(r, '/b'), '5');
  });

  test('a converter refusing a value lets the next pattern match', () => {
    const r = new Resolver([
      path('n/<int:n>/', v('int'), { name: 'int' }),
      path('n/<str:s>/', v('str'), { name: 'str' }),
    ]);
    assert.equal(nameOf(r, '/n/12/'), 'int');
    assert.equal(nameOf(r, '/n/99999999999999999999/'), 'str');
  });

  test('an include whose prefix matches but whose patterns do not: the next entry', () => {
    const r = new Resolver([
      path('blog/', include([path('<int:pk>/', v('post'), { name: 'post' })])),
      path('blog/<slug:slug>/', v('slug'), { name: 'slug' }),
    ]);
    assert.equal(nameOf(r, '/blog/1/'), 'post');
    assert.equal(nameOf(r, '/blog/hello/'), 'slug');
  });
});

describe('the patterns tried', () => {
  const entries = (tried: readonly (readonly UrlconfEntry[])[]) =>
    tried.map((chain) => chain.map((e) => e.describe()).join(' '));

  test('on a 404: every pattern, includes descended into when their prefix matched', () => {
    assert.throws(
      () => resolver.resolve('/included_urls/nope'),
      (e: unknown) => {
        assert.ok(e instanceof Resolver404);
        assert.equal(e.path, '/included_urls/nope');
        assert.equal(
          e.message,
          "The current path, /included_urls/nope, didn't match any of the URL patterns.",
        );
        assert.deepEqual(entries(e.tried), [
          "'articles/2003/' [name='articles-2003']",
          "'articles/<int:year>/' [name='articles-year']",
          "'articles/<int:year>/<int:month>/' [name='articles-year-month']",
          "'articles/<int:year>/<int:month>/<int:day>/' [name='articles-year-month-day']",
          "'users/' [name='users']",
          "'users/<id>/' [name='user-with-id']",
          "'included_urls/' 'extra/<extra>/' [name='inner-extra']",
          "'included_urls/' '' '^more/(?<extra>\\w+)/$' [name='inner-more']",
          "'^regex/(?<pk>[0-9]+)/$' [name='regex']",
          "'^regex_optional/(?<arg1>\\d+)/(?:(?<arg2>\\d+)/)?' [name='regex_optional']",
          "'^regex_only_optional/(?:(?<arg1>\\d+)/)?' [name='regex_only_optional']",
          "'' '^more/(?<extra>\\w+)/$' [name='inner-more']",
          "'<lang>/<path:url>/' [name='lang-and-path']",
        ]);
        return true;
      },
    );
  });

  test('an include whose prefix does not match is listed once', () => {
    const e = (() => {
      try {
        resolver.resolve('/x/');
      } catch (error) {
        return error as Resolver404;
      }
      throw new Error('resolved');
    })();
    assert.ok(entries(e.tried).includes("'included_urls/'"));
  });

  test('on a match: the patterns before it and the match itself', () => {
    const match = resolver.resolve('/users/1/');
    assert.deepEqual(entries(match.tried), [
      "'articles/2003/' [name='articles-2003']",
      "'articles/<int:year>/' [name='articles-year']",
      "'articles/<int:year>/<int:month>/' [name='articles-year-month']",
      "'articles/<int:year>/<int:month>/<int:day>/' [name='articles-year-month-day']",
      "'users/' [name='users']",
      "'users/<id>/' [name='user-with-id']",
    ]);
  });
});
