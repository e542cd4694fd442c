/**
 * Every field type on every backend: values saved and loaded back exactly,
 * with the right JavaScript types; lookups converting their values as the
 * columns store them; `autoNow`/`autoNowAdd` under a frozen clock; and time
 * zones (a child process runs with TZ=America/New_York).
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type BackendContext, describeEachBackend, targets } from '../../support/backends.js';
import { connections } from '../../../src/db/connections.js';
import { ValueError } from '../../../src/core/exceptions.js';
import type { BaseDatabaseWrapper } from '../../../src/db/backends/base/wrapper.js';
import { normalizeDecimal } from '../../../src/db/models/fields/numeric.js';
import {
  apps,
  AutoField,
  BigAutoField,
  BigIntegerField,
  BinaryField,
  BooleanField,
  CharField,
  createModelTables,
  DateField,
  DateTimeField,
  DecimalField,
  dropModelTables,
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
  quantizeDecimal,
  setClock,
  SlugField,
  SmallIntegerField,
  TextField,
  TimeField,
  URLField,
  uuid4,
  UUIDField,
} from '../../../src/db/models/index.js';

class Everything extends Model(
  {
    id: BigAutoField({ primaryKey: true }),
    status: CharField({
      maxLength: 10,
      choices: [
        ['draft', 'Draft'],
        ['live', 'Live'],
      ],
      default: 'draft',
    }),
    title: CharField({ maxLength: 100, dbColumn: 'title_text' }),
    label: CharField({ maxLength: 20, default: () => 'computed' }),
    body: TextField({ blank: true }),
    count: IntegerField({ default: 7 }),
    big: BigIntegerField({ null: true }),
    small: SmallIntegerField({ default: 0 }),
    posInt: PositiveIntegerField({ default: 0 }),
    posBig: PositiveBigIntegerField({ default: 0 }),
    posSmall: PositiveSmallIntegerField({ default: 0 }),
    ratio: FloatField({ null: true }),
    amount: DecimalField({ maxDigits: 20, decimalPlaces: 6, null: true }),
    flag: BooleanField({ default: false }),
    maybe: BooleanField({ null: true }),
    day: DateField({ null: true }),
    at: DateTimeField({ null: true }),
    createdAt: DateTimeField({ autoNowAdd: true }),
    updatedAt: DateTimeField({ autoNow: true }),
    time: TimeField({ null: true }),
    duration: DurationField({ null: true }),
    email: EmailField({ blank: true }),
    url: URLField({ blank: true }),
    slug: SlugField({ blank: true }),
    token: UUIDField({ default: uuid4 }),
    data: JSONField({ null: true }),
    blob: BinaryField({ null: true }),
  },
  { dbTable: 'fieldtest_everything' },
) {
  declare static objects: Manager<Everything>;
}

class SmallPk extends Model(
  { id: AutoField(), name: CharField({ maxLength: 10 }) },
  { dbTable: 'fieldtest_smallpk' },
) {
  declare static objects: Manager<SmallPk>;
}

/** Written by the child process that runs with another TZ. */
class TzProbe extends Model(
  {
    day: DateField({ null: true }),
    dayFromDate: DateField({ null: true }),
    at: DateTimeField({ null: true }),
  },
  { dbTable: 'fieldtest_tzprobe' },
) {
  declare static objects: Manager<TzProbe>;
}

apps.register('fieldtest', { Everything, SmallPk, TzProbe });

const MODELS = [Everything, SmallPk];
const AT = new Date('2024-03-10T07:30:00.123Z'); // 02:30 in New York: a time that does not exist there
const UUID_UPPER = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11';
const UUID = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
const JSON_VALUE = {
  nested: { deeper: { list: [1, 'two', { three: 3 }, [4]], empty: {}, none: null } },
  // (No \u0000: PostgreSQL's jsonb cannot hold it, as with Django.)
  unicode: 'žluťoučký kůň 🐎 — “quotes” \\ " \u2028 \t \u{10FFFF}',
  numbers: [0, -1, 1.5, -2.25e-10, 1e21, Number.MAX_SAFE_INTEGER],
  booleans: [true, false],
  nothing: null,
};
const BYTES = Buffer.from([0, 1, 0, 255, 0, 128, 0]);

