/**
 * Model system checks (tag `models`, Django's `Model.check()` and
 * `Field.check()`): mistakes in field and Meta declarations that TypeScript
 * cannot see, reported by `reinhardt check` with Django's ids and wording so
 * that a search for the id finds Django's explanation.
 */
import {
  CheckError,
  Tags,
  Warning,
  registerCheck,
  type CheckMessage,
} from '../../core/checks/index.js';
import { FieldRef, OrderBy } from './expressions.js';
import type { Field } from './fields/field.js';
import { ForeignKeyImpl, ManyToManyFieldImpl, type RelatedModelClass } from './fields/related.js';
import type { Options } from './options.js';
import { apps } from './registry.js';
import type { ForeignObjectRel } from './reverse.js';

/** A model as the checks see it. */
interface CheckedModel {
  readonly name: string;
  readonly _meta: Options;
}

/** `library.Book.title`, as Django names a field in messages. */
function fieldLabel(field: Field): string {
  const owner = field.model as unknown as CheckedModel | undefined;
  return owner ? `${owner._meta.label}.${field.name}` : field.name;
}

/** What a check message is about: shown as `library.Book` or `library.Book.title`. */
function about(target: CheckedModel | Field): { toString(): string; target: unknown } {
  const label = 'creationCounter' in target ? fieldLabel(target) : target._meta.label;
  return { target, toString: () => label };
}

// ---------------------------------------------------------------- fields

function checkFieldName(field: Field): CheckMessage[] {
  const obj = about(field);
  if (field.name.endsWith('_'))
    return [
      new CheckError('Field names must not end with an underscore.', { obj, id: 'fields.E001' }),
    ];
  if (field.name.includes('__'))
    return [new CheckError('Field names must not contain "__".', { obj, id: 'fields.E002' })];
  if (field.name === 'pk')
    return [
      new CheckError("'pk' is a reserved word that cannot be used as a field name.", {
        obj,
        id: 'fields.E003',
      }),
    ];
  return [];
}

function checkField(field: Field): CheckMessage[] {
  const messages = checkFieldName(field);
  const obj = about(field);
  const options = field as unknown as Record<string, unknown>;
  if (field.primaryKey && field.null) {
    messages.push(
      new CheckError('Primary keys must not have null=True.', {
        obj,
        hint: 'Set null=False on the field, or remove primary_key=True argument.',
        id: 'fields.E007',
      }),
    );
  }
  const internal = field.internalType;
  if (internal === 'CharField' || internal === 'SlugField') {
    const maxLength = options.maxLength;
    if (maxLength === undefined) {
      messages.push(
        new CheckError("CharFields must define a 'max_length' attribute.", {
          obj,
          id: 'fields.E120',
        }),
      );
    } else if (!Number.isInteger(maxLength) || (maxLength as number) <= 0) {
      messages.push(
        new CheckError("'max_length' must be a positive integer.", { obj, id: 'fields.E121' }),
      );
    } else if (field.choices) {
      const longest = Math.max(0, ...field.choices.map(([v]) => String(v).length));
      if (longest > (maxLength as number)) {
        messages.push(
          new CheckError(
            `'max_length' is too small to fit the longest value in 'choices' (${longest} characters).`,
            { obj, id: 'fields.E009' },
          ),
        );
      }
    }
  }
  if (internal === 'DecimalField') messages.push(...checkDecimal(field, options));
  if (internal === 'JSONField' && field.hasDefault) {
    const value = (options as { defaultValue?: unknown }).defaultValue;
    if (value !== null && typeof value === 'object') {
      messages.push(
        new Warning(
          `${field.constructor.name.replace(/Impl$/, '')} default should be a callable instead of an instance so that it's not shared between all field instances.`,
          {
            obj,
            hint: 'Use a callable instead, e.g., use `() => ({})` instead of `{}`.',
            id: 'fields.E010',
          },
        ),
      );
    }
  }
  if ((options.autoNow || options.autoNowAdd) && field.hasDefault) {
    messages.push(
      new CheckError(
        'The options autoNow, autoNowAdd, and default are mutually exclusive. Only one of these options may be present.',
        { obj, id: 'fields.E160' },
      ),
    );
  }
  if (field instanceof ForeignKeyImpl) messages.push(...checkForeignKey(field));
  if (
    (field instanceof ForeignKeyImpl || field instanceof ManyToManyFieldImpl) &&
    !field.relatedModel
  ) {
    // A label that never named a registered model: the relation stays unresolved.
    const to = typeof field.to === 'string' ? field.to : '?';
    messages.push(
      new CheckError(
        `Field defines a relation with model '${to}', which is either not installed, or is abstract.`,
        { obj, id: 'fields.E300' },
      ),
    );
  }
  return messages;
}

