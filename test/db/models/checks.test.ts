/**
 * Model system checks: declarations TypeScript cannot reject are reported by
 * `reinhardt check` with Django's ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apps,
  CASCADE,
  CharField,
  checkModels,
  DecimalField,
  ForeignKey,
  IntegerField,
  JSONField,
  ManyToManyField,
  Model,
  SET_NULL,
  SET_DEFAULT,
  DateTimeField,
} from '../../../src/db/models/index.js';
import { runChecks } from '../../../src/core/checks/index.js';

class Target extends Model(
  {
    name: CharField({ maxLength: 3, choices: ['short', 'a'] }),
    price: DecimalField({ maxDigits: 2, decimalPlaces: 4 }),
    data: JSONField({ default: {} as Record<string, unknown> }),
    goodData: JSONField({ default: () => ({}) }),
    stamp: DateTimeField({ autoNow: true, default: () => new Date() } as never),
    field_: IntegerField({ default: 0 }),
    sources: IntegerField({ default: 0 }),
  },
  {
    appLabel: 'checkapp',
    ordering: ['nme', '-name', 'owner__nothing__year'],
    indexes: [{ fields: ['missing'], name: '_bad_index' }],
  },
) {}

class Source extends Model(
  {
    owner: ForeignKey(() => Target, { onDelete: SET_NULL, relatedName: 'sources' }),
    other: ForeignKey(() => Target, { onDelete: SET_DEFAULT, relatedName: 'things' }),
    third: ForeignKey(() => Target, { onDelete: CASCADE, relatedName: 'things' }),
    tags: ManyToManyField(() => Target, { relatedName: 'tagged' }),
    missing: ForeignKey('checkapp.Nowhere', { onDelete: CASCADE, null: true }),
  },
  { appLabel: 'checkapp', dbTable: 'checkapp_target', uniqueTogether: [['owner', 'tags']] },
) {}

apps.register('checkapp', { Target, Source });

async function messages(): Promise<string[]> {
  const found = await checkModels({ appConfigs: ['checkapp'], databases: null });
  return found.map((m) => m.toString());
}

test('field declarations are checked with Django ids', async () => {
  const found = await messages();
  const has = (text: string) =>
    assert.ok(
      found.some((m) => m.includes(text)),
      `expected a message with ${JSON.stringify(text)} in:\n${found.join('\n')}`,
    );
  has(
    "checkapp.Target.name: (fields.E009) 'max_length' is too small to fit the longest value in 'choices' (5 characters).",
  );
  has(
    "checkapp.Target.price: (fields.E134) 'max_digits' must be greater or equal to 'decimal_places'.",
  );
  has('checkapp.Target.data: (fields.E010) JSONField default should be a callable');
  assert.ok(!found.some((m) => m.startsWith('checkapp.Target.goodData')));
  has('checkapp.Target.stamp: (fields.E160)');
  has('checkapp.Target.field_: (fields.E001) Field names must not end with an underscore.');
  has(
    'checkapp.Source.owner: (fields.E320) Field specifies on_delete=SET_NULL, but cannot be null.',
  );
  has('checkapp.Source.other: (fields.E321)');
  has("Field defines a relation with model 'checkapp.Nowhere', which is either not installed");
});

test('relation clashes name both fields', async () => {
  const found = await messages();
  assert.ok(
    found.some((m) =>
      m.includes(
        "(fields.E304) Reverse accessor 'Target.things' for 'checkapp.Source.other' clashes with reverse accessor for 'checkapp.Source.third'.",
      ),
    ),
    found.join('\n'),
  );
  assert.ok(
    found.some((m) =>
      m.includes(
        "(fields.E302) Reverse accessor 'Target.sources' for 'checkapp.Source.owner' clashes with field name 'checkapp.Target.sources'.",
      ),
    ),
    found.join('\n'),
  );
});

test('Meta options are checked', async () => {
  const found = await messages();
  const has = (text: string) =>
    assert.ok(
      found.some((m) => m.includes(text)),
      `${text} in:\n${found.join('\n')}`,
    );
  has(
    "checkapp.Target: (models.E015) 'ordering' refers to the nonexistent field, related field, or lookup 'nme'.",
  );
  has(
    "'ordering' refers to the nonexistent field, related field, or lookup 'owner__nothing__year'.",
  );
  assert.ok(!found.some((m) => m.includes("lookup 'name'")));
  has("checkapp.Target: (models.E012) 'indexes' refers to the nonexistent field 'missing'.");
  has("(models.E033) The index name '_bad_index' cannot start with an underscore or a number.");
  has(
    "(models.E013) 'uniqueTogether' refers to a ManyToManyField 'tags', but ManyToManyFields are not permitted",
  );
  has(
    "(models.E028) db_table 'checkapp_target' is used by multiple models: checkapp.Target, checkapp.Source.",
  );
});

test('the checks run with the models tag and pass on sound models', async () => {
  const all = await runChecks({ tags: ['models'], appConfigs: ['checkapp'] });
  assert.ok(all.some((m) => m.id === 'models.E015'));
  class Sound extends Model(
    {
      name: CharField({ maxLength: 10 }),
      parent: ForeignKey('self', { onDelete: CASCADE, null: true }),
    },
    { appLabel: 'soundapp', ordering: ['-name', 'parent__name'] },
  ) {}
  apps.register('soundapp', { Sound });
  assert.deepEqual(await checkModels({ appConfigs: ['soundapp'], databases: null }), []);
});

test('the bookstore models pass every model check', async () => {
  await import('../../support/bookstore.js');
  assert.deepEqual(
    (await checkModels({ appConfigs: ['accounts', 'library'], databases: null })).map(String),
    [],
  );
});