/** The full set of values of one row; the decimal's text is chosen per test. */
function fullValues(amount: string) {
  return {
    status: 'live' as const,
    title: 'Everything',
    body: 'multi\nline\ttext with ünïcödé and emoji 🎉',
    count: -2_147_483_648,
    big: Number.MAX_SAFE_INTEGER,
    small: -32_768,
    posInt: 2_147_483_647,
    posBig: Number.MAX_SAFE_INTEGER,
    posSmall: 32_767,
    ratio: 0.1,
    amount,
    flag: true,
    maybe: false,
    day: '2024-03-10',
    at: AT,
    time: '13:14:15.123456',
    duration: -1.5,
    email: 'someone@example.com',
    url: 'https://example.com/path?q=1',
    slug: 'a-slug_1',
    token: UUID_UPPER,
    data: JSON_VALUE,
    blob: BYTES,
  };
}

/** The suite, declared once per backend (not in the time-zone child process). */
function fieldSuite(ctx: BackendContext): void {
  before(async () => {
    await dropModelTables(ctx.connection, MODELS);
    await createModelTables(ctx.connection, MODELS);
  });
  after(async () => {
    await dropModelTables(ctx.connection, MODELS);
  });

  test('defaults (values and functions), choices and dbColumn', async () => {
    const a = await Everything.objects.create({ title: 'defaults' });
    const b = await Everything.objects.create({ title: 'defaults 2' });
    for (const obj of [a, await Everything.objects.get({ pk: a.pk })]) {
      assert.equal(obj.status, 'draft');
      assert.equal(obj.label, 'computed');
      assert.equal(obj.count, 7);
      assert.equal(obj.flag, false);
      assert.equal(obj.maybe, null);
      assert.equal(obj.body, '');
      assert.equal(obj.amount, null);
      assert.equal(obj.data, null);
      assert.match(
        obj.token,
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
    assert.notEqual(a.token, b.token, 'a default function runs once per instance');
    // dbColumn names the column; the attribute keeps the field's name.
    const { rows } = await ctx.connection.execute(
      `SELECT ${ctx.connection.ops.quoteName('title_text')} AS t FROM ${ctx.connection.ops.quoteName('fieldtest_everything')} WHERE ${ctx.connection.ops.quoteName('id')} = %s`,
      [a.pk],
    );
    assert.equal(rows[0]!.t, 'defaults');
    assert.equal(typeof a.id, 'number');
    await Everything.objects.filter({ title__startswith: 'defaults' }).delete();
  });

  test('every type round-trips exactly, with its JavaScript type', async () => {
    const saved = await Everything.objects.create(fullValues('12345678901234.123457'));
    const got = await Everything.objects.get({ pk: saved.pk });

    assert.equal(got.status, 'live');
    assert.equal(got.title, 'Everything');
    assert.equal(got.body, 'multi\nline\ttext with ünïcödé and emoji 🎉');
    for (const [name, value] of [
      ['count', -2_147_483_648],
      ['big', Number.MAX_SAFE_INTEGER],
      ['small', -32_768],
      ['posInt', 2_147_483_647],
      ['posBig', Number.MAX_SAFE_INTEGER],
      ['posSmall', 32_767],
    ] as const) {
      assert.equal(typeof got[name], 'number', name);
      assert.equal(got[name], value, name);
    }
    assert.equal(got.ratio, 0.1);

    // Decimals are strings with exactly decimalPlaces digits. PostgreSQL and
    // MySQL store numeric(20, 6) exactly; SQLite stores a REAL, which (as in
    // Django) is exact to 15 significant digits only.
    assert.equal(typeof got.amount, 'string');
    assert.equal(
      got.amount,
      ctx.vendor === 'sqlite' ? '12345678901234.100000' : '12345678901234.123457',
    );

    assert.equal(got.flag, true);
    assert.equal(got.maybe, false);
    assert.equal(got.day, '2024-03-10');
    assert.ok(got.at instanceof Date);
    assert.equal(got.at.getTime(), AT.getTime());
    assert.equal(got.at.toISOString(), '2024-03-10T07:30:00.123Z');
    assert.equal(got.time, '13:14:15.123456');
    assert.equal(got.duration, -1.5);
    assert.equal(got.email, 'someone@example.com');
    assert.equal(got.url, 'https://example.com/path?q=1');
    assert.equal(got.slug, 'a-slug_1');
    assert.equal(got.token, UUID);
    assert.deepEqual(got.data, JSON_VALUE);
    assert.ok(Buffer.isBuffer(got.blob));
    assert.deepEqual([...got.blob!], [...BYTES]);
    await saved.delete();
  });

  test('decimals: quantized to decimalPlaces, signs, exponents and numbers', async () => {
    const cases: [unknown, string][] = [
      ['-0.5', '-0.500000'],
      ['+007.25', '7.250000'],
      [1.5, '1.500000'],
      ['1.5e3', '1500.000000'],
      ['2.5E-5', '0.000025'],
      ['0.0000005', '0.000000'], // half-even: 0.0000005 → 0.000000
      ['0.0000015', '0.000002'],
      ['99999999999999', '99999999999999.000000'],
      ['12345.678901', '12345.678901'],
    ];
    for (const [input, expected] of cases) {
      const obj = await Everything.objects.create({ title: 'dec', amount: input as string });
      const got = await Everything.objects.get({ pk: obj.pk });
      assert.equal(got.amount, expected, `${String(input)}`);
      await obj.delete();
    }
  });

  test('integer edges: safe integers both ways, small and auto primary keys', async () => {
    const lo = await Everything.objects.create({ title: 'lo', big: Number.MIN_SAFE_INTEGER });
    assert.equal((await Everything.objects.get({ pk: lo.pk })).big, Number.MIN_SAFE_INTEGER);
    const bigs = await Everything.objects
      .filter({ title: 'lo', big__in: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] })
      .valuesList('big', { flat: true });
    assert.deepEqual(bigs, [Number.MIN_SAFE_INTEGER]);
    await lo.delete();
    const s = await SmallPk.objects.create({ name: 'x' });
    assert.equal(typeof s.id, 'number');
    assert.equal((await SmallPk.objects.get({ id: s.id })).name, 'x');
    const explicit = await SmallPk.objects.create({ id: 2_147_483_647, name: 'max' });
    assert.equal((await SmallPk.objects.get({ pk: 2_147_483_647 })).name, 'max');
    await explicit.delete();
  });

  test('a value that cannot be prepared is refused before the database (Django’s ValueError)', async () => {
    const obj = new Everything({ title: 'bad', count: 'abc' as unknown as number });
    await assert.rejects(
      obj.save(),
      (e: unknown) =>
        e instanceof ValueError && e.message === "Field 'count' expected a number but got 'abc'.",
    );
    const frac = new Everything({ title: 'bad', count: 3.5 });
    await assert.rejects(
      frac.save(),
      (e: unknown) =>
        e instanceof ValueError && e.message === "Field 'count' expected a number but got 3.5.",
    );
    assert.equal(await Everything.objects.filter({ title: 'bad' }).count(), 0);
  });

  test('durations: negative, sub-millisecond, days; stored as Django stores them', async () => {
    const values = [-1.5, 0.001, -0.001, 90_061_000.001, 1000 * 86_400_000, -86_400_000 * 3 - 0.5];
    const objs = [];
    for (const duration of values)
      objs.push(await Everything.objects.create({ title: 'dur', duration }));
    const got = await Everything.objects
      .filter({ title: 'dur' })
      .orderBy('id')
      .valuesList('duration', { flat: true });
    assert.deepEqual(got, values);
    // Text forms as Django writes them are accepted too.
    const text = await Everything.objects.create({
      title: 'dur-text',
      duration: '-1 day, 23:59:59.998500' as unknown as number,
    });
    assert.equal((await Everything.objects.get({ pk: text.pk })).duration, -1.5);
    const q = (name: string) => ctx.connection.ops.quoteName(name);
    const { rows } = await ctx.connection.execute(
      `SELECT ${q('duration')} AS d FROM ${q('fieldtest_everything')} WHERE ${q('id')} = %s`,
      [objs[0]!.pk],
    );
    if (ctx.connection.features.hasNativeDurationField) {
      assert.equal(typeof rows[0]!.d, 'object'); // an interval
    } else {
      assert.equal(Number(rows[0]!.d), -1500); // microseconds, as Django
    }
    await Everything.objects.filter({ title__startswith: 'dur' }).delete();
  });

  test('UUIDs: canonical lower case with dashes whatever the input; 32 hex digits without a native type', async () => {
    const forms = [UUID_UPPER, UUID.replace(/-/g, ''), `{${UUID}}`, `urn:uuid:${UUID}`];
    for (const token of forms) {
      const obj = await Everything.objects.create({ title: 'uuid', token });
      assert.equal((await Everything.objects.get({ pk: obj.pk })).token, UUID);
      assert.equal(await Everything.objects.filter({ token: UUID_UPPER }).count(), 1);
      const q = (name: string) => ctx.connection.ops.quoteName(name);
      const { rows } = await ctx.connection.execute(
        `SELECT ${q('token')} AS t FROM ${q('fieldtest_everything')} WHERE ${q('id')} = %s`,
        [obj.pk],
      );
      assert.equal(
        rows[0]!.t,
        ctx.connection.features.hasNativeUuidField ? UUID : UUID.replace(/-/g, ''),
      );
      await obj.delete();
    }
  });

  test('JSON: any JSON value at the top, strings that look like JSON stay strings', async () => {
    const values: unknown[] = [
      'plain string',
      '{"looks": "like an object"}',
      '"quoted"',
      '123',
      42,
      -0.5,
      true,
      false,
      [1, [2, [3, null]], {}],
      { '': 'empty key', 'a.b': { 'c d': ['é'] } },
    ];
    const objs = [];
    for (const data of values) objs.push(await Everything.objects.create({ title: 'json', data }));
    const got = await Everything.objects
      .filter({ title: 'json' })
      .orderBy('id')
      .valuesList('data', { flat: true });
    assert.deepEqual(got, values);
    for (const [i, obj] of objs.entries())
      assert.deepEqual((await Everything.objects.get({ pk: obj.pk })).data, values[i]);
    // SQL NULL, not JSON null, for null (as Django).
    const nul = await Everything.objects.create({ title: 'json-null', data: null });
    assert.equal(
      await Everything.objects.filter({ title: 'json-null', data__isnull: true }).count(),
      1,
    );
    await nul.delete();
    await Everything.objects.filter({ title: 'json' }).delete();
  });

  test('binary: zero bytes, empty and large values as Buffers', async () => {
    const large = Buffer.alloc(70_000, 0);
    large[69_999] = 7;
    for (const blob of [BYTES, Buffer.alloc(0), large, new Uint8Array([0, 0, 1])]) {
      const obj = await Everything.objects.create({ title: 'bin', blob: blob as Buffer });
      const got = (await Everything.objects.get({ pk: obj.pk })).blob;
      assert.ok(Buffer.isBuffer(got));
      assert.ok(Buffer.from(blob).equals(got!));
      await obj.delete();
    }
  });

  test('times: microseconds kept, other forms normalised so text comparisons hold', async () => {
    const a = await Everything.objects.create({ title: 'time', time: '9:05' });
    const b = await Everything.objects.create({ title: 'time', time: '23:59:59.5' });
    const c = await Everything.objects.create({ title: 'time', time: '00:00:00.000000' });
    assert.equal((await Everything.objects.get({ pk: a.pk })).time, '09:05:00');
    assert.equal((await Everything.objects.get({ pk: b.pk })).time, '23:59:59.500000');
    assert.equal((await Everything.objects.get({ pk: c.pk })).time, '00:00:00');
    const titles = async (lookups: Record<string, unknown>) =>
      (await Everything.objects.filter({ title: 'time', ...lookups }).orderBy('time')).map(
        (o) => o.time,
      );
    assert.deepEqual(await titles({ time: '09:05:00' }), ['09:05:00']);
    assert.deepEqual(await titles({ time: '9:05' }), ['09:05:00']);
    assert.deepEqual(await titles({ time__gt: '10:00' }), ['23:59:59.500000']);
    assert.deepEqual(await titles({ time__lt: '9:05:00.000001' }), ['00:00:00', '09:05:00']);
    await Everything.objects.filter({ title: 'time' }).delete();
  });

  test('lookups convert their values as the columns store them', async () => {
    await Everything.objects.create({
      ...fullValues('12345678901234.123457'),
      title: 'lk1',
    });
    await Everything.objects.create({
      title: 'lk2',
      status: 'draft',
      count: 10,
      big: 5,
      ratio: -3.5,
      amount: '0.000001',
      flag: false,
      maybe: null,
      day: '2024-03-11',
      at: new Date('2024-03-11T00:00:00Z'),
      time: '08:00',
      duration: 2000,
      token: uuid4(),
      data: { k: 'v' },
      blob: Buffer.from([1]),
    });
    const titles = async (lookups: Record<string, unknown>) =>
      (
        await Everything.objects.filter({ title__in: ['lk1', 'lk2'], ...lookups }).orderBy('title')
      ).map((o) => o.title);

    assert.deepEqual(await titles({ status: 'live' }), ['lk1']);
    assert.deepEqual(await titles({ count__gt: 0 }), ['lk2']);
    assert.deepEqual(await titles({ count: '10' }), ['lk2']);
    assert.deepEqual(await titles({ big: Number.MAX_SAFE_INTEGER }), ['lk1']);
    assert.deepEqual(await titles({ big__range: [0, 10] }), ['lk2']);
    assert.deepEqual(await titles({ ratio__lt: 0 }), ['lk2']);
    assert.deepEqual(await titles({ ratio: '0.1' }), ['lk1']);
    // Decimals: by exact text, by other spellings of the same number, by range.
    assert.deepEqual(await titles({ amount: '12345678901234.123457' }), ['lk1']);
    assert.deepEqual(await titles({ amount: '0.0000010' }), ['lk2']);
    assert.deepEqual(await titles({ amount: '1e-6' }), ['lk2']);
    assert.deepEqual(await titles({ amount__gt: '1' }), ['lk1']);
    assert.deepEqual(await titles({ amount__range: ['0', '0.00001'] }), ['lk2']);
    // Booleans.
    assert.deepEqual(await titles({ flag: true }), ['lk1']);
    assert.deepEqual(await titles({ flag: 'f' }), ['lk2']);
    assert.deepEqual(await titles({ maybe: false }), ['lk1']);
    assert.deepEqual(await titles({ maybe__isnull: true }), ['lk2']);
    // Dates and datetimes (a date for a datetime is midnight UTC).
    assert.deepEqual(await titles({ day: '2024-03-10' }), ['lk1']);
    assert.deepEqual(await titles({ day__gt: '2024-3-10' }), ['lk2']);
    assert.deepEqual(await titles({ day: new Date('2024-03-11T23:59:59Z') }), ['lk2']);
    assert.deepEqual(await titles({ at: AT }), ['lk1']);
    assert.deepEqual(await titles({ at: '2024-03-10T02:30:00.123-05:00' }), ['lk1']);
    assert.deepEqual(await titles({ at: '2024-03-11' }), ['lk2']);
    assert.deepEqual(await titles({ at__gte: new Date('2024-03-10T07:30:00.124Z') }), ['lk2']);
    assert.deepEqual(await titles({ at__range: ['2024-03-10', '2024-03-10 23:59:59'] }), ['lk1']);
    assert.deepEqual(await titles({ at__date: '2024-03-10' }), ['lk1']);
    // Times and durations.
    assert.deepEqual(await titles({ time: '13:14:15.123456' }), ['lk1']);
    assert.deepEqual(await titles({ time__lt: '8:00:01' }), ['lk2']);
    assert.deepEqual(await titles({ duration: -1.5 }), ['lk1']);
    assert.deepEqual(await titles({ duration: '0:00:02' }), ['lk2']);
    assert.deepEqual(await titles({ duration__lt: -1.499 }), ['lk1']);
    assert.deepEqual(await titles({ duration__gt: -1.5 }), ['lk2']);
    // UUIDs in any accepted form; text and binary values.
    assert.deepEqual(await titles({ token: UUID }), ['lk1']);
    assert.deepEqual(await titles({ token: UUID_UPPER.replace(/-/g, '') }), ['lk1']);
    assert.deepEqual(await titles({ token__in: [UUID_UPPER] }), ['lk1']);
    assert.deepEqual(await titles({ email: 'someone@example.com' }), ['lk1']);
    assert.deepEqual(await titles({ blob: Buffer.from([1]) }), ['lk2']);
    await Everything.objects.filter({ title__in: ['lk1', 'lk2'] }).delete();
  });

  test('values() and valuesList() convert like instances do', async () => {
    const obj = await Everything.objects.create(fullValues('1.000001'));
    const [row] = await Everything.objects
      .filter({ pk: obj.pk })
      .values('amount', 'token', 'duration', 'at', 'day', 'flag', 'data', 'blob', 'time');
    assert.deepEqual(row, {
      amount: '1.000001',
      token: UUID,
      duration: -1.5,
      at: AT,
      day: '2024-03-10',
      flag: true,
      data: JSON_VALUE,
      blob: BYTES,
      time: '13:14:15.123456',
    });
    await obj.delete();
  });

  test('autoNowAdd is set on insert and kept; autoNow changes on every save', async () => {
    const t1 = new Date('2030-01-01T00:00:00.001Z');
    const t2 = new Date('2030-01-02T12:00:00.500Z');
    const t3 = new Date('2030-06-30T23:59:59.999Z');
    let current = t1;
    const previous = setClock(() => new Date(current.getTime()));
    try {
      const obj = await Everything.objects.create({ title: 'clock' });
      assert.equal(obj.createdAt.getTime(), t1.getTime());
      assert.equal(obj.updatedAt.getTime(), t1.getTime());
      current = t2;
      obj.count = 8;
      await obj.save();
      assert.equal(obj.createdAt.getTime(), t1.getTime());
      assert.equal(obj.updatedAt.getTime(), t2.getTime());
      let got = await Everything.objects.get({ pk: obj.pk });
      assert.equal(got.createdAt.getTime(), t1.getTime());
      assert.equal(got.updatedAt.getTime(), t2.getTime());
      current = t3;
      await got.save();
      got = await Everything.objects.get({ pk: obj.pk });
      assert.equal(got.createdAt.getTime(), t1.getTime());
      assert.equal(got.updatedAt.getTime(), t3.getTime());
      // A value given for an autoNowAdd field is overwritten on insert, as in Django.
      const given = await Everything.objects.create({
        title: 'clock',
        createdAt: new Date(0),
      } as never);
      assert.equal(given.createdAt.getTime(), t3.getTime());
      await Everything.objects.filter({ title: 'clock' }).delete();
    } finally {
      setClock(previous);
    }
  });

  test('dates and datetimes under TZ=America/New_York (a child process)', async () => {
    const out = await runTzChild(ctx.vendor);
    assert.deepEqual(out, {
      // The child's clock really is in New York, in daylight saving time.
      offsetMinutes: 240,
      day: '2024-03-10',
      dayFromDate: '2024-03-10',
      at: '2024-03-10T07:30:00.250Z',
      localDay: '2024-03-09',
      counts: { day: 1, at: 1, atDate: 1, atRange: 1, dayFromDate: 1 },
    });
  });
}

const execFileAsync = promisify(execFile);
const TZ_CHILD_ENV = 'REINHARDT_FIELDTEST_TZ_CHILD';

/** Runs this file in a child process with another time zone, for one backend. */
async function runTzChild(vendor: string): Promise<unknown> {
  const target = targets.find((t) => t.vendor === vendor)!;
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--conditions=reinhardt-source', '--import', 'tsx', fileURLToPath(import.meta.url)],
    {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      env: {
        ...process.env,
        TZ: 'America/New_York',
        [TZ_CHILD_ENV]: JSON.stringify(target.settings),
        // The child connects with the settings above; nothing else to probe.
        REINHARDT_TEST_DATABASES: 'sqlite',
      },
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** The child's side: saves and reads dates and datetimes, prints what it saw. */
async function tzChild(settingsJson: string): Promise<void> {
  await connections.configure({ default: JSON.parse(settingsJson) });
  const connection = connections.get('default');
  try {
    await dropModelTables(connection, [TzProbe]);
    await createModelTables(connection, [TzProbe]);
    const at = new Date('2024-03-10T07:30:00.250Z');
    // 21:00 on 9 March in New York: a DateField takes the UTC date (Django: the default time zone's, UTC).
    const fromDate = new Date('2024-03-10T02:00:00Z');
    const obj = await TzProbe.objects.create({
      day: '2024-03-10',
      dayFromDate: fromDate as unknown as string,
      at,
    });
    const got = await TzProbe.objects.get({ pk: obj.pk });
    const count = (lookups: Record<string, unknown>) => TzProbe.objects.filter(lookups).count();
    const out = {
      offsetMinutes: new Date('2024-03-10T12:00:00Z').getTimezoneOffset(),
      day: got.day,
      dayFromDate: got.dayFromDate,
      at: got.at!.toISOString(),
      localDay: `${fromDate.getFullYear()}-${String(fromDate.getMonth() + 1).padStart(2, '0')}-${String(fromDate.getDate()).padStart(2, '0')}`,
      counts: {
        day: await count({ day: '2024-03-10' }),
        at: await count({ at }),
        atDate: await count({ at__date: '2024-03-10' }),
        atRange: await count({ at__range: ['2024-03-10 07:30', '2024-03-10T07:30:01Z'] }),
        dayFromDate: await count({ dayFromDate: fromDate }),
      },
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await dropModelTables(connection, [TzProbe]);
    await connections.closeAll();
  }
}

/** What the drivers hand over, converted without a database. */
function conversionSuite(): void {
  const pg = {
    vendor: 'postgresql',
    features: { hasNativeDurationField: true, hasNativeUuidField: true },
  } as unknown as BaseDatabaseWrapper;
  const sqlite = { vendor: 'sqlite', features: {} } as unknown as BaseDatabaseWrapper;

  test('quantizeDecimal rounds half-even, carries, expands exponents', () => {
    for (const [text, places, expected] of [
      ['2.675', 2, '2.68'],
      ['2.665', 2, '2.66'],
      ['2.6650001', 2, '2.67'],
      ['9.995', 2, '10.00'],
      ['-9.995', 2, '-10.00'],
      ['999.5', 0, '1000'],
      ['0.5', 0, '0'],
      ['1.5', 0, '2'],
      ['-0.004', 2, '0.00'],
      ['1e-7', 6, '0.000000'],
      ['1.23e3', 1, '1230.0'],
      ['+007.1', 2, '7.10'],
      ['12345678901234.1', 6, '12345678901234.100000'],
      ['not a number', 2, 'not a number'],
    ] as const) {
      assert.equal(quantizeDecimal(text, places), expected, text);
    }
  });

  test('normalizeDecimal reads what Python’s Decimal reads', () => {
    assert.equal(normalizeDecimal(' -00012.50 '), '-12.50');
    assert.equal(normalizeDecimal('.5'), '0.5');
    assert.equal(normalizeDecimal('5.'), '5');
    assert.equal(normalizeDecimal('1.5E+3'), '1500');
    assert.equal(normalizeDecimal('1.50e1'), '15.0');
    assert.equal(normalizeDecimal('15e-4'), '0.0015');
    for (const bad of ['', '.', 'e5', '1e', 'NaN', 'Infinity', '0x10', '1_000', '1e99999'])
      assert.equal(normalizeDecimal(bad), undefined, bad);
  });

  test('decimals from SQLite’s REAL keep 15 significant digits', () => {
    const f = DecimalField({ maxDigits: 30, decimalPlaces: 6 });
    assert.equal(f.fromDb(0.1, sqlite), '0.100000');
    assert.equal(f.fromDb(1e-7, sqlite), '0.000000');
    assert.equal(f.fromDb(100, sqlite), '100.000000');
    assert.equal(f.fromDb(1.2345678901234568e20, sqlite), '123456789012346000000.000000');
    assert.equal(f.fromDb('5.120000', pg), '5.120000');
  });

  test('datetimes stored as text by SQLite are UTC, any fraction length', () => {
    const f = DateTimeField();
    for (const [text, iso] of [
      ['2024-03-10 07:30:00', '2024-03-10T07:30:00.000Z'],
      ['2024-03-10 07:30:00.5', '2024-03-10T07:30:00.500Z'],
      ['2024-03-10 07:30:00.123456', '2024-03-10T07:30:00.123Z'],
      ['0099-01-01 00:00:00.000000', '0099-01-01T00:00:00.000Z'],
      ['2024-03-10T07:30:00+01:00', '2024-03-10T06:30:00.000Z'],
    ] as const) {
      assert.equal(f.fromDb(text, sqlite)!.toISOString(), iso, text);
    }
  });

  test('times as the backends give them become canonical', () => {
    const f = TimeField();
    for (const [raw, expected] of [
      ['13:14:15', '13:14:15'],
      ['13:14:15.12', '13:14:15.120000'],
      ['13:14:15.000', '13:14:15'],
      ['13:14:15.000000', '13:14:15'],
      ['13:14:15.000001', '13:14:15.000001'],
      ['9:05', '09:05:00'],
    ] as const) {
      assert.equal(f.fromDb(raw, pg), expected, raw);
    }
  });

  test('autoNow dates and times take the clock’s UTC date and time', () => {
    const previous = setClock(() => new Date('2024-03-10T23:30:00.123Z'));
    try {
      const day = DateField({ autoNow: true });
      const time = TimeField({ autoNowAdd: true });
      day.contribute({ name: 'M' }, 'day');
      time.contribute({ name: 'M' }, 'time');
      const row: Record<string, unknown> = { day: null, time: '01:00:00' };
      assert.equal(day.preSave(row, false), '2024-03-10');
      assert.equal(time.preSave(row, false), '01:00:00', 'autoNowAdd keeps the value on update');
      assert.equal(time.preSave(row, true), '23:30:00.123000');
      assert.deepEqual(row, { day: '2024-03-10', time: '23:30:00.123000' });
      assert.equal(day.editable, false);
      assert.equal(time.blank, true);
    } finally {
      setClock(previous);
    }
  });

  test('durations: PostgreSQL intervals both ways, microseconds elsewhere', () => {
    const f = DurationField();
    const interval = (fields: Record<string, number>) => fields;
    assert.equal(
      f.fromDb(
        interval({ days: -1, hours: 23, minutes: 59, seconds: 59, milliseconds: 998.5 }),
        pg,
      ),
      -1.5,
    );
    assert.equal(
      f.fromDb(interval({ hours: -25, minutes: -1, seconds: -1, milliseconds: -0.001 }), pg),
      -90_061_000.001,
    );
    assert.equal(f.fromDb(interval({ months: 1, years: 1 }), pg), 395 * 86_400_000);
    assert.equal(f.fromDb(interval({}), pg), 0);
    assert.equal(f.toDb(-1.5, pg), '-0:00:00.001500');
    assert.equal(f.toDb(90_061_000.001, pg), '25:01:01.000001');
    assert.equal(f.toDb(-1.5, sqlite), -1500);
    assert.equal(f.fromDb('-1500', sqlite), -1.5);
    assert.equal(f.fromDb(-1500n, sqlite), -1.5);
  });
}

if (process.env[TZ_CHILD_ENV]) {
  await tzChild(process.env[TZ_CHILD_ENV]);
} else {
  describe('field conversions', conversionSuite);
  describeEachBackend('model fields', fieldSuite);
}
