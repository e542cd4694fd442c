import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import {
  apps,
  BooleanField,
  CharField,
  createModelTables,
  dropModelTables,
  IntegerField,
  type Manager,
  Model,
  Q,
} from '../../../src/db/models/index.js';
import { IntegrityError } from '../../../src/db/errors.js';

class Product extends Model(
  {
    name: CharField({ maxLength: 50 }),
    price: IntegerField(),
    discount: IntegerField({ default: 0 }),
    active: BooleanField({ default: true }),
    code: CharField({ maxLength: 10 }),
  },
  {
    dbTable: 'metatest_products',
    ordering: ['name'],
    indexes: [
      { fields: ['name', '-price'], name: 'metatest_name_price_idx' },
      { fields: ['code'], name: 'metatest_active_code_idx', condition: { active: true } },
    ],
    constraints: [
      { kind: 'check', name: 'metatest_price_positive', check: { price__gte: 0 } },
      {
        kind: 'check',
        name: 'metatest_discount_lt_price',
        check: Q({ discount__lt: 100 }).or(Q({ price__gte: 1000 })),
      },
      {
        kind: 'unique',
        name: 'metatest_unique_active_code',
        fields: ['code'],
        condition: { active: true },
      },
    ],
    uniqueTogether: [['name', 'price']],
    verboseName: 'product',
  },
) {
  declare static objects: Manager<Product>;
}
apps.register('metatest', { Product });

describeEachBackend('Meta: table, indexes and constraints', (ctx) => {
  before(async () => {
    await dropModelTables(ctx.connection, [Product]);
    await createModelTables(ctx.connection, [Product]);
  });
  after(async () => {
    await dropModelTables(ctx.connection, [Product]);
  });

  test('the table name, indexes and constraints exist in the database', async () => {
    assert.ok((await ctx.connection.introspection.tableNames()).includes('metatest_products'));
    const constraints = await ctx.connection.introspection.getConstraints('metatest_products');
    assert.ok(constraints['metatest_name_price_idx']?.index, 'index');
    assert.deepEqual(constraints['metatest_name_price_idx']?.columns, ['name', 'price']);
    if (ctx.connection.features.supportsCheckConstraints) {
      assert.ok(constraints['metatest_price_positive']?.check, 'check constraint');
    }
    if (ctx.connection.features.supportsPartialIndexes) {
      assert.ok(constraints['metatest_unique_active_code'], 'partial unique');
    }
  });

  test('check constraints compiled from lookups and Q reject bad rows', async () => {
    await Product.objects.create({ name: 'ok', price: 10, code: 'A' });
    await assert.rejects(
      Product.objects.create({ name: 'neg', price: -1, code: 'B' }),
      IntegrityError,
    );
    await assert.rejects(
      Product.objects.create({ name: 'disc', price: 10, discount: 150, code: 'C' }),
      IntegrityError,
    );
    await Product.objects.create({ name: 'dear', price: 5000, discount: 150, code: 'D' });
    await assert.rejects(
      Product.objects.create({ name: 'ok', price: 10, code: 'E' }),
      IntegrityError,
    );
  });

  test('a conditional unique constraint applies only where its condition holds', async (t) => {
    if (!ctx.connection.features.supportsPartialIndexes)
      return t.skip('no partial indexes on this backend');
    await Product.objects.create({ name: 'old', price: 1, code: 'X', active: false });
    await Product.objects.create({ name: 'older', price: 2, code: 'X', active: false });
    await Product.objects.create({ name: 'live', price: 3, code: 'X', active: true });
    await assert.rejects(
      Product.objects.create({ name: 'live2', price: 4, code: 'X', active: true }),
      IntegrityError,
    );
  });

  test('fullClean checks uniqueTogether', async () => {
    const dup = new Product({ name: 'ok', price: 10, code: 'Z' });
    await assert.rejects(dup.fullClean(), {
      message: 'Product with this Name and Price already exists.',
    });
  });
});
