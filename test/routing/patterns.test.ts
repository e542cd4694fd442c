import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ImproperlyConfigured } from '../../src/core/exceptions.js';
import {
  include,
  path,
  rePath,
  RegexPattern,
  Resolver,
  RoutePattern,
  URLPattern,
  URLResolver,
} from '../../src/routing/index.js';

const view = () => null;

describe('route strings', () => {
  test('whitespace in angle brackets is refused, elsewhere allowed', () => {
    for (const ws of [' ', '\t', '\n', '\r', '\v', '\f']) {
      const route = `space/<int:num>/extra/<str:${ws}test>`;
      assert.throws(() => path(route, view), {
        name: 'ImproperlyConfigured',
        message: `URL route '${route}' cannot contain whitespace in angle brackets <…>.`,
      });
    }
    const spaced = ` \t\n\r\v\f`;
    const r = new Resolver([path(`space${spaced}/<int:num>/`, view)]);
    assert.deepEqual(r.resolve(`/space${spaced}/1/`).kwargs, { num: 1 });
  });

  test('parameter names must be identifiers', () => {
    assert.throws(() => path('hello/<int:1>/', view), {
      message:
        "URL route 'hello/<int:1>/' uses parameter name '1' which isn't a valid JavaScript identifier.",
    });
    assert.throws(() => path('b/<int:book.id>/', view), {
      message:
        "URL route 'b/<int:book.id>/' uses parameter name 'book.id' which isn't a valid JavaScript identifier.",
    });
    const r = new Resolver([path('hello/<str:\u0394>/', view)]);
    assert.deepEqual(r.resolve('/hello/1/').kwargs, { '\u0394': '1' });
  });

  test('a parameter named twice', () => {
    assert.throws(() => path('<int:a>/<slug:a>/', view), {
      name: 'ImproperlyConfigured',
      message: "URL route '<int:a>/<slug:a>/' uses parameter name 'a' more than once.",
    });
  });

  test('a parameter without converter is a str', () => {
    const p = path('<lang>/<path:url>/', view);
    assert.ok(p.pattern instanceof RoutePattern);
    assert.deepEqual(
      p.pattern.parts.map((part) => (typeof part === 'string' ? part : part.converterName)),
      ['str', '/', 'path', '/'],
    );
    assert.equal(p.pattern.pattern, '(?<lang>[^/]+)/(?<url>.+)/$');
  });

  test('literal text is matched literally', () => {
    const r = new Resolver([path('a.b+c(d)/', view, { name: 'x' })]);
    assert.equal(r.resolve('/a.b+c(d)/').urlName, 'x');
    assert.equal(r.isValidPath('/aXb+c(d)/'), false);
  });

  test('a trailing newline does not match (Django uses \\Z, not $)', () => {
    const r = new Resolver([
      path('articles/<int:year>/', view),
      rePath('^regex/(?<pk>[0-9]+)/$', view),
    ]);
    assert.equal(r.isValidPath('/articles/2003/\n'), false);
    assert.equal(r.isValidPath('/regex/1/\n'), false);
  });
});

describe('rePath', () => {
  test('a string or a RegExp; stateful flags are dropped', () => {
    const fromString = rePath('^a/(?<x>[0-9]+)/$', view);
    const fromRegExp = rePath(/^a\/(?<x>[0-9]+)\/$/gy, view);
    assert.ok(fromString.pattern instanceof RegexPattern);
    assert.ok(fromRegExp.pattern instanceof RegexPattern);
    assert.equal(fromRegExp.pattern.regex.flags, '');
    const r = new Resolver([fromRegExp]);
    // Twice: a global or sticky RegExp would fail the second time (lastIndex).
    assert.deepEqual(r.resolve('/a/1/').kwargs, { x: '1' });
    assert.deepEqual(r.resolve('/a/1/').kwargs, { x: '1' });
  });

  test('flags such as i are kept', () => {
    const r = new Resolver([rePath(/^about\/$/i, view, { name: 'about' })]);
    assert.equal(r.resolve('/ABOUT/').urlName, 'about');
  });

  test("an invalid regular expression: Django's message", () => {
    assert.throws(() => rePath('^(unclosed/$', view), {
      name: 'ImproperlyConfigured',
      message: /^"\^\(unclosed\/\$" is not a valid regular expression: /,
    });
  });

  test('a pattern without ^ is searched anywhere, as Django does', () => {
    const r = new Resolver([rePath('b/$', view, { name: 'b' })]);
    assert.equal(r.isValidPath('/ab/'), false); // an endpoint ending in $ must match it all
    const prefix = new Resolver([rePath('x', include([path('y/', view, { name: 'y' })]))]);
    assert.equal(prefix.resolve('/axy/').urlName, 'y');
  });
});

describe('path() and include() errors', () => {
  test('view must be a function or include()', () => {
    assert.throws(() => path('x/', 'views.index' as never), {
      name: 'TypeError',
      message: 'view must be a function or the result of include().',
    });
    class BookView {
      static asView() {
        return view;
      }
    }
    assert.throws(() => path('x/', BookView as never), {
      name: 'TypeError',
      message: 'view must be a function, pass BookView.asView(), not the class BookView.',
    });
    assert.throws(() => path('x/', view, { kwargs: 3 as never }), {
      name: 'TypeError',
      message: 'kwargs argument must be an object, but it received number.',
    });
  });

  test('path() with a view is a URLPattern, with include() a URLResolver', () => {
    assert.ok(path('x/', view) instanceof URLPattern);
    const r = path('x/', include([path('y/', view)]));
    assert.ok(r instanceof URLResolver);
    assert.equal(r.pattern.isEndpoint, false);
    assert.equal(String(path('x/', view, { name: 'x' })), "<URLPattern 'x/' [name='x']>");
  });

  test('a namespace needs an application namespace', () => {
    assert.throws(() => include([path('y/', view)], { namespace: 'ns' }), {
      name: 'ImproperlyConfigured',
      message:
        'Specifying a namespace in include() without providing an appName is not supported. ' +
        'Set the appName export in the included module, or pass { urlpatterns, appName } instead.',
    });
    const included = include({ urlpatterns: [], appName: 'app' });
    assert.equal(included.namespace, 'app');
    assert.equal(include({ urlpatterns: [], appName: 'app' }, { namespace: 'x' }).namespace, 'x');
  });

  test('an included module without patterns', () => {
    assert.throws(() => include({} as never), {
      name: 'ImproperlyConfigured',
      message: /^The included URLconf '\{\}' does not appear to have any patterns in it\./,
    });
    const circular = {
      get urlpatterns(): never {
        throw new ReferenceError("Cannot access 'urlpatterns' before initialization");
      },
    };
    assert.throws(() => include(circular), /probably caused by a circular import/);
  });

  test('an entry that is not a pattern', () => {
    assert.throws(() => new Resolver([view as never]), {
      name: 'ImproperlyConfigured',
      message:
        'Your URL pattern view is invalid. Ensure that urlpatterns is a list of path() and/or rePath() instances.',
    });
    assert.throws(() => include([{ route: 'x/' } as never]), ImproperlyConfigured);
  });
});
