/**
 * Model validation (`fullClean()` / `cleanFields()`) with Django's messages,
 * word for word, and its rules: which validators run, in which order, which
 * messages `errorMessages` replaces, and `messageDict` keyed by field name.
 * No database is needed: the models have no unique fields to check.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../../src/core/exceptions.js';
import { MaxValueValidator, MinValueValidator } from '../../../src/core/validators.js';
import {
  apps,
  BigIntegerField,
  BinaryField,
  BooleanField,
  CharField,
  DateField,
  DateTimeField,
  DecimalField,
  DurationField,
  EmailField,
  FloatField,
  IntegerField,
  JSONField,
  type Manager,
  Model,
  PositiveBigIntegerField,
  PositiveIntegerField,
  PositiveSmallIntegerField,
  SlugField,
  SmallIntegerField,
  TextField,
  TimeField,
  URLField,
  UUIDField,
} from '../../../src/db/models/index.js';

class Article extends Model(
  {
    title: CharField({ maxLength: 200 }),
    initial: CharField({ maxLength: 1, blank: true }),
    status: CharField({
      maxLength: 10,
      choices: [
        ['draft', 'Draft'],
        ['live', 'Live'],
      ],
      default: 'draft',
    }),
    rating: IntegerField({ choices: [1, 2, 3], null: true, blank: true }),
    body: TextField({ maxLength: 5, blank: true }),
    count: IntegerField({ default: 0 }),
    small: SmallIntegerField({ default: 0 }),
    big: BigIntegerField({ default: 0 }),
    posInt: PositiveIntegerField({ default: 0 }),
    posBig: PositiveBigIntegerField({ default: 0 }),
    posSmall: PositiveSmallIntegerField({ default: 0 }),
    ratio: FloatField({ null: true, blank: true }),
    price: DecimalField({ maxDigits: 5, decimalPlaces: 2, null: true, blank: true }),
    flag: BooleanField({ default: false }),
    maybe: BooleanField({ null: true, blank: true }),
    email: EmailField({ blank: true }),
    url: URLField({ blank: true }),
    slug: SlugField({ blank: true }),
    token: UUIDField({ null: true, blank: true }),
    day: DateField({ null: true, blank: true }),
    at: DateTimeField({ null: true, blank: true }),
    time: TimeField({ null: true, blank: true }),
    duration: DurationField({ null: true, blank: true }),
    data: JSONField({ null: true, blank: true }),
    required: JSONField({ default: () => ({ a: 1 }) }),
    blob: BinaryField({ maxLength: 2, null: true }),
    createdAt: DateTimeField({ autoNowAdd: true }),
  },
  { dbTable: 'validationtest_article' },
) {
  declare static objects: Manager<Article>;
}

function isEven(value: number): void {
  if (value % 2 !== 0)
    throw new ValidationError('%(value)s is not even.', { code: 'odd', params: { value } });
}
const atMost100 = {
  validate(value: number): void {
    if (value > 100) throw new ValidationError('Too big.', { code: 'too_big' });
  },
};

class Custom extends Model(
  {
    title: CharField({
      maxLength: 5,
      errorMessages: {
        blank: 'Give it a title.',
        max_length: 'At most %(limit_value)d, you gave %(show_value)d.',
      },
    }),
    count: IntegerField({
      null: false,
      errorMessages: { invalid: 'Numbers only, not “%(value)s”.', null: 'Count is required.' },
    }),
    even: IntegerField({
      default: 0,
      validators: [isEven, atMost100],
      errorMessages: { odd: 'Odd!' },
    }),
    limited: IntegerField({ default: 0, validators: [new MaxValueValidator(10)] }),
    wide: PositiveIntegerField({ default: 0, validators: [new MinValueValidator(-5)] }),
    status: CharField({
      maxLength: 5,
      choices: ['a', 'b'],
      default: 'a',
      errorMessages: { invalid_choice: '%(value)s? No.' },
    }),
  },
  { dbTable: 'validationtest_custom' },
) {
  declare static objects: Manager<Custom>;
}

apps.register('validationtest', { Article, Custom });

/** A valid article. */
const article = (values: Record<string, unknown> = {}): Article =>
  new Article({ title: 'A title', ...values } as never);

