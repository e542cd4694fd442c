import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  configureSettings,
  onSettingChanged,
  overrideSettings,
  resetSettings,
  settings,
  type SettingChangedEvent,
} from '../../src/conf/index.js';

beforeEach(() => configureSettings({ debug: false, allowedHosts: ['example.com'] }));
afterEach(() => resetSettings());

describe('overrideSettings', () => {
  test('applies inside fn only, and returns what fn returns (sync)', () => {
    const result = overrideSettings({ debug: true }, () => settings.debug);
    assert.equal(result, true);
    assert.equal(settings.debug, false);
  });

  test('async fn: the override lasts until the promise settles', async () => {
    const seen = await overrideSettings({ allowedHosts: ['testserver'] }, async () => {
      await sleep(1);
      return settings.allowedHosts;
    });
    assert.deepEqual(seen, ['testserver']);
    assert.deepEqual(settings.allowedHosts, ['example.com']);
  });

  test('overrides nest; the inner value wins and the outer one comes back', async () => {
    await overrideSettings({ debug: true, timeZone: 'Asia/Tokyo' }, async () => {
      await overrideSettings({ timeZone: 'Europe/Paris' }, () => {
        assert.equal(settings.timeZone, 'Europe/Paris');
        assert.equal(settings.debug, true, 'outer override still visible');
      });
      assert.equal(settings.timeZone, 'Asia/Tokyo');
    });
    assert.equal(settings.timeZone, 'UTC');
  });

  test('concurrent code outside fn does not see the override', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = overrideSettings({ debug: true }, async () => {
      await gate; // stays overridden while the other task runs
      return settings.debug;
    });
    const outside = (async () => {
      await sleep(1);
      const value = settings.debug;
      release();
      return value;
    })();
    assert.deepEqual(await Promise.all([inside, outside]), [true, false]);
  });

  test('the override ends when fn throws or rejects', async () => {
    assert.throws(
      () =>
        overrideSettings({ debug: true }, () => {
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(settings.debug, false);
    await assert.rejects(
      overrideSettings({ debug: true }, async () => {
        throw new Error('async boom');
      }),
      /async boom/,
    );
    assert.equal(settings.debug, false);
  });

  test('new keys of the project own can be overridden', () => {
    const value = overrideSettings({ featureX: 'on' } as never, () =>
      Reflect.get(settings, 'featureX'),
    );
    assert.equal(value, 'on');
    assert.equal(Reflect.get(settings, 'featureX'), undefined);
  });

  test('overridden values are validated', () => {
    assert.throws(
      () => overrideSettings({ allowedHosts: 'x' as never }, () => undefined),
      /The allowedHosts setting must be an array/,
    );
  });

  test('works before settings are configured, for the overridden keys only', () => {
    resetSettings();
    overrideSettings({ debug: true }, () => {
      assert.equal(settings.debug, true);
      assert.throws(() => settings.timeZone, /Requested setting timeZone/);
    });
  });
});

describe('onSettingChanged', () => {
  test('listeners hear enter and exit for each overridden setting', async () => {
    const events: SettingChangedEvent[] = [];
    const stop = onSettingChanged((event) => events.push(event));
    try {
      await overrideSettings({ debug: true, timeZone: 'Asia/Tokyo' }, async () => {
        await overrideSettings({ timeZone: 'Europe/Paris' }, () => undefined);
      });
    } finally {
      stop();
    }
    assert.deepEqual(events, [
      { setting: 'debug', value: true, enter: true },
      { setting: 'timeZone', value: 'Asia/Tokyo', enter: true },
      { setting: 'timeZone', value: 'Europe/Paris', enter: true },
      { setting: 'timeZone', value: 'Asia/Tokyo', enter: false },
      { setting: 'debug', value: false, enter: false },
      { setting: 'timeZone', value: 'UTC', enter: false },
    ]);
  });

  test('a listener sees the overridden settings on enter and the restored ones on exit', () => {
    const seen: [boolean, boolean][] = [];
    const stop = onSettingChanged(({ enter }) => seen.push([enter, settings.debug]));
    try {
      overrideSettings({ debug: true }, () => undefined);
    } finally {
      stop();
    }
    assert.deepEqual(seen, [
      [true, true],
      [false, false],
    ]);
  });

  test('the returned function removes the listener', () => {
    let calls = 0;
    const stop = onSettingChanged(() => calls++);
    overrideSettings({ debug: true }, () => undefined);
    stop();
    overrideSettings({ debug: true }, () => undefined);
    assert.equal(calls, 2);
  });

  test('listeners survive resetSettings', () => {
    let calls = 0;
    const stop = onSettingChanged(() => calls++);
    try {
      resetSettings();
      configureSettings({});
      overrideSettings({ debug: true }, () => undefined);
    } finally {
      stop();
    }
    assert.equal(calls, 2);
  });
});