function checkDecimal(field: Field, options: Record<string, unknown>): CheckMessage[] {
  const obj = about(field);
  const messages: CheckMessage[] = [];
  const places = options.decimalPlaces;
  const digits = options.maxDigits;
  const placesOk = Number.isInteger(places) && (places as number) >= 0;
  const digitsOk = Number.isInteger(digits) && (digits as number) > 0;
  if (places === undefined)
    messages.push(
      new CheckError("DecimalFields must define a 'decimal_places' attribute.", {
        obj,
        id: 'fields.E130',
      }),
    );
  else if (!placesOk)
    messages.push(
      new CheckError("'decimal_places' must be a non-negative integer.", {
        obj,
        id: 'fields.E131',
      }),
    );
  if (digits === undefined)
    messages.push(
      new CheckError("DecimalFields must define a 'max_digits' attribute.", {
        obj,
        id: 'fields.E132',
      }),
    );
  else if (!digitsOk)
    messages.push(
      new CheckError("'max_digits' must be a positive integer.", { obj, id: 'fields.E133' }),
    );
  if (placesOk && digitsOk && (places as number) > (digits as number)) {
    messages.push(
      new CheckError("'max_digits' must be greater or equal to 'decimal_places'.", {
        obj,
        id: 'fields.E134',
      }),
    );
  }
  return messages;
}

function checkForeignKey(field: ForeignKeyImpl): CheckMessage[] {
  const obj = about(field);
  const messages: CheckMessage[] = [];
  if (field.onDelete.name === 'SET_NULL' && !field.null) {
    messages.push(
      new CheckError('Field specifies on_delete=SET_NULL, but cannot be null.', {
        obj,
        hint: 'Set null=True argument on the field, or change the on_delete rule.',
        id: 'fields.E320',
      }),
    );
  }
  if (field.onDelete.name === 'SET_DEFAULT' && !field.hasDefault) {
    messages.push(
      new CheckError('Field specifies on_delete=SET_DEFAULT, but has no default value.', {
        obj,
        hint: 'Set a default value, or change the on_delete rule.',
        id: 'fields.E321',
      }),
    );
  }
  return messages;
}

/**
 * Reverse accessors and query names that clash with a field of the target or
 * with each other (Django's fields.E302–E305).
 */
