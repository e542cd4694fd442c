/**
 * `selectRelated`: single-valued relations (forward foreign keys and
 * one-to-ones, reverse one-to-ones) loaded in the same query by JOINs, their
 * columns selected after the model's own (Django's `get_related_selections`).
 */
import { FieldError } from '../../../core/exceptions.js';
import type { Field } from '../fields/field.js';
import { ForeignKeyImpl } from '../fields/related.js';
import type { ForeignObjectRel } from '../reverse.js';
import type { Query, QueryModel } from './query.js';

/** The relations to follow, by name, each with the relations to follow from it (Django's dict form). */
export interface RelatedTree {
  [name: string]: RelatedTree;
}

/** What `selectRelated` asks for: every non-null foreign key (`true`), or named paths. */
export type SelectRelatedSpec = true | RelatedTree;

/** How deep `selectRelated()` without names follows foreign keys (Django's `max_depth`). */
export const MAX_SELECT_RELATED_DEPTH = 5;

/** One related model selected by JOIN: where its columns are and where the object goes. */
export interface RelatedSelection {
  readonly model: QueryModel;
  /** The name the object is cached under on its parent (`author`, or a reverse one-to-one accessor). */
  readonly cacheName: string;
  /** The name the parent is cached under on the object (a one-to-one's other side), if any. */
  readonly reverseCacheName: string | null;
  readonly alias: string;
  /** Its selected fields, in column order. */
  readonly fields: readonly Field[];
  /** Names of its fields left out by `only()`/`defer()` (`'author__bio'`), or null. */
  readonly deferred: ReadonlySet<string> | null;
  /** The index of its first column in the row. */
  readonly start: number;
  readonly children: readonly RelatedSelection[];
}

function forwardRelations(model: QueryModel): ForeignKeyImpl[] {
  return model._meta.fields.filter((f): f is ForeignKeyImpl => f instanceof ForeignKeyImpl);
}

function reverseOneToOnes(model: QueryModel): ForeignObjectRel[] {
  return model._meta.relatedObjects.filter((r) => r.kind === 'oneToOne' && !!r.accessorName);
}

/** The names `selectRelated` accepts on `model`, for error messages. */
function choices(model: QueryModel): string {
  const names = [
    ...forwardRelations(model).map((f) => f.name),
    ...reverseOneToOnes(model).map((r) => r.accessorName!),
  ];
  return names.length ? names.join(', ') : '(none)';
}

/**
 * The model at the end of `parts` (`['author', 'publisher']`), following the
 * relations `selectRelated` can follow: for `only('author__name')` and
 * `defer('author__bio')`. A part that is no such relation is a FieldError.
 */
export function relatedModelAt(model: QueryModel, parts: readonly string[]): QueryModel {
  let current = model;
  for (const part of parts) {
    const field = current._meta.findField(part);
    if (field instanceof ForeignKeyImpl) {
      current = field.relatedModel as unknown as QueryModel;
      continue;
    }
    const rel = field ? undefined : reverseOneToOnes(current).find((r) => r.accessorName === part);
    if (rel) {
      current = rel.relatedModel as unknown as QueryModel;
      continue;
    }
    if (field) {
      throw new FieldError(
        `Non-relational field given in only()/defer(): '${part}'. Choices are: ${choices(current)}`,
      );
    }
    current._meta.getField(part); // Django's "Book has no field named 'x'"
  }
  return current;
}

/**
 * Checks `names` (`author`, `book__author`) against the model and merges them
 * into `tree`. Mistakes are reported now, with Django's messages.
 */
export function mergeSelectRelated(
  model: QueryModel,
  tree: RelatedTree,
  names: readonly string[],
): RelatedTree {
  const merged = structuredClone(tree);
  for (const name of names) {
    let node = merged;
    let current = model;
    for (const part of name.split('__')) {
      const field = current._meta.findField(part);
      const rel = field
        ? undefined
        : reverseOneToOnes(current).find((r) => r.accessorName === part);
      if (field && !(field instanceof ForeignKeyImpl)) {
        throw new FieldError(
          `Non-relational field given in select_related: '${part}'. Choices are: ${choices(current)}`,
        );
      }
      if (!field && !rel) {
        throw new FieldError(
          `Invalid field name(s) given in select_related: '${part}'. Choices are: ${choices(current)}`,
        );
      }
      node = node[part] ??= {};
      current = (field
        ? (field as ForeignKeyImpl).relatedModel
        : rel!.relatedModel) as unknown as QueryModel;
    }
  }
  return merged;
}

