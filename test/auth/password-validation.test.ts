/**
 * Password validation: Django's four validators give Django's verdicts,
 * messages and codes (vectors made by Django 5.2.18 with a real User), and
 * SequenceMatcher gives Python's ratios.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { configureSettings, overrideSettings } from '../../src/conf/index.js';
import { ImproperlyConfigured, ValidationError } from '../../src/core/exceptions.js';
import {
  CommonPasswordValidator,
  MinimumLengthValidator,
  NumericPasswordValidator,
  SequenceMatcher,
  UserAttributeSimilarityValidator,
  exceedsMaximumLengthRatio,
  getDefaultPasswordValidators,
  passwordChanged,
  passwordValidatorsHelpTextHtml,
  passwordValidatorsHelpTexts,
  registerPasswordValidator,
  validatePassword,
  type PasswordValidator,
} from '../../src/auth/index.js';
import { pyIsDigit, pyStrip } from '../../src/auth/password-validation/python-text.js';

interface Vectors {
  django: string;
  validators: {
    password: string;
    withUser: boolean;
    errors: { message: string; code: string }[] | null;
  }[];
  helpTexts: string[];
  helpTextHtml: string;
  minLength1: string[];
  commonPasswordsCount: number;
  sequenceMatcher: {
    a: string;
    b: string;
    ratio: number;
    quickRatio: number;
    realQuickRatio: number;
    blocks: [number, number, number][];
  }[];
  isdigit: { s: string; isdigit: boolean }[];
}
const vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'django-vectors.json'), 'utf8'),
) as Vectors;

/** Stands in for Django's User: its attributes, and its fields' verbose names. */
const VERBOSE: Record<string, string> = {
  username: 'username',
  firstName: 'first name',
  lastName: 'last name',
  email: 'email address',
};
const ada = {
  username: 'ada_lovelace',
  firstName: 'Ada',
  lastName: 'Lovelace-Byron',
  email: 'ada.lovelace@example.com',
  _meta: {
    getField(name: string) {
      const verboseName = VERBOSE[name];
      if (!verboseName) throw new Error(`no field ${name}`);
      return { verboseName };
    },
  },
};

const DJANGO_FOUR = (): PasswordValidator[] => [
  new UserAttributeSimilarityValidator(),
  new MinimumLengthValidator(),
  new CommonPasswordValidator(),
  new NumericPasswordValidator(),
];

function errorsOf(fn: () => void): { message: string; code: string }[] | null {
  try {
    fn();
    return null;
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return error.errorList.map((m, i) => ({ message: error.messages[i]!, code: m.code! }));
  }
}

before(() => configureSettings({}));

describe('Django’s verdicts (vectors from Django 5.2)', () => {
  const validators = DJANGO_FOUR();
  for (const v of vectors.validators) {
    const label = `${JSON.stringify(v.password.slice(0, 30))}${v.withUser ? ' with a user' : ''}`;
    test(label, () => {
      assert.deepEqual(
        errorsOf(() => validatePassword(v.password, v.withUser ? ada : undefined, validators)),
        v.errors,
      );
    });
  }

  test('some verdicts worth reading', () => {
    const verdicts = new Map(
      vectors.validators.filter((v) => v.withUser).map((v) => [v.password, v.errors]),
    );
    assert.deepEqual(verdicts.get('1234567'), [
      {
        message: 'This password is too short. It must contain at least 8 characters.',
        code: 'password_too_short',
      },
      { message: 'This password is too common.', code: 'password_too_common' },
      { message: 'This password is entirely numeric.', code: 'password_entirely_numeric' },
    ]);
    assert.deepEqual(verdicts.get('ada.lovelace@example.com'), [
      {
        message: 'The password is too similar to the email address.',
        code: 'password_too_similar',
      },
    ]);
    assert.equal(verdicts.get('correct horse battery staple'), null);
  });

  test('help texts, the HTML list and the singular message', () => {
    assert.deepEqual(passwordValidatorsHelpTexts(validators), vectors.helpTexts);
    assert.equal(passwordValidatorsHelpTextHtml(validators), vectors.helpTextHtml);
    assert.equal(passwordValidatorsHelpTextHtml([]), '');
    assert.deepEqual(
      errorsOf(() => new MinimumLengthValidator({ minLength: 1 }).validate('')),
      [{ message: vectors.minLength1[0]!, code: 'password_too_short' }],
    );
    assert.equal(
      new MinimumLengthValidator({ minLength: 1 }).getHelpText(),
      'Your password must contain at least 1 character.',
    );
  });

  test('the common-password list is Django’s (19 640 entries)', () => {
    assert.equal(new CommonPasswordValidator().passwords.size, vectors.commonPasswordsCount);
    assert.equal(vectors.commonPasswordsCount, 19640);
  });
});