function checkRelationClashes(model: CheckedModel): CheckMessage[] {
  const messages: CheckMessage[] = [];
  const opts = model._meta;
  const rels = opts.relatedObjects;
  const fieldNames = new Set(opts.fields.map((f) => f.name));
  const describe = (rel: ForeignObjectRel): string => fieldLabel(rel.field as unknown as Field);
  for (const rel of rels) {
    const obj = about(rel.field as unknown as Field);
    if (rel.accessorName && fieldNames.has(rel.accessorName)) {
      messages.push(
        new CheckError(
          `Reverse accessor '${model.name}.${rel.accessorName}' for '${describe(rel)}' clashes with field name '${opts.label}.${rel.accessorName}'.`,
          {
            obj,
            hint: `Rename field '${opts.label}.${rel.accessorName}', or add/change a related_name argument to the definition for field '${describe(rel)}'.`,
            id: 'fields.E302',
          },
        ),
      );
    }
    if (!rel.queryName.endsWith('+') && fieldNames.has(rel.queryName)) {
      messages.push(
        new CheckError(
          `Reverse query name for '${describe(rel)}' clashes with field name '${opts.label}.${rel.queryName}'.`,
          {
            obj,
            hint: `Rename field '${opts.label}.${rel.queryName}', or add/change a related_name argument to the definition for field '${describe(rel)}'.`,
            id: 'fields.E303',
          },
        ),
      );
    }
  }
  for (let i = 0; i < rels.length; i++) {
    for (let j = 0; j < rels.length; j++) {
      if (i === j) continue;
      const a = rels[i]!;
      const b = rels[j]!;
      const obj = about(a.field as unknown as Field);
      const hint = `Add or change a related_name argument to the definition for '${describe(a)}' or '${describe(b)}'.`;
      if (a.accessorName && a.accessorName === b.accessorName) {
        messages.push(
          new CheckError(
            `Reverse accessor '${model.name}.${a.accessorName}' for '${describe(a)}' clashes with reverse accessor for '${describe(b)}'.`,
            { obj, hint, id: 'fields.E304' },
          ),
        );
      }
      if (!a.queryName.endsWith('+') && a.queryName === b.queryName) {
        messages.push(
          new CheckError(
            `Reverse query name for '${describe(a)}' clashes with reverse query name for '${describe(b)}'.`,
            { obj, hint, id: 'fields.E305' },
          ),
        );
      }
    }
  }
  return messages;
}

// ---------------------------------------------------------------- models

function checkModel(model: CheckedModel): CheckMessage[] {
  const opts = model._meta;
  const obj = about(model);
  const messages: CheckMessage[] = [];
  for (const field of opts.fields) messages.push(...checkField(field));

  const id = opts.findField('id');
  if (id && !id.primaryKey && id !== opts.pk) {
    messages.push(
      new CheckError(
        "'id' can only be used as a field name if the field also sets 'primary_key=True'.",
        {
          obj,
          id: 'models.E004',
        },
      ),
    );
  }
  if (opts.fields.filter((f) => f.primaryKey).length > 1) {
    messages.push(
      new CheckError("The model cannot have more than one field with 'primary_key=True'.", {
        obj,
        id: 'models.E026',
      }),
    );
  }
  const columns = new Map<string, Field>();
  for (const field of opts.concreteFields) {
    const other = columns.get(field.column);
    if (other) {
      messages.push(
        new CheckError(
          `Field '${field.name}' has column name '${field.column}' that is used by another field.`,
          {
            obj,
            hint: "Specify a 'db_column' for the field.",
            id: 'models.E007',
          },
        ),
      );
    } else columns.set(field.column, field);
  }
  messages.push(...checkFieldReferences(model, 'uniqueTogether', opts.uniqueTogether.flat()));
  messages.push(
    ...checkFieldReferences(
      model,
      'indexes',
      opts.indexes.flatMap((i) => i.fields.map((f) => f.replace(/^-/, ''))),
    ),
  );
  messages.push(...checkIndexNames(model));
  messages.push(...checkOrdering(model));
  messages.push(...checkRelationClashes(model));
  return messages;
}

/** `'uniqueTogether' refers to the nonexistent field 'x'.` and friends (models.E012, E013). */
function checkFieldReferences(
  model: CheckedModel,
  option: string,
  names: readonly string[],
): CheckMessage[] {
  const opts = model._meta;
  const obj = about(model);
  const messages: CheckMessage[] = [];
  for (const name of new Set(names)) {
    const field = opts.findField(name);
    if (!field) {
      messages.push(
        new CheckError(`'${option}' refers to the nonexistent field '${name}'.`, {
          obj,
          id: 'models.E012',
        }),
      );
    } else if (field instanceof ManyToManyFieldImpl) {
      messages.push(
        new CheckError(
          `'${option}' refers to a ManyToManyField '${name}', but ManyToManyFields are not permitted in '${option}'.`,
          { obj, id: 'models.E013' },
        ),
      );
    }
  }
  return messages;
}