/** The `messageDict` of `fullClean()`, or `{}` when the instance is valid. */
async function messagesOf(obj: { fullClean(): Promise<void> }): Promise<Record<string, string[]>> {
  try {
    await obj.fullClean();
    return {};
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return e.messageDict;
  }
}

/** The codes of `fullClean()`'s errors, by field. */
async function codesOf(obj: { fullClean(): Promise<void> }): Promise<Record<string, unknown[]>> {
  try {
    await obj.fullClean();
    return {};
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return Object.fromEntries(
      Object.entries(e.errorDict ?? {}).map(([k, v]) => [k, v.map((m) => m.code)]),
    );
  }
}

/** Asserts the messages (and the codes) of one field's value. */
async function check(
  field: string,
  value: unknown,
  messages: string[],
  codes?: string[],
): Promise<void> {
  const obj = article({ [field]: value });
  assert.deepEqual(
    await messagesOf(obj),
    messages.length ? { [field]: messages } : {},
    `${field} = ${String(value)}`,
  );
  if (codes) assert.deepEqual(await codesOf(obj), { [field]: codes });
}

describe('field validation with Django’s messages', () => {
  test('a valid instance passes, and cleaning converts the values', async () => {
    const obj = article({
      rating: '2',
      count: ' 42 ',
      price: '1.5',
      flag: 'True',
      token: 'A0EEBC999C0B4EF8BB6D6BB9BD380A11',
      day: '2024-3-1',
      at: '2024-03-10T02:30:00-05:00',
      time: '9:05:01.5',
      duration: '1 day, 1:00:00.000001',
      data: { ok: [1, 'two', null] },
      blob: Buffer.from([0, 0]),
    });
    await obj.fullClean();
    assert.equal(obj.rating, 2);
    assert.equal(obj.count, 42);
    assert.equal(obj.price, '1.5');
    assert.equal(obj.flag, true);
    assert.equal(obj.token, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    assert.equal(obj.day, '2024-03-01');
    assert.equal(obj.at!.toISOString(), '2024-03-10T07:30:00.000Z');
    assert.equal(obj.time, '09:05:01.500000');
    assert.equal(obj.duration, 90_000_000.001);
  });

  test('blank and null', async () => {
    await check('title', '', ['This field cannot be blank.'], ['blank']);
    await check('title', null, ['This field cannot be null.'], ['null']);
    await check('count', null, ['This field cannot be null.'], ['null']);
    // Blank values of blank fields are not validated further.
    await check('email', '', []);
    await check('initial', '', []);
    // {} and [] are empty values too (Django's empty_values).
    await check('required', {}, ['This field cannot be blank.'], ['blank']);
    await check('required', [], ['This field cannot be blank.'], ['blank']);
    // Fields that are not editable (autoNowAdd) are not validated.
    await check('createdAt', null, []);
  });

  test('choices', async () => {
    await check('status', 'gone', ["Value 'gone' is not a valid choice."], ['invalid_choice']);
    await check('rating', 5, ['Value 5 is not a valid choice.'], ['invalid_choice']);
    await check('rating', '3', []);
  });

  test('max length, with the singular for 1', async () => {
    await check(
      'title',
      'x'.repeat(201),
      ['Ensure this value has at most 200 characters (it has 201).'],
      ['max_length'],
    );
    await check('title', 'é'.repeat(200), []);
    await check('initial', 'ab', ['Ensure this value has at most 1 character (it has 2).']);
    // Characters are code points: one emoji is one character, as in Python.
    await check('initial', '🐎', []);
    // TextField's maxLength is not enforced by the model (only by forms), as in Django.
    await check('body', 'longer than five', []);
    // BinaryField counts bytes.
    await check(
      'blob',
      Buffer.from([1, 2, 3]),
      ['Ensure this value has at most 2 characters (it has 3).'],
      ['max_length'],
    );
  });

  test('integers: the message for text, and the range of each type', async () => {
    await check('count', 'abc', ['“abc” value must be an integer.'], ['invalid']);
    await check('count', 1.5, ['“1.5” value must be an integer.'], ['invalid']);
    await check('count', '', ['“” value must be an integer.'], ['invalid']);
    const ranges: [string, number, number][] = [
      ['small', -32_768, 32_767],
      ['count', -2_147_483_648, 2_147_483_647],
      ['big', -9_007_199_254_740_991, 9_007_199_254_740_991],
      ['posSmall', 0, 32_767],
      ['posInt', 0, 2_147_483_647],
      ['posBig', 0, 9_007_199_254_740_991],
    ];
    for (const [field, min, max] of ranges) {
      await check(field, min, []);
      await check(field, max, []);
      await check(
        field,
        min - 1,
        [`Ensure this value is greater than or equal to ${min}.`],
        ['min_value'],
      );
      await check(
        field,
        max + 1,
        [`Ensure this value is less than or equal to ${max}.`],
        ['max_value'],
      );
    }
  });

  test('floats', async () => {
    await check('ratio', 'abc', ['“abc” value must be a float.'], ['invalid']);
    await check('ratio', '0x10', ['“0x10” value must be a float.']);
    await check('ratio', ' -1.5e3 ', []);
    await check('ratio', 'inf', []);
  });

  test('decimals: digits, decimal places, whole digits', async () => {
    await check('price', 'abc', ['“abc” value must be a decimal number.'], ['invalid']);
    await check('price', 'NaN', ['“NaN” value must be a decimal number.']);
    await check(
      'price',
      '1234.56',
      ['Ensure that there are no more than 5 digits in total.'],
      ['max_digits'],
    );
    await check(
      'price',
      '1.234',
      ['Ensure that there are no more than 2 decimal places.'],
      ['max_decimal_places'],
    );
    // Trailing zeros count, as Python's Decimal('1.500') has three places.
    await check('price', '1.500', ['Ensure that there are no more than 2 decimal places.']);
    await check(
      'price',
      '1234.5',
      ['Ensure that there are no more than 3 digits before the decimal point.'],
      ['max_whole_digits'],
    );
    await check('price', 1e3, [
      'Ensure that there are no more than 3 digits before the decimal point.',
    ]);
    await check('price', '999.99', []);
    await check('price', '-0.01', []);
    await check('price', '1.2e2', []);
    await check('price', '00012.50', []);
  });

  test('booleans (the nullable message keeps the code invalid)', async () => {
    await check('flag', 'yes', ['“yes” value must be either True or False.'], ['invalid']);
    await check('flag', 2, ['“2” value must be either True or False.']);
    await check('maybe', 'yes', ['“yes” value must be either True, False, or None.'], ['invalid']);
    await check('maybe', null, []);
    await check('flag', 'f', []);
  });

  test('e-mail addresses, URLs and slugs', async () => {
    await check('email', 'not-an-email', ['Enter a valid email address.'], ['invalid']);
    await check('email', 'someone@example.com', []);
    // Every validator runs; the type's validator comes before the length (Django's order).
    await check(
      'email',
      'x'.repeat(300),
      [
        'Enter a valid email address.',
        'Ensure this value has at most 254 characters (it has 300).',
      ],
      ['invalid', 'max_length'],
    );
    await check('url', 'not a url', ['Enter a valid URL.'], ['invalid']);
    await check('url', 'javascript:alert(1)', ['Enter a valid URL.']);
    await check('url', 'ftp://example.com/file.txt', []);
    await check(
      'slug',
      'bad slug!',
      ['Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.'],
      ['invalid'],
    );
    await check('slug', 'good-slug_1', []);
  });

  test('UUIDs', async () => {
    await check('token', 'xyz', ['“xyz” is not a valid UUID.'], ['invalid']);
    await check('token', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1', [
      '“a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1” is not a valid UUID.',
    ]);
    await check('token', '{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}', []);
  });

  test('dates, datetimes and times', async () => {
    await check(
      'day',
      '10/03/2024',
      ['“10/03/2024” value has an invalid date format. It must be in YYYY-MM-DD format.'],
      ['invalid'],
    );
    await check(
      'day',
      '2023-02-29',
      ['“2023-02-29” value has the correct format (YYYY-MM-DD) but it is an invalid date.'],
      ['invalid_date'],
    );
    await check('day', '2024-02-29', []);
    await check('day', '0099-12-31', []);
    await check(
      'at',
      'nope',
      [
        '“nope” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.',
      ],
      ['invalid'],
    );
    await check(
      'at',
      '2024-02-30 10:00',
      [
        '“2024-02-30 10:00” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.',
      ],
      ['invalid_datetime'],
    );
    await check(
      'at',
      '2024-01-01 24:00',
      [
        '“2024-01-01 24:00” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.',
      ],
      ['invalid_datetime'],
    );
    await check(
      'at',
      '2024-02-30',
      ['“2024-02-30” value has the correct format (YYYY-MM-DD) but it is an invalid date.'],
      ['invalid_date'],
    );
    await check('at', '2024-02-29 23:59:59.999999+05:30', []);
    await check(
      'time',
      'noon',
      ['“noon” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.'],
      ['invalid'],
    );
    await check(
      'time',
      '25:00',
      ['“25:00” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time.'],
      ['invalid_time'],
    );
    await check('time', '23:59:59.999999', []);
  });

  test('durations', async () => {
    await check(
      'duration',
      'forever',
      ['“forever” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format.'],
      ['invalid'],
    );
    for (const [text, ms] of [
      ['15', 15_000],
      ['10:15', 615_000],
      ['-1 day, 23:59:59.998500', -1.5],
      ['-00:00:01', -1000],
      ['3 days 04:05:06', 273_906_000],
      ['P1DT2H3M4.5S', 93_784_500],
      ['-PT0.0015S', -1.5],
    ] as const) {
      const obj = article({ duration: text });
      await obj.fullClean();
      assert.equal(obj.duration, ms, text);
    }
  });

  test('JSON that is not JSON', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const value of [
      { f: () => 1 },
      10n,
      [Number.NaN],
      { n: Infinity },
      circular,
      new Map([['a', 1]]),
      { when: new Date(0) },
      [1, undefined],
      Symbol('s'),
    ]) {
      await check('data', value, ['Value must be valid JSON.'], ['invalid']);
    }
    await check('data', { shared: [1], again: { x: [1] }, gone: undefined }, []);
    await check('data', 'a string', []);
    await check('data', false, []);
  });

  test('messageDict is keyed by field name, with every field’s errors', async () => {
    const obj = article({ title: '', count: 'abc', email: 'bad', price: '1.234', flag: 'maybe' });
    assert.deepEqual(await messagesOf(obj), {
      title: ['This field cannot be blank.'],
      count: ['“abc” value must be an integer.'],
      email: ['Enter a valid email address.'],
      price: ['Ensure that there are no more than 2 decimal places.'],
      flag: ['“maybe” value must be either True or False.'],
    });
    // cleanFields() alone, with exclusions.
    assert.throws(
      () => obj.cleanFields(['title', 'count', 'price', 'flag']),
      (e: unknown) =>
        e instanceof ValidationError &&
        JSON.stringify(e.messageDict) ===
          JSON.stringify({ email: ['Enter a valid email address.'] }),
    );
  });

  test('errorMessages override messages by code, validators’ too', async () => {
    const custom = (values: Record<string, unknown>) =>
      new Custom({ title: 'ok', count: 1, ...values } as never);
    assert.deepEqual(await messagesOf(custom({ title: '' })), { title: ['Give it a title.'] });
    assert.deepEqual(await messagesOf(custom({ title: 'too long' })), {
      title: ['At most 5, you gave 8.'],
    });
    assert.deepEqual(await messagesOf(custom({ count: 'x' })), {
      count: ['Numbers only, not “x”.'],
    });
    assert.deepEqual(await messagesOf(custom({ count: null })), { count: ['Count is required.'] });
    assert.deepEqual(await messagesOf(custom({ status: 'c' })), { status: ['c? No.'] });
  });

  test('custom validators: functions and objects, all run, in order', async () => {
    const custom = (values: Record<string, unknown>) =>
      new Custom({ title: 'ok', count: 1, ...values } as never);
    assert.deepEqual(await messagesOf(custom({ even: 4 })), {});
    // The function's code has a message in errorMessages: it replaces the validator's.
    assert.deepEqual(await messagesOf(custom({ even: 101 })), { even: ['Odd!', 'Too big.'] });
    assert.deepEqual(await codesOf(custom({ even: 101 })), { even: ['odd', 'too_big'] });
    assert.deepEqual(await messagesOf(custom({ even: 102 })), { even: ['Too big.'] });
    // A validator narrower than the type's range replaces it; a wider one does not.
    assert.deepEqual(await messagesOf(custom({ limited: 2 ** 40 })), {
      limited: ['Ensure this value is less than or equal to 10.'],
    });
    assert.deepEqual(await messagesOf(custom({ wide: -1 })), {
      wide: ['Ensure this value is greater than or equal to 0.'],
    });
    // Validators do not run on empty values.
    const f = Custom._meta.getField('even');
    assert.doesNotThrow(() => f.runValidators(null));
  });

  test('Field.clean() converts, validates and runs validators', () => {
    const price = Article._meta.getField('price');
    assert.equal(price.clean('  12.5 '), '12.5');
    assert.equal(price.clean(2.5e-1), '0.25');
    assert.throws(
      () => price.clean('12.345'),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.messages.join() === 'Ensure that there are no more than 2 decimal places.',
    );
    const flag = Article._meta.getField('flag');
    assert.equal(flag.clean(0), false);
    assert.equal(flag.clean('t'), true);
  });
});