describe('the validators', () => {
  test('the messages, codes and parameters', () => {
    const error = (() => {
      try {
        new MinimumLengthValidator({ minLength: 12 }).validate('short');
      } catch (e) {
        return e as ValidationError;
      }
    })()!;
    assert.deepEqual(error.messages, [
      'This password is too short. It must contain at least 12 characters.',
    ]);
    assert.deepEqual(error.errorList[0]!.params, { min_length: 12 });
    assert.deepEqual(
      errorsOf(() => new NumericPasswordValidator().validate('20251231')),
      [{ message: 'This password is entirely numeric.', code: 'password_entirely_numeric' }],
    );
    assert.deepEqual(
      errorsOf(() => new CommonPasswordValidator().validate(' PassWord ')),
      [{ message: 'This password is too common.', code: 'password_too_common' }],
    );
  });

  test('similarity: a plain object’s attribute is named in words; other attributes can be chosen', () => {
    assert.deepEqual(
      errorsOf(() =>
        new UserAttributeSimilarityValidator().validate('grace.hopper', {
          firstName: 'Grace',
          lastName: 'Hopper',
          email: 'grace.hopper@navy.mil',
        }),
      ),
      [{ message: 'The password is too similar to the email.', code: 'password_too_similar' }],
    );
    const byNickname = new UserAttributeSimilarityValidator({ userAttributes: ['nickName'] });
    assert.deepEqual(
      errorsOf(() => byNickname.validate('amazing grace', { nickName: 'Amazing Grace' })),
      [{ message: 'The password is too similar to the nick name.', code: 'password_too_similar' }],
    );
    assert.equal(
      errorsOf(() => byNickname.validate('amazing grace', { email: 'amazing grace' })),
      null,
    );
    assert.equal(
      errorsOf(() => new UserAttributeSimilarityValidator().validate('ada', null)),
      null,
    );
    assert.throws(
      () => new UserAttributeSimilarityValidator({ maxSimilarity: 0.05 }),
      /max_similarity must be at least 0.1/,
    );
    const lax = new UserAttributeSimilarityValidator({ maxSimilarity: 1 });
    assert.equal(
      errorsOf(() => lax.validate('lovelace!', ada)),
      null,
    );
    assert.notEqual(
      errorsOf(() => lax.validate('lovelace', ada)),
      null,
    );
  });

  test('exceedsMaximumLengthRatio skips values far shorter than the password', () => {
    assert.equal(exceedsMaximumLengthRatio('a'.repeat(100), 0.7, 'abc'), true);
    assert.equal(exceedsMaximumLengthRatio('a'.repeat(20), 0.7, 'abc'), false);
  });

  test('a custom list, gzipped or plain text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reinhardt-common-'));
    writeFileSync(join(dir, 'list.txt'), 'hunter2\r\nswordfish\n');
    writeFileSync(join(dir, 'list.txt.gz'), gzipSync('opensesame\n'));
    const plain = new CommonPasswordValidator({ passwordListPath: join(dir, 'list.txt') });
    assert.deepEqual([...plain.passwords], ['hunter2', 'swordfish']);
    assert.throws(() => plain.validate('Hunter2'), ValidationError);
    plain.validate('password');
    const gz = new CommonPasswordValidator({ passwordListPath: join(dir, 'list.txt.gz') });
    assert.throws(() => gz.validate('OpenSesame'), ValidationError);
    assert.equal(
      errorsOf(() => gz.validate('')),
      null,
      'no empty entry after the final newline',
    );
  });

  test('Python’s isdigit() and strip()', () => {
    for (const { s, isdigit } of vectors.isdigit)
      assert.equal(pyIsDigit(s), isdigit, JSON.stringify(s));
    assert.equal(pyStrip('\x1c pw \u0085'), 'pw');
    assert.equal(pyStrip('\ufeffpw'), '\ufeffpw');
  });
});

