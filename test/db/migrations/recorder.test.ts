/** The record of applied migrations, on every backend. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from '../../support/backends.js';
import { MigrationRecorder, MIGRATIONS_TABLE } from '../../../src/db/migrations/index.js';

describeEachBackend('MigrationRecorder', (ctx) => {
  before(async () => {
    await ctx.connection.schemaEditor((e) => e.dropTable(MIGRATIONS_TABLE, { ifExists: true }));
  });

  test('records applied and unapplied migrations, creating its table on first use', async () => {
    const recorder = new MigrationRecorder(ctx.connection);
    assert.equal(await recorder.hasTable(), false);
    assert.equal((await recorder.appliedMigrations()).size, 0);
    const before = Date.now();
    await recorder.recordApplied(['library', '0001_initial']);
    await recorder.recordApplied(['library', '0002_book']);
    const applied = await recorder.appliedMigrations();
    assert.deepEqual([...applied.keys()], ['library.0001_initial', 'library.0002_book']);
    const when = applied.get('library.0001_initial')!;
    assert.ok(when instanceof Date && Math.abs(when.getTime() - before) < 60_000);
    await recorder.recordUnapplied(['library', '0002_book']);
    assert.deepEqual([...(await recorder.appliedMigrations()).keys()], ['library.0001_initial']);
    await recorder.flush();
    assert.equal((await recorder.appliedMigrations()).size, 0);
  });
});
