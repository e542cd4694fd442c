import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CheckRegistry,
  Info,
  registerCheck,
  registry,
  Tags,
  Warning,
  type CheckContext,
} from '../../../src/core/checks/index.js';

describe('CheckRegistry', () => {
  test('runs ordinary checks; deployment checks only when asked', async () => {
    const checks = new CheckRegistry();
    checks.register(() => [new Info('always')]);
    checks.register(() => [new Warning('deploy only')], { deploy: true });
    assert.deepEqual(
      (await checks.runChecks()).map((m) => m.msg),
      ['always'],
    );
    assert.deepEqual(
      (await checks.runChecks({ includeDeploymentChecks: true })).map((m) => m.msg),
      ['always', 'deploy only'],
    );
  });

  test('tags select checks', async () => {
    const checks = new CheckRegistry();
    checks.register(() => [new Info('models')], { tags: [Tags.models] });
    checks.register(() => [new Info('both')], { tags: [Tags.models, Tags.urls] });
    checks.register(() => [new Info('untagged')]);
    const run = async (tags: string[]) => (await checks.runChecks({ tags })).map((m) => m.msg);
    assert.deepEqual(await run(['urls']), ['both']);
    assert.deepEqual(await run(['models']), ['models', 'both']);
    assert.deepEqual(await run(['admin']), []);
  });

  test('async checks are awaited and receive the context', async () => {
    const checks = new CheckRegistry();
    let received: CheckContext | undefined;
    checks.register(async (context) => {
      received = context;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return [new Info('late')];
    });
    const messages = await checks.runChecks({ databases: ['default', 'replica'] });
    assert.deepEqual(
      messages.map((m) => m.msg),
      ['late'],
    );
    assert.deepEqual(received, { appConfigs: null, databases: ['default', 'replica'] });
  });

  test('a check that does not return an array is a TypeError', async () => {
    const checks = new CheckRegistry();
    checks.register(function badCheck() {
      return undefined as never;
    });
    await assert.rejects(checks.runChecks(), {
      name: 'TypeError',
      message: /The check badCheck did not return an array/,
    });
  });

  test('registering twice keeps one entry; unregister removes it', async () => {
    const checks = new CheckRegistry();
    const check = () => [new Info('once')];
    checks.register(check);
    checks.register(check, { tags: ['x'] });
    assert.equal((await checks.runChecks()).length, 1);
    assert.equal(checks.tagExists('x'), true);
    assert.equal(checks.unregister(check), true);
    assert.deepEqual(await checks.runChecks(), []);
  });

  test('tagsAvailable and tagExists count deployment checks only when asked', () => {
    const checks = new CheckRegistry();
    checks.register(() => [], { tags: ['models'] });
    checks.register(() => [], { tags: ['security'], deploy: true });
    assert.deepEqual([...checks.tagsAvailable()], ['models']);
    assert.deepEqual([...checks.tagsAvailable(true)].sort(), ['models', 'security']);
    assert.equal(checks.tagExists('security'), false);
    assert.equal(checks.tagExists('security', true), true);
  });

  test('register returns the function', () => {
    const checks = new CheckRegistry();
    const check = () => [];
    assert.equal(checks.register(check), check);
  });
});

describe('the shared registry', () => {
  test('registerCheck adds to it and Tags has Django names', () => {
    const check = registerCheck(() => [], { tags: [Tags.asyncSupport] });
    try {
      assert.ok(registry.getChecks().includes(check));
      assert.equal(registry.tagExists('async_support'), true);
    } finally {
      registry.unregister(check);
    }
    assert.deepEqual(Object.values(Tags).sort(), [
      'admin',
      'async_support',
      'caches',
      'compatibility',
      'database',
      'files',
      'models',
      'security',
      'signals',
      'sites',
      'staticfiles',
      'templates',
      'translation',
      'urls',
    ]);
  });

  test('importing the checks module registers the security deployment checks', () => {
    assert.equal(registry.tagExists(Tags.security, true), true);
    assert.equal(registry.tagExists(Tags.security, false), false);
  });
});
