/**
 * Values and names that break SQL built by concatenation: quotes, backslashes,
 * NUL, LIKE wildcards and Unicode, through every path that reaches SQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../support/backends.js';
import { DataError } from '../../src/db/errors.js';

const HOSTILE = [
  "O'Reilly",
  "'; DROP TABLE hostile_t; --",
  '"double" `back`',
  'back\\slash\\',
  "\\'",
  '100% sure_',
  '%',
  '_',
  'ünïcödé — 日本語 — 🐍',
  '\u202Eright-to-left',
  '$1 ? %s :name',
];

describeEachBackend('hostile values and identifiers', (ctx) => {
  const q = (n: string) => ctx.connection.ops.quoteName(n);
  const table = 'hostile_t';

  test('setup', async () => {
    await ctx.connection.execute(`DROP TABLE IF EXISTS ${q(table)}`);
    await ctx.connection.execute(
      `CREATE TABLE ${q(table)} (k integer PRIMARY KEY, v varchar(200))`,
    );
    let k = 0;
    for (const v of HOSTILE)
      await ctx.connection.execute(`INSERT INTO ${q(table)} (k, v) VALUES (%s, %s)`, [++k, v]);
  });

  test('every value round-trips exactly and matches itself by equality', async () => {
    const { rows } = await ctx.connection.execute<{ v: string }>(
      `SELECT v FROM ${q(table)} ORDER BY k`,
    );
    assert.deepEqual(
      rows.map((r) => r.v),
      HOSTILE,
    );
    for (const v of HOSTILE) {
      const { rows: found } = await ctx.connection.execute<{ k: number }>(
        `SELECT k FROM ${q(table)} WHERE v = %s`,
        [v],
      );
      assert.equal(found.length, 1, `exact match for ${JSON.stringify(v)}`);
    }
  });

  test('LIKE wildcards in user input match literally (contains)', async () => {
    const ops = ctx.connection.ops;
    const contains = async (needle: string): Promise<string[]> => {
      const { rows } = await ctx.connection.execute<{ v: string }>(
        `SELECT v FROM ${q(table)} WHERE v ${ops.operators.contains} ORDER BY k`,
        [`%${ops.prepLikeValue(needle)}%`],
      );
      return rows.map((r) => r.v);
    };
    assert.deepEqual(await contains('%'), ['100% sure_', '%', '$1 ? %s :name']);
    assert.deepEqual(await contains('_'), ["'; DROP TABLE hostile_t; --", '100% sure_', '_']);
    assert.deepEqual(await contains('\\'), ['back\\slash\\', "\\'"]);
    assert.deepEqual(await contains("'"), ["O'Reilly", "'; DROP TABLE hostile_t; --", "\\'"]);
    assert.deepEqual(await contains('日本'), ['ünïcödé — 日本語 — 🐍']);
  });

  test('identifiers with quotes, backticks, spaces and Unicode are quoted safely', async () => {
    const weirdTable = 'hostile "t`ä ble';
    const weirdColumn = 'co"l`ümn; --';
    await ctx.connection.execute(`DROP TABLE IF EXISTS ${q(weirdTable)}`);
    await ctx.connection.execute(`CREATE TABLE ${q(weirdTable)} (${q(weirdColumn)} varchar(50))`);
    await ctx.connection.execute(`INSERT INTO ${q(weirdTable)} (${q(weirdColumn)}) VALUES (%s)`, [
      "x'y",
    ]);
    const { rows } = await ctx.connection.execute<Record<string, string>>(
      `SELECT ${q(weirdColumn)} FROM ${q(weirdTable)}`,
    );
    assert.deepEqual(rows, [{ [weirdColumn]: "x'y" }]);
    await ctx.connection.execute(`DROP TABLE ${q(weirdTable)}`);
    assert.throws(() => q('a\0b'), DataError);
  });

  test('the table survived every value', async () => {
    const { rows } = await ctx.connection.execute<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${q(table)}`,
    );
    assert.equal(Number(rows[0]!.n), HOSTILE.length);
    await ctx.connection.execute(`DROP TABLE ${q(table)}`);
  });
});
