import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';

describeEachBackend('smoke', (ctx) => {
  test('select 1', async () => {
    const { rows } = await ctx.connection.execute<{ one: number }>('SELECT 1 AS one');
    assert.equal(Number(rows[0]!.one), 1);
  });
});