describe('validatePassword and the authPasswordValidators setting', () => {
  const settingsValidators = [
    { name: 'UserAttributeSimilarityValidator' },
    { name: 'MinimumLengthValidator', options: { minLength: 10 } },
    { name: 'CommonPasswordValidator' },
    { name: 'NumericPasswordValidator' },
  ];

  test('no validators by default: every password passes', () => {
    assert.deepEqual(getDefaultPasswordValidators(), []);
    validatePassword('1');
  });

  test('validators come from the setting, with options', () => {
    overrideSettings({ authPasswordValidators: settingsValidators }, () => {
      assert.equal(getDefaultPasswordValidators().length, 4);
      assert.equal(getDefaultPasswordValidators(), getDefaultPasswordValidators(), 'built once');
      assert.deepEqual(
        errorsOf(() => validatePassword('123456789')),
        [
          {
            message: 'This password is too short. It must contain at least 10 characters.',
            code: 'password_too_short',
          },
          { message: 'This password is too common.', code: 'password_too_common' },
          { message: 'This password is entirely numeric.', code: 'password_entirely_numeric' },
        ],
      );
      assert.deepEqual(passwordValidatorsHelpTexts(), [
        'Your password can’t be too similar to your other personal information.',
        'Your password must contain at least 10 characters.',
        'Your password can’t be a commonly used password.',
        'Your password can’t be entirely numeric.',
      ]);
      validatePassword('a long unusual passphrase', ada);
    });
  });

  test('unknown validator names are a configuration error; registered ones work', () => {
    overrideSettings({ authPasswordValidators: [{ name: 'NoSpacesValidator' }] }, () => {
      assert.throws(() => validatePassword('x'), ImproperlyConfigured);
    });
    const changed: string[] = [];
    registerPasswordValidator('NoSpacesValidator', (options) => ({
      validate(password) {
        if (password.includes(' ')) {
          throw new ValidationError(`No spaces${String(options.suffix ?? '')}.`, {
            code: 'password_has_space',
          });
        }
      },
      getHelpText: () => 'No spaces.',
      passwordChanged: (password) => changed.push(password),
    }));
    overrideSettings(
      { authPasswordValidators: [{ name: 'NoSpacesValidator', options: { suffix: ', please' } }] },
      () => {
        assert.deepEqual(
          errorsOf(() => validatePassword('a b')),
          [{ message: 'No spaces, please.', code: 'password_has_space' }],
        );
        passwordChanged('new-password');
        assert.deepEqual(changed, ['new-password']);
      },
    );
  });

  test('errors other than ValidationError are not swallowed', () => {
    const broken: PasswordValidator = {
      validate() {
        throw new RangeError('bug');
      },
      getHelpText: () => '',
    };
    assert.throws(() => validatePassword('x', undefined, [broken]), RangeError);
  });
});

describe('SequenceMatcher gives Python difflib’s numbers', () => {
  test(`${vectors.sequenceMatcher.length} pairs, some long enough for autojunk`, () => {
    for (const v of vectors.sequenceMatcher) {
      const m = new SequenceMatcher(v.a, v.b);
      const label = `${JSON.stringify(v.a.slice(0, 20))} / ${JSON.stringify(v.b.slice(0, 20))}`;
      assert.equal(m.ratio(), v.ratio, `ratio ${label}`);
      assert.equal(m.quickRatio(), v.quickRatio, `quickRatio ${label}`);
      assert.equal(m.realQuickRatio(), v.realQuickRatio, `realQuickRatio ${label}`);
      assert.deepEqual(m.matchingBlocks(), v.blocks, `blocks ${label}`);
    }
  });

  test('autojunk can be turned off', () => {
    const a = 'x'.repeat(10) + 'abc';
    const b = 'abc' + 'x'.repeat(300);
    const withJunk = vectors.sequenceMatcher.find((v) => v.a === a && v.b === b)!;
    assert.equal(new SequenceMatcher(a, b).ratio(), withJunk.ratio);
    assert.ok(new SequenceMatcher(a, b, false).ratio() > withJunk.ratio);
  });
});
