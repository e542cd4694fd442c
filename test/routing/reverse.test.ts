import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { include, NoReverseMatch, path, rePath, Resolver } from '../../src/routing/index.js';

function emptyView() {
  return null;
}
function otherView() {
  return null;
}

describe('reverse by name', () => {
  const r = new Resolver([
    path('articles/2003/', emptyView, { name: 'articles-2003' }),
    path('articles/<int:year>/<int:month>/<int:day>/', emptyView, { name: 'ymd' }),
    path('included/', include([path('extra/<extra>/', emptyView, { name: 'inner-extra' })])),
    path('<int:outer>/', include([path('<slug:inner>/', emptyView, { name: 'nested' })])),
    path('view-only/', otherView),
  ]);

  test('without and with parameters', () => {
    assert.equal(r.reverse('articles-2003'), '/articles/2003/');
    assert.equal(
      r.reverse('ymd', { kwargs: { year: 2015, month: 4, day: 12 } }),
      '/articles/2015/4/12/',
    );
    assert.equal(r.reverse('ymd', { args: [2015, '04', 12] }), '/articles/2015/04/12/');
  });

  test('names inside an include without namespace, with parameters from both levels', () => {
    assert.equal(
      r.reverse('inner-extra', { kwargs: { extra: 'something' } }),
      '/included/extra/something/',
    );
    assert.equal(r.reverse('nested', { kwargs: { outer: 1, inner: 'x' } }), '/1/x/');
    assert.equal(r.reverse('nested', { args: [1, 'x'] }), '/1/x/');
  });

  test('by the view function', () => {
    assert.equal(r.reverse(otherView), '/view-only/');
  });

  test('mixing args and kwargs', () => {
    assert.throws(() => r.reverse('ymd', { args: [1], kwargs: { year: 1 } }), {
      name: 'RangeError',
      message: "Don't mix *args and **kwargs in call to reverse()!",
    });
  });
});