test('decimal validator messages use the singular for 1, as Django', async () => {
  const { DecimalValidator } = await import('../../../src/core/validators.js');
  const { ValidationError } = await import('../../../src/core/exceptions.js');
  const message = (v: { validate(x: unknown): void }, value: string) => {
    try {
      v.validate(value);
    } catch (e) {
      if (e instanceof ValidationError) return e.messages[0];
      throw e;
    }
    return undefined;
  };
  assert.equal(
    message(new DecimalValidator(1, 0), '12'),
    'Ensure that there are no more than 1 digit in total.',
  );
  assert.equal(
    message(new DecimalValidator(5, 1), '1.25'),
    'Ensure that there are no more than 1 decimal place.',
  );
  assert.equal(
    message(new DecimalValidator(3, 2), '12.5'),
    'Ensure that there are no more than 1 digit before the decimal point.',
  );
});

test('URL and e-mail validators accept and refuse what Django does', async () => {
  const { URLValidator, validateEmail } = await import('../../../src/core/validators.js');
  const accepts = (v: { validate(x: unknown): void }, x: string) => {
    try {
      v.validate(x);
      return true;
    } catch {
      return false;
    }
  };
  const url = new URLValidator();
  for (const good of [
    'http://example.com',
    'https://www.djangoproject.com/',
    'http://localhost:8000/x?y=1#z',
    'http://127.0.0.1/',
    'http://[::1]:80/',
    'http://bücher.de',
    'http://xn--bcher-kva.de',
    'ftp://user:pass@host.example.org/f',
  ]) {
    assert.ok(accepts(url, good), good);
  }
  for (const bad of [
    'http://example',
    'http://-bad.com',
    'http://exa_mple.com',
    'http://a.b',
    'mailto:x@y.com',
    'http://example.com:99999',
    'http://exa mple.com',
  ]) {
    assert.ok(!accepts(url, bad), bad);
  }
  for (const good of [
    'a@example.com',
    '"test@test"@example.com',
    'x@bücher.de',
    'x@localhost',
    'x@[127.0.0.1]',
  ]) {
    assert.ok(accepts(validateEmail, good), good);
  }
  for (const bad of [
    'bad@',
    '@x.com',
    'a b@example.com',
    'a@-bad.com',
    'a@example',
    '"john doe"@example.com',
  ]) {
    assert.ok(!accepts(validateEmail, bad), bad);
  }
});
