import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHECK_LEVELS,
  CheckError,
  CheckMessage,
  Critical,
  CRITICAL,
  Debug,
  DEBUG,
  ERROR,
  Info,
  INFO,
  Warning,
  WARNING,
} from '../../../src/core/checks/index.js';
import { configureSettings, overrideSettings, resetSettings } from '../../../src/conf/index.js';

afterEach(() => resetSettings());

describe('levels', () => {
  test('have Django values, and each subclass its level', () => {
    assert.deepEqual([DEBUG, INFO, WARNING, ERROR, CRITICAL], [10, 20, 30, 40, 50]);
    assert.deepEqual(
      { ...CHECK_LEVELS },
      { CRITICAL: 50, ERROR: 40, WARNING: 30, INFO: 20, DEBUG: 10 },
    );
    const levels = [Debug, Info, Warning, CheckError, Critical].map((C) => new C('m').level);
    assert.deepEqual(levels, [10, 20, 30, 40, 50]);
  });

  test('isSerious compares with ERROR by default', () => {
    assert.equal(new Warning('w').isSerious(), false);
    assert.equal(new CheckError('e').isSerious(), true);
    assert.equal(new Critical('c').isSerious(), true);
    assert.equal(new Warning('w').isSerious(WARNING), true);
    assert.equal(new Info('i').isSerious(WARNING), false);
  });
});

describe('toString', () => {
  test('without object, id or hint', () => {
    assert.equal(String(new CheckError('Broken.')), '?: Broken.');
  });

  test('with id and hint', () => {
    assert.equal(
      String(new CheckError('Broken.', { id: 'models.E001', hint: 'Fix it.' })),
      '?: (models.E001) Broken.\n\tHINT: Fix it.',
    );
  });

  test('a class is shown by its name, other objects via String', () => {
    class Book {}
    assert.equal(String(new Warning('m', { obj: Book, id: 'x.W1' })), 'Book: (x.W1) m');
    assert.equal(String(new Warning('m', { obj: 'settings.caches' })), 'settings.caches: m');
  });
});

describe('equals', () => {
  test('same class and fields', () => {
    const a = new Warning('m', { id: 'a.W001', hint: 'h' });
    assert.equal(a.equals(new Warning('m', { id: 'a.W001', hint: 'h' })), true);
    assert.equal(a.equals(new Warning('m', { id: 'a.W002', hint: 'h' })), false);
    assert.equal(a.equals(new CheckMessage(WARNING, 'm', { id: 'a.W001', hint: 'h' })), false);
    assert.equal(a.equals(new CheckError('m', { id: 'a.W001', hint: 'h' })), false);
  });
});

describe('isSilenced', () => {
  test('reads settings.silencedSystemChecks', () => {
    configureSettings({ silencedSystemChecks: ['security.W004'] });
    assert.equal(new Warning('m', { id: 'security.W004' }).isSilenced(), true);
    assert.equal(new Warning('m', { id: 'security.W008' }).isSilenced(), false);
    assert.equal(new Warning('m').isSilenced(), false);
  });

  test('follows overrideSettings', () => {
    configureSettings({});
    const message = new Warning('m', { id: 'app.W001' });
    assert.equal(
      overrideSettings({ silencedSystemChecks: ['app.W001'] }, () => message.isSilenced()),
      true,
    );
    assert.equal(message.isSilenced(), false);
  });

  test('is false when settings are not configured', () => {
    assert.equal(new Warning('m', { id: 'app.W001' }).isSilenced(), false);
  });
});
