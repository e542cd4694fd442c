import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkOrThrow,
  CheckError,
  CheckRegistry,
  Critical,
  Debug,
  formatCheckMessages,
  Info,
  SystemCheckError,
  Warning,
  WARNING,
} from '../../../src/core/checks/index.js';
import { configureSettings, resetSettings } from '../../../src/conf/index.js';
import { CommandError } from '../../../src/core/exceptions.js';

afterEach(() => resetSettings());

describe('formatCheckMessages', () => {
  test('no issues', () => {
    assert.equal(formatCheckMessages([]), 'System check identified no issues (0 silenced).');
    assert.equal(formatCheckMessages([], { displayNumErrors: false }), '');
  });

  test("one error, in Django's format", () => {
    const text = formatCheckMessages([
      new CheckError('message', { id: 'models.E001', hint: 'Do this.' }),
    ]);
    assert.equal(
      text,
      'System check identified some issues:\n\nERRORS:\n?: (models.E001) message\n\tHINT: Do this.\n\n' +
        'System check identified 1 issue (0 silenced).',
    );
  });

  test('groups by level, most serious first, sorted within a group', () => {
    const text = formatCheckMessages([
      new Info('i', { id: 'a.I001' }),
      new Warning('w2', { id: 'b.W002' }),
      new Debug('d', { id: 'a.D001' }),
      new Warning('w1', { id: 'a.W001' }),
      new Critical('c', { id: 'a.C001' }),
      new CheckError('e', { id: 'a.E001' }),
    ]);
    assert.equal(
      text,
      [
        'System check identified some issues:',
        '',
        'CRITICALS:',
        '?: (a.C001) c',
        '',
        'ERRORS:',
        '?: (a.E001) e',
        '',
        'WARNINGS:',
        '?: (a.W001) w1',
        '?: (b.W002) w2',
        '',
        'INFOS:',
        '?: (a.I001) i',
        '',
        'DEBUGS:',
        '?: (a.D001) d',
        '',
        'System check identified 6 issues (0 silenced).',
      ].join('\n'),
    );
  });

  test('silenced messages are left out and counted', () => {
    configureSettings({ silencedSystemChecks: ['a.W001', 'a.W002'] });
    assert.equal(
      formatCheckMessages([
        new Warning('w1', { id: 'a.W001' }),
        new Warning('w2', { id: 'a.W002' }),
      ]),
      'System check identified no issues (2 silenced).',
    );
    assert.equal(
      formatCheckMessages([
        new Warning('w1', { id: 'a.W001' }),
        new Warning('w3', { id: 'a.W003' }),
      ]),
      'System check identified some issues:\n\nWARNINGS:\n?: (a.W003) w3\n\nSystem check identified 1 issue (1 silenced).',
    );
  });

  test('without the count line', () => {
    assert.equal(
      formatCheckMessages([new Warning('w', { id: 'a.W001' })], { displayNumErrors: false }),
      'System check identified some issues:\n\nWARNINGS:\n?: (a.W001) w\n',
    );
  });
});

describe('checkOrThrow', () => {
  function registryWith(...messages: InstanceType<typeof Warning | typeof CheckError>[]) {
    const checks = new CheckRegistry();
    checks.register(() => messages);
    return checks;
  }

  test('returns the messages and report when nothing is serious', async () => {
    const result = await checkOrThrow({
      registry: registryWith(new Warning('w', { id: 'a.W001' })),
    });
    assert.equal(result.visibleCount, 1);
    assert.equal(result.messages.length, 1);
    assert.match(result.output, /WARNINGS:\n\?: \(a\.W001\) w/);
  });

  test('throws SystemCheckError (a CommandError) with the formatted list on errors', async () => {
    const error = new CheckError('Broken.', { id: 'models.E001' });
    await assert.rejects(checkOrThrow({ registry: registryWith(error) }), (thrown: unknown) => {
      assert.ok(thrown instanceof SystemCheckError);
      assert.ok(thrown instanceof CommandError);
      assert.equal(thrown.returncode, 1);
      assert.equal(
        thrown.message,
        'System check identified some issues:\n\nERRORS:\n?: (models.E001) Broken.\n\n' +
          'System check identified 1 issue (0 silenced).',
      );
      assert.deepEqual(thrown.messages, [error]);
      return true;
    });
  });

  test('failLevel lowers the bar', async () => {
    const checks = registryWith(new Warning('w', { id: 'a.W001' }));
    await assert.rejects(checkOrThrow({ registry: checks, failLevel: WARNING }), SystemCheckError);
  });

  test('a silenced error does not fail', async () => {
    configureSettings({ silencedSystemChecks: ['models.E001'] });
    const result = await checkOrThrow({
      registry: registryWith(new CheckError('Broken.', { id: 'models.E001' })),
    });
    assert.equal(result.visibleCount, 0);
    assert.equal(result.output, 'System check identified no issues (1 silenced).');
  });
});
