import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineSettings, type Settings } from '../../src/conf/index.js';

test('defineSettings returns the same object', () => {
  const values = { debug: true };
  assert.equal(defineSettings(values), values);
});

test('defineSettings keeps literal types and extra keys, and checks known ones', () => {
  const base = defineSettings({
    installedApps: ['shop', 'blog'],
    databases: { default: { engine: 'sqlite', name: ':memory:' } },
    paymentProvider: 'acme',
  });
  // Literal inference: other modules can spread and extend the tuple.
  const apps: readonly ['shop', 'blog'] = base.installedApps;
  const engine: 'sqlite' = base.databases.default.engine;
  const provider: 'acme' = base.paymentProvider;
  const dev = defineSettings({ ...base, installedApps: [...base.installedApps, 'debug_toolbar'] });
  const hosts: Settings['allowedHosts'] = ['a'];

  // @ts-expect-error debug must be a boolean
  defineSettings({ debug: 'yes' });
  // @ts-expect-error engine must be a known backend
  defineSettings({ databases: { default: { engine: 'oracle', name: 'x' } } });

  assert.deepEqual(
    [apps, engine, provider, dev.installedApps, hosts],
    [['shop', 'blog'], 'sqlite', 'acme', ['shop', 'blog', 'debug_toolbar'], ['a']],
  );
});
