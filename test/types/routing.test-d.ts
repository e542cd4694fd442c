/**
 * Type-level tests for reinhardt/routing: checked by `npm run typecheck`,
 * never run. Each @ts-expect-error line must fail to compile.
 */
import { include, path, rePath, type RouteParams } from '../../src/routing/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_: T): void {}

// Parameters read from the route, typed by their converter.
expectType<Equal<RouteParams<'books/<int:pk>/'>, { pk: number }>>(true);
expectType<
  Equal<
    RouteParams<'<slug:a>/<uuid:b>/<path:c>/<str:d>/<e>/'>,
    { a: string; b: string; c: string; d: string; e: string }
  >
>(true);
expectType<Equal<RouteParams<'about/'>, Record<never, never>>>(true);
// A converter the types do not know gives unknown; a non-literal route anything.
expectType<Equal<RouteParams<'<year:y>/'>, { y: unknown }>>(true);
expectType<Equal<RouteParams<string>, Record<string, unknown>>>(true);

const detail = (_request: unknown, { pk }: { pk: number }) => pk;
path('books/<int:pk>/', detail);
path('books/<int:pk>/', (_request, kwargs) => kwargs.pk.toFixed());
path('books/<int:pk>/', () => null);
// @ts-expect-error pk is a number for <int:pk>, not a string
path('books/<int:pk>/', (_request: unknown, { pk }: { pk: string }) => pk);
// @ts-expect-error the view wants a parameter the route does not have
path('books/<int:id>/', detail);

// The extra kwargs of path() reach the view's type.
path('books/', (_request, kwargs: { format: string }) => kwargs.format, {
  kwargs: { format: 'json' },
});
// @ts-expect-error the view wants an extra kwarg that is not given
path('books/', (_request, kwargs: { format: string }) => kwargs.format);

// include() takes patterns or a module; path() with include() accepts no name.
path('api/', include([path('x/', () => null)]));
path('api/', include({ appName: 'api', urlpatterns: [] }), { kwargs: { v: 1 } });
// @ts-expect-error a namespace's name goes to include(), not path()
path('api/', include([path('x/', () => null)]), { name: 'api' });

rePath(/^archive\/(?<year>[0-9]{4})\/$/, (_request, { year }: { year: string }) => year);