describe('NoReverseMatch messages', () => {
  const r = new Resolver([
    path('people/<slug:name>/', emptyView, { name: 'people' }),
    path('people/<slug:name>/<int:page>/', emptyView, { name: 'people' }),
  ]);

  test('an unknown name or view', () => {
    assert.throws(() => r.reverse('nope'), {
      name: 'NoReverseMatch',
      message: "Reverse for 'nope' not found. 'nope' is not a valid view function or pattern name.",
    });
    assert.throws(() => r.reverse(otherView), {
      message:
        "Reverse for 'otherView' not found. 'otherView' is not a valid view function or pattern name.",
    });
  });

  test('keyword arguments, arguments and none; patterns listed in the order tried', () => {
    const tried =
      "2 pattern(s) tried: ['people/(?<name>[-a-zA-Z0-9_]+)/(?<page>[0-9]+)/$', 'people/(?<name>[-a-zA-Z0-9_]+)/$']";
    assert.throws(() => r.reverse('people', { kwargs: { name: 'a b' } }), {
      message: `Reverse for 'people' with keyword arguments '{'name': 'a b'}' not found. ${tried}`,
    });
    assert.throws(() => r.reverse('people', { args: ['a b'] }), {
      message: `Reverse for 'people' with arguments '('a b',)' not found. ${tried}`,
    });
    assert.throws(() => r.reverse('people', { args: [1, 2, 3] }), {
      message: `Reverse for 'people' with arguments '(1, 2, 3)' not found. ${tried}`,
    });
    assert.throws(() => r.reverse('people'), {
      message: `Reverse for 'people' with no arguments not found. ${tried}`,
    });
  });

  test('values shown as Python shows them', () => {
    assert.throws(
      () => r.reverse('people', { kwargs: { name: "it's", page: true, other: null } }),
      { message: /keyword arguments '\{'name': "it's", 'page': True, 'other': None\}'/ },
    );
  });

  test('a regex pattern is shown with its backslashes doubled, as Python repr does', () => {
    const re = new Resolver([rePath('^(?<name>\\w+)/$', emptyView, { name: 're' })]);
    assert.throws(() => re.reverse('re', { kwargs: { name: '' } }), {
      message:
        "Reverse for 're' with keyword arguments '{'name': ''}' not found. 1 pattern(s) tried: ['(?<name>\\\\w+)/$']",
    });
  });
});

describe('several patterns with one name: the last declared is tried first', () => {
  const r = new Resolver([
    path('number_of_args/0/', emptyView, { name: 'number_of_args' }),
    path('number_of_args/1/<value>/', emptyView, { name: 'number_of_args' }),
    path('kwargs_names/a/<a>/', emptyView, { name: 'kwargs_names' }),
    path('kwargs_names/b/<b>/', emptyView, { name: 'kwargs_names' }),
    path('converter/path/<path:value>/', emptyView, { name: 'converter' }),
    path('converter/str/<str:value>/', emptyView, { name: 'converter' }),
    path('converter/slug/<slug:value>/', emptyView, { name: 'converter' }),
    path('converter/int/<int:value>/', emptyView, { name: 'converter' }),
    path('converter/uuid/<uuid:value>/', emptyView, { name: 'converter' }),
    rePath('^regex/uppercase/([A-Z]+)/', emptyView, { name: 'regex' }),
    rePath('^regex/lowercase/([a-z]+)/', emptyView, { name: 'regex' }),
    path('same/', emptyView, { name: 'same' }),
    path('same-again/', emptyView, { name: 'same' }),
  ]);

  test("Django's same-name cases", () => {
    const cases: [string, unknown[], Record<string, unknown>, string][] = [
      ['number_of_args', [], {}, '/number_of_args/0/'],
      ['number_of_args', [1], {}, '/number_of_args/1/1/'],
      ['kwargs_names', [], { a: 1 }, '/kwargs_names/a/1/'],
      ['kwargs_names', [], { b: 1 }, '/kwargs_names/b/1/'],
      ['converter', ['a/b'], {}, '/converter/path/a/b/'],
      ['converter', ['a b'], {}, '/converter/str/a%20b/'],
      ['converter', ['a-b'], {}, '/converter/slug/a-b/'],
      ['converter', ['2'], {}, '/converter/int/2/'],
      [
        'converter',
        ['39da9369-838e-4750-91a5-f7805cd82839'],
        {},
        '/converter/uuid/39da9369-838e-4750-91a5-f7805cd82839/',
      ],
      ['regex', ['ABC'], {}, '/regex/uppercase/ABC/'],
      ['regex', ['abc'], {}, '/regex/lowercase/abc/'],
      ['same', [], {}, '/same-again/'],
    ];
    for (const [name, args, kwargs, url] of cases) {
      assert.equal(r.reverse(name, { args, kwargs }), url, `${name} ${JSON.stringify(args)}`);
    }
  });
});

describe('defaults (the kwargs of path())', () => {
  const r = new Resolver([
    path('fixed/', emptyView, { name: 'fixed', kwargs: { lang: 'en' } }),
    path('<int:pk>/', include([path('', emptyView, { name: 'under' })]), { kwargs: { site: 1 } }),
  ]);

  test('a default may be given, if with its own value', () => {
    assert.equal(r.reverse('fixed'), '/fixed/');
    assert.equal(r.reverse('fixed', { kwargs: { lang: 'en' } }), '/fixed/');
    assert.throws(() => r.reverse('fixed', { kwargs: { lang: 'fr' } }), NoReverseMatch);
    assert.throws(() => r.reverse('fixed', { kwargs: { other: 1 } }), NoReverseMatch);
  });

  test("an include's defaults count too", () => {
    assert.equal(r.reverse('under', { kwargs: { pk: 3, site: 1 } }), '/3/');
    assert.throws(() => r.reverse('under', { kwargs: { pk: 3, site: 2 } }), NoReverseMatch);
  });
});

describe('rePath reversal', () => {
  const r = new Resolver([
    rePath('^optional/(?<arg1>\\d+)/(?:(?<arg2>\\d+)/)?$', emptyView, { name: 'optional' }),
    rePath('^positional/(\\d+)-(\\d+)/$', emptyView, { name: 'positional' }),
    rePath(/^escaped\/\.json\$\/(?<x>[a-z]{2,3})\/$/, emptyView, { name: 'escaped' }),
    rePath('^(?:en|fr)/x/$', emptyView, { name: 'alternation' }),
    rePath('^lookahead/(?=[0-9])(?<n>\\d+)/$', emptyView, { name: 'lookahead' }),
    rePath('^unanchored/(?<n>\\d+)/', emptyView, { name: 'unanchored' }),
  ]);

  test('optional groups give a form without and a form with', () => {
    assert.equal(r.reverse('optional', { kwargs: { arg1: 1 } }), '/optional/1/');
    assert.equal(r.reverse('optional', { kwargs: { arg1: 1, arg2: 2 } }), '/optional/1/2/');
  });

  test('positional groups, escapes, lookarounds, no end anchor', () => {
    assert.equal(r.reverse('positional', { args: [1, 2] }), '/positional/1-2/');
    assert.equal(r.reverse('escaped', { kwargs: { x: 'ab' } }), '/escaped/.json$/ab/');
    assert.equal(r.reverse('lookahead', { kwargs: { n: 5 } }), '/lookahead/5/');
    assert.throws(() => r.reverse('lookahead', { kwargs: { n: 'x' } }), NoReverseMatch);
    assert.equal(r.reverse('unanchored', { args: [7] }), '/unanchored/7/');
  });

  test('a built URL must match the pattern', () => {
    assert.throws(() => r.reverse('escaped', { kwargs: { x: 'abcd' } }), NoReverseMatch);
    assert.throws(() => r.reverse('positional', { args: ['a', 2] }), NoReverseMatch);
  });

  test('alternation cannot be reversed (as in Django)', () => {
    assert.throws(() => r.reverse('alternation'), NoReverseMatch);
  });
});

describe('URL quoting', () => {
  const r = new Resolver([
    path('q/<path:value>/', emptyView, { name: 'q' }),
    path('<path:value>', emptyView, { name: 'top' }),
  ]);

  test("Django's safe characters are kept, the rest percent-encoded as UTF-8", () => {
    assert.equal(r.reverse('q', { args: ["!$&'()*+,;=:@~-._"] }), "/q/!$&'()*+,;=:@~-._/");
    assert.equal(r.reverse('q', { args: ['a b%c?d#e"f<g>'] }), '/q/a%20b%25c%3Fd%23e%22f%3Cg%3E/');
    assert.equal(r.reverse('q', { args: ['été/日本'] }), '/q/%C3%A9t%C3%A9/%E6%97%A5%E6%9C%AC/');
  });

  test('a URL starting with two slashes is escaped (no scheme-relative URLs)', () => {
    assert.equal(r.reverse('top', { args: ['/evil.com/x'] }), '/%2Fevil.com/x');
  });

  test('query and fragment', () => {
    assert.equal(
      r.reverse('q', { args: ['x'], query: { a: 'x y', b: [1, 2], c: '&=' } }),
      '/q/x/?a=x+y&b=1&b=2&c=%26%3D',
    );
    assert.equal(
      r.reverse('q', { args: ['x'], query: new URLSearchParams('a=1&a=2') }),
      '/q/x/?a=1&a=2',
    );
    assert.equal(r.reverse('q', { args: ['x'], query: [['k', 'v']] }), '/q/x/?k=v');
    assert.equal(r.reverse('q', { args: ['x'], query: {} }), '/q/x/');
    assert.equal(r.reverse('q', { args: ['x'], fragment: 'top' }), '/q/x/#top');
    assert.equal(r.reverse('q', { args: ['x'], query: { p: 1 }, fragment: '' }), '/q/x/?p=1#');
    assert.throws(() => r.reverse('q', { args: ['x'], query: { a: null } }), {
      name: 'TypeError',
      message:
        "Cannot encode null for key 'a' in a query string. Did you mean to pass an empty string or omit the value?",
    });
  });
});

describe('namespaces', () => {
  const appUrls = {
    appName: 'app',
    urlpatterns: [
      path('', emptyView, { name: 'index' }),
      path('<int:pk>/', emptyView, { name: 'detail' }),
      path(
        'sub/',
        include({ appName: 'sub', urlpatterns: [path('x/', emptyView, { name: 'x' })] }),
      ),
    ],
  };
  const r = new Resolver([
    path('first/', include(appUrls, { namespace: 'first' })),
    path('default/', include(appUrls)),
    path('last/', include(appUrls, { namespace: 'last' })),
    path('plain/', include([path('inner/', include(appUrls, { namespace: 'lifted' }))])),
    path('<slug:tenant>/', include(appUrls, { namespace: 'tenant' })),
  ]);

  test('an instance namespace', () => {
    assert.equal(r.reverse('first:index'), '/first/');
    assert.equal(r.reverse('last:detail', { kwargs: { pk: 2 } }), '/last/2/');
    assert.equal(r.reverse('first:sub:x'), '/first/sub/x/');
  });

  test('the application namespace finds the default instance (the one named like it)', () => {
    assert.equal(r.reverse('app:index'), '/default/');
  });

  test('currentApp picks the instance', () => {
    assert.equal(r.reverse('app:index', { currentApp: 'last' }), '/last/');
    assert.equal(r.reverse('app:sub:x', { currentApp: 'first:sub' }), '/first/sub/x/');
    assert.equal(r.reverse('app:index', { currentApp: 'unknown' }), '/default/');
  });

  test('a namespace inside an include without one is lifted, with its prefix', () => {
    assert.equal(r.reverse('lifted:detail', { args: [3] }), '/plain/inner/3/');
  });

  test('a namespace under a parameter', () => {
    assert.equal(r.reverse('tenant:detail', { kwargs: { tenant: 'acme', pk: 1 } }), '/acme/1/');
    assert.throws(() => r.reverse('tenant:detail', { kwargs: { pk: 1 } }), {
      message:
        "Reverse for 'detail' with keyword arguments '{'pk': 1}' not found. 1 pattern(s) tried: ['(?<tenant>[-a-zA-Z0-9_]+)/(?<pk>[0-9]+)/$']",
    });
  });

  test('names inside a namespace are not global', () => {
    assert.throws(() => r.reverse('index'), {
      message:
        "Reverse for 'index' not found. 'index' is not a valid view function or pattern name.",
    });
  });

  test("Django's errors for unknown namespaces", () => {
    assert.throws(() => r.reverse('nope:index'), {
      name: 'NoReverseMatch',
      message: "'nope' is not a registered namespace",
    });
    assert.throws(() => r.reverse('first:nope:index'), {
      message: "'nope' is not a registered namespace inside 'first'",
    });
  });

  test('without a default instance, the last deployed one', () => {
    const noDefault = new Resolver([
      path('one/', include(appUrls, { namespace: 'one' })),
      path('two/', include(appUrls, { namespace: 'two' })),
    ]);
    assert.equal(noDefault.reverse('app:index'), '/two/');
  });

  test('the first declared instance of a namespace wins', () => {
    const twice = new Resolver([
      path('one/', include(appUrls, { namespace: 'ns' })),
      path('two/', include(appUrls, { namespace: 'ns' })),
    ]);
    assert.equal(twice.reverse('ns:index'), '/one/');
  });
});