/**
 * Adds the JOINs of `query.selectRelated` to `query` and returns where each
 * related model's columns are: `start` is the index of the first column
 * after the model's own `modelColumnCount`. A relation reached through a
 * nullable one is joined with LEFT OUTER JOIN, as is every reverse
 * one-to-one; the others with INNER JOIN.
 */
export function setupRelatedSelections(query: Query, modelColumnCount: number): RelatedSelection[] {
  const spec = query.selectRelated;
  if (!spec) return [];
  let next = modelColumnCount;
  /** The fields `only()`/`defer()` load on the model at `path` ('' for the queried model), null for all. */
  const loadedAt = (path: string): ReadonlySet<string> | null =>
    path ? (query.relatedLoadedFields?.get(path) ?? null) : query.loadedFields;
  /** The selected fields of `model` at `path`, and the names left out. */
  const columnsOf = (model: QueryModel, path: string) => {
    const loaded = loadedAt(path);
    const all = model._meta.concreteFields;
    if (!loaded) return { fields: all, deferred: null };
    const pk = model._meta.pk;
    const fields = all.filter((f) => f === pk || loaded.has(f.name));
    const deferred = new Set(all.filter((f) => !fields.includes(f)).map((f) => f.name));
    return { fields, deferred: deferred.size ? deferred : null };
  };
  const build = (
    model: QueryModel,
    alias: string,
    path: string,
    tree: SelectRelatedSpec,
    depth: number,
    nullableParent: boolean,
  ): RelatedSelection[] => {
    const selections: RelatedSelection[] = [];
    const loaded = loadedAt(path);
    for (const field of forwardRelations(model)) {
      const requested = tree === true ? !field.null : field.name in tree;
      if (!requested) continue;
      if (tree === true && depth >= MAX_SELECT_RELATED_DEPTH) continue;
      if (loaded && !loaded.has(field.name)) {
        throw new FieldError(
          `Field ${model._meta.objectName}.${field.name} cannot be both deferred and traversed using select_related at the same time.`,
        );
      }
      const target = field.relatedModel as unknown as QueryModel;
      const nullable = nullableParent || field.null;
      const joined = query.joinSingle(
        alias,
        field.column,
        target._meta.dbTable,
        field.targetField!.column,
        nullable,
      );
      const childPath = path ? `${path}__${field.name}` : field.name;
      const { fields, deferred } = columnsOf(target, childPath);
      const start = next;
      next += fields.length;
      const reverse = field.oneToOne
        ? (target._meta.relatedObjects.find((r) => r.field === field)?.accessorName ?? null)
        : null;
      selections.push({
        model: target,
        cacheName: field.name,
        reverseCacheName: reverse,
        alias: joined,
        fields,
        deferred,
        start,
        children: build(
          target,
          joined,
          childPath,
          tree === true ? true : tree[field.name]!,
          depth + 1,
          nullable,
        ),
      });
    }
    if (tree === true) return selections;
    for (const rel of reverseOneToOnes(model)) {
      const name = rel.accessorName!;
      if (!(name in tree)) continue;
      const related = rel.relatedModel as unknown as QueryModel;
      const fk = rel.field as ForeignKeyImpl;
      // The related row may not exist: always an outer join.
      const joined = query.joinSingle(
        alias,
        fk.targetField!.column,
        related._meta.dbTable,
        fk.column,
        true,
      );
      const childPath = path ? `${path}__${name}` : name;
      const { fields, deferred } = columnsOf(related, childPath);
      const start = next;
      next += fields.length;
      selections.push({
        model: related,
        cacheName: name,
        reverseCacheName: fk.name,
        alias: joined,
        fields,
        deferred,
        start,
        children: build(related, joined, childPath, tree[name]!, depth + 1, true),
      });
    }
    return selections;
  };
  return build(query.model, query.baseAlias, '', spec, 0, false);
}