/** Index names: no leading underscore or digit (models.E033), at most 30 characters (models.E034). */
function checkIndexNames(model: CheckedModel): CheckMessage[] {
  const obj = about(model);
  const messages: CheckMessage[] = [];
  for (const index of model._meta.indexes) {
    const name = index.name;
    if (!name) continue;
    if (/^[_\d]/.test(name)) {
      messages.push(
        new CheckError(`The index name '${name}' cannot start with an underscore or a number.`, {
          obj,
          id: 'models.E033',
        }),
      );
    }
    if (name.length > 30) {
      messages.push(
        new CheckError(`The index name '${name}' cannot be longer than 30 characters.`, {
          obj,
          id: 'models.E034',
        }),
      );
    }
  }
  return messages;
}

/** Every name in `ordering` must lead somewhere (models.E015). */
function checkOrdering(model: CheckedModel): CheckMessage[] {
  const obj = about(model);
  const messages: CheckMessage[] = [];
  for (const term of model._meta.ordering) {
    let name: string | undefined;
    if (typeof term === 'string') name = term === '?' ? undefined : term.replace(/^-/, '');
    else if (term instanceof OrderBy && term.expression instanceof FieldRef)
      name = term.expression.name;
    if (name === undefined || resolvesPath(model, name.split('__'))) continue;
    messages.push(
      new CheckError(
        `'ordering' refers to the nonexistent field, related field, or lookup '${name}'.`,
        {
          obj,
          id: 'models.E015',
        },
      ),
    );
  }
  return messages;
}

/** True when a `__` path names a field through relations (lookups and transforms allowed last). */
function resolvesPath(model: CheckedModel, parts: readonly string[]): boolean {
  let opts = model._meta;
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!;
    if (name === 'pk') continue;
    const field = opts.findField(name);
    const rel = field ? undefined : opts.findRelatedObject(name);
    if (!field && !rel) return i > 0; // a transform or lookup after a field
    const target = field
      ? field instanceof ForeignKeyImpl || field instanceof ManyToManyFieldImpl
        ? (field.relatedModel as RelatedModelClass | undefined)
        : undefined
      : rel!.relatedModel;
    if (!target) return true; // a plain field: whatever follows is a transform
    opts = (target as unknown as CheckedModel)._meta;
  }
  return true;
}

/** Two models on one table (models.E028). */
function checkTableClashes(models: readonly CheckedModel[]): CheckMessage[] {
  const byTable = new Map<string, CheckedModel[]>();
  for (const model of models) {
    if (!model._meta.managed) continue;
    const list = byTable.get(model._meta.dbTable) ?? [];
    list.push(model);
    byTable.set(model._meta.dbTable, list);
  }
  return [...byTable]
    .filter(([, list]) => list.length > 1)
    .map(
      ([table, list]) =>
        new CheckError(
          `db_table '${table}' is used by multiple models: ${list.map((m) => m._meta.label).join(', ')}.`,
          { obj: table, id: 'models.E028' },
        ),
    );
}

/**
 * Checks every registered model (or those of the given apps).
 *
 * @example
 * ```ts
 * import { runChecks } from 'reinhardt/core';
 * const messages = await runChecks({ tags: ['models'] });
 * ```
 */
export const checkModels = registerCheck(
  ({ appConfigs }) => {
    const labels = appConfigs?.map(String) ?? null;
    const models = (apps.getModels() as unknown as CheckedModel[]).filter(
      (m) => !labels || labels.includes(m._meta.appLabel),
    );
    return [...models.flatMap(checkModel), ...checkTableClashes(models)];
  },
  { tags: [Tags.models] },
);
