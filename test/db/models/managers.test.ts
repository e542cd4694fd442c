import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import {
  apps,
  CharField,
  createModelTables,
  dropModelTables,
  IntegerField,
  Manager,
  Model,
  QuerySet,
} from '../../../src/db/models/index.js';

class ArticleQuerySet extends QuerySet<Article> {
  published() {
    return this.filter({ status: 'published' });
  }
  popular(min = 100) {
    return this.filter({ views__gte: min });
  }
}

class Article extends Model({
  title: CharField({ maxLength: 50 }),
  status: CharField({ maxLength: 10, choices: ['draft', 'published'], default: 'draft' }),
  views: IntegerField({ default: 0 }),
}) {
  static override objects = Manager.fromQueryset<Article, ArticleQuerySet>(ArticleQuerySet);
  static drafts: Manager<Article> = new (class extends Manager<Article> {
    override getQueryset() {
      return super.getQueryset().filter({ status: 'draft' });
    }
  })();
}
apps.register('mgrtest', { Article });

describeEachBackend('custom managers and QuerySets', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, [Article]);
    await createModelTables(ctx.connection, [Article]);
    await Article.objects.bulkCreate([
      new Article({ title: 'a', status: 'published', views: 500 }),
      new Article({ title: 'b', status: 'published', views: 5 }),
      new Article({ title: 'c', views: 900 }),
    ]);
  });
  after(async () => {
    await dropModelTables(ctx.connection, [Article]);
  });

  test('QuerySet methods are on the manager and chain with each other', async () => {
    const titles = async (qs: PromiseLike<Article[]>) => (await qs).map((a) => a.title).sort();
    assert.deepEqual(await titles(Article.objects.published()), ['a', 'b']);
    assert.deepEqual(await titles(Article.objects.published().popular()), ['a']);
    assert.deepEqual(await titles(Article.objects.popular(1)), ['a', 'b', 'c']);
    assert.ok(Article.objects.published() instanceof ArticleQuerySet);
    assert.equal(await Article.objects.count(), 3);
  });

  test('a manager overriding getQueryset narrows every query', async () => {
    assert.deepEqual(
      (await Article.drafts.all()).map((a) => a.title),
      ['c'],
    );
    assert.equal(await Article.drafts.filter({ views__gte: 1000 }).count(), 0);
  });
});
