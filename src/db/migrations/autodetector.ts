/**
 * Compares two project states — the one the migration files build and the
 * one of the models — and produces the operations that turn the first into
 * the second, grouped into a new migration per app with its dependencies
 * (Django's `MigrationAutodetector`).
 */
import type { Field } from '../models/fields/field.js';
import { ForeignKeyImpl, ManyToManyFieldImpl } from '../models/fields/related.js';
import type { ConstraintOptions, IndexOptions } from '../models/options.js';
import type { MigrationGraph, MigrationKey } from './graph.js';
import { Migration } from './migration.js';
import type { Operation } from './operations/base.js';
import { AddField, AlterField, RemoveField, RenameField } from './operations/fields.js';
import {
  AddConstraint,
  AddIndex,
  AlterModelOptions,
  AlterModelTable,
  AlterUniqueTogether,
  CreateModel,
  DeleteModel,
  RemoveConstraint,
  RemoveIndex,
  RenameIndex,
  RenameModel,
} from './operations/models.js';
import type { MigrationQuestioner } from './questioner.js';
import { swappableDependency, type SwappableSetting, swappableSettingFor } from './swappable.js';
import { NonInteractiveQuestioner } from './questioner.js';
import {
  ALTER_OPTION_KEYS,
  deconstructField,
  type ModelState,
  plainValue,
  type ProjectState,
  unboundField,
} from './state.js';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A copy of `field` with `value` as its default (a one-off value for existing rows). */
function withDefault(field: Field, value: unknown): Field {
  const copy = unboundField(field) as unknown as Record<string, unknown>;
  copy.declaredOptions = { ...field.declaredOptions, default: value };
  copy.hasDefault = value !== undefined;
  copy.defaultValue = value;
  return copy as unknown as Field;
}

/** The label a relation field points at, resolved against its model's app; null for other fields. */
function relationTarget(field: Field, appLabel: string): string | null {
  if (!(field instanceof ForeignKeyImpl || field instanceof ManyToManyFieldImpl)) return null;
  const to = deconstructField(field, appLabel).options.to;
  return typeof to === 'string' ? to : null;
}

/** Whether a new NOT NULL field needs a value for existing rows. */
function needsDefault(field: Field): boolean {
  const declared = field.declaredOptions as { autoNow?: boolean; autoNowAdd?: boolean };
  if (field instanceof ManyToManyFieldImpl || field.null || field.hasDefault) return false;
  if (declared.autoNow || declared.autoNowAdd) return false;
  // Blank text fields get '' (Django's effective default).
  if (field.blank && ('maxLength' in field || field.internalType === 'BinaryField')) return false;
  return !field.primaryKey;
}

/** Options of {@link MigrationAutodetector.changes}. */
export interface ChangesOptions {
  /** Only these apps (others' changes are dropped, as Django's `trim_to_apps`). */
  appLabels?: readonly string[];
  /** The name of the new migration (one app only, as Django). */
  name?: string;
}

export class MigrationAutodetector {
  constructor(
    readonly fromState: ProjectState,
    readonly toState: ProjectState,
    readonly questioner: MigrationQuestioner = new NonInteractiveQuestioner(),
  ) {}

  /**
   * The new migrations, by app: named after the app's last migration in
   * `graph`, depending on it and on the migrations of other apps their
   * relations need.
   *
   * @example
   * ```ts
   * const changes = await new MigrationAutodetector(loader.projectState(), ProjectState.fromApps(apps)).changes(loader.graph);
   * changes.get('library')?.[0]?.name; // '0002_book_pages'
   * ```
   */
  async changes(
    graph: MigrationGraph,
    options: ChangesOptions = {},
  ): Promise<Map<string, Migration[]>> {
    const byApp = await this.detectOperations();
    if (options.appLabels)
      for (const app of [...byApp.keys()]) if (!options.appLabels.includes(app)) byApp.delete(app);
    const migrations = new Map<string, Migration[]>();
    // Names first: cross-app dependencies point at the new migrations of other apps.
    const names = new Map<string, string>();
    for (const app of [...byApp.keys()].sort()) {
      const leaf = graph.leafNodes(app)[0];
      const next = leaf ? Number.parseInt(leaf[1].slice(0, 4), 10) + 1 : 1;
      const draft = new Migration({ operations: byApp.get(app)!, initial: !leaf, appLabel: app });
      const suffix = options.name ?? draft.suggestName();
      names.set(app, `${String(next).padStart(4, '0')}_${suffix}`);
    }
    for (const app of [...byApp.keys()].sort()) {
      const operations = byApp.get(app)!;
      const dependencies: MigrationKey[] = [];
      const leaf = graph.leafNodes(app)[0];
      if (leaf) dependencies.push(leaf);
      for (const setting of this.swappableTargets(app, operations))
        dependencies.push(swappableDependency(setting));
      for (const target of this.referencedApps(app, operations)) {
        if (target === app) continue;
        if (this.swappableApps(app, operations).has(target)) continue;
        const fresh = names.get(target);
        const theirs = fresh ? ([target, fresh] as const) : graph.leafNodes(target)[0];
        if (theirs && !dependencies.some((d) => d[0] === theirs[0])) dependencies.push(theirs);
      }
      migrations.set(app, [
        new Migration({
          appLabel: app,
          name: names.get(app)!,
          operations,
          dependencies,
          initial: !leaf,
        }),
      ]);
    }
    return migrations;
  }

  /** Swappable settings (the user model) the relations of `operations` point at. */
  private swappableTargets(app: string, operations: readonly Operation[]): SwappableSetting[] {
    const out = new Set<SwappableSetting>();
    for (const field of this.relationFields(operations)) {
      const target = relationTarget(field, app);
      const setting = target ? swappableSettingFor(target) : undefined;
      if (setting && target!.split('.')[0] !== app) out.add(setting);
    }
    return [...out];
  }

  /** Apps reached only through a swappable setting (their dependency is the setting's). */
  private swappableApps(app: string, operations: readonly Operation[]): Set<string> {
    const out = new Set<string>();
    for (const field of this.relationFields(operations)) {
      const target = relationTarget(field, app);
      if (target && swappableSettingFor(target)) out.add(target.split('.')[0]!);
    }
    return out;
  }

  private relationFields(operations: readonly Operation[]): Field[] {
    const out: Field[] = [];
    for (const op of operations) {
      if (op instanceof CreateModel) out.push(...Object.values(op.fields));
      else if (op instanceof AddField || op instanceof AlterField) out.push(op.field);
    }
    return out;
  }

  /** Apps the relations of `operations` point at. */
  private referencedApps(app: string, operations: readonly Operation[]): string[] {
    const out = new Set<string>();
    const visit = (field: Field) => {
      const target = relationTarget(field, app);
      if (target) out.add(target.split('.')[0]!);
      if (field instanceof ManyToManyFieldImpl) {
        const through = deconstructField(field, app).options.through;
        if (typeof through === 'string') out.add(through.split('.')[0]!);
      }
    };
    for (const op of operations) {
      if (op instanceof CreateModel) Object.values(op.fields).forEach(visit);
      else if (op instanceof AddField || op instanceof AlterField) visit(op.field);
    }
    return [...out].sort();
  }

  /** The operations that take `fromState` to `toState`, by app, in a safe order. */
  async detectOperations(): Promise<Map<string, Operation[]>> {
    const ops = new Map<string, Operation[]>();
    const push = (app: string, op: Operation) => {
      const list = ops.get(app) ?? [];
      list.push(op);
      ops.set(app, list);
    };
    const from = this.fromState;
    const to = this.toState;
    const managed = (m: ModelState) => m.options.managed !== false;
    const oldKeys = new Set([...from.models.keys()]);
    const newKeys = new Set([...to.models.keys()]);
    const added = [...newKeys].filter((k) => !oldKeys.has(k)).sort();
    let removed = [...oldKeys].filter((k) => !newKeys.has(k)).sort();

    // Renamed models: a removed model of the same app with the same fields.
    const renamed = new Map<string, string>(); // new key → old key
    for (const key of [...added]) {
      const model = to.models.get(key)!;
      const fields = JSON.stringify(model.deconstruct().fields);
      for (const oldKey of removed) {
        const old = from.models.get(oldKey)!;
        if (old.appLabel !== model.appLabel) continue;
        if (JSON.stringify(old.deconstruct().fields) !== fields) continue;
        if (await this.questioner.askRenameModel(old.label, model.name)) {
          renamed.set(key, oldKey);
          push(model.appLabel, new RenameModel({ oldName: old.name, newName: model.name }));
          removed = removed.filter((k) => k !== oldKey);
          break;
        }
      }
    }
    const created = added.filter((k) => !renamed.has(k));
    // The old state with the renames applied: relations and options then follow the new names.
    const renamedFrom = from.clone();
    for (const [app, list] of ops) for (const op of list) op.stateForwards(app, renamedFrom);

    // Kept models (renamed ones compared with their old state): fields and options.
    const fieldOps = {
      rename: [] as [string, Operation][],
      remove: [] as [string, Operation][],
      add: [] as [string, Operation][],
      alter: [] as [string, Operation][],
    };
    const optionOps: [string, Operation][] = [];
    const indexRemovals: [string, Operation][] = [];
    const indexAdditions: [string, Operation][] = [];
    for (const key of [...newKeys].sort()) {
      if (created.includes(key)) continue;
      const now = to.models.get(key)!;
      let before = renamedFrom.models.get(key)!;
      const app = now.appLabel;
      const name = now.name;
      const oldNames = [...before.fields.keys()];
      const newNames = [...now.fields.keys()];
      let gone = oldNames.filter((n) => !now.fields.has(n));
      for (const n of newNames.filter((x) => !before.fields.has(x))) {
        const d = JSON.stringify(now.deconstructField(n));
        const candidate = gone.find((o) => JSON.stringify(before.deconstructField(o)) === d);
        if (
          candidate &&
          (await this.questioner.askRenameField(
            now.label,
            candidate,
            n,
            now.deconstructField(n)!.type,
          ))
        ) {
          gone = gone.filter((g) => g !== candidate);
          const op = new RenameField({ modelName: name, oldName: candidate, newName: n });
          fieldOps.rename.push([app, op]);
          op.stateForwards(app, renamedFrom);
        }
      }
      // Compared from here on with the renames applied (options follow renamed fields).
      before = renamedFrom.models.get(key)!;
      for (const n of gone)
        fieldOps.remove.push([app, new RemoveField({ modelName: name, name: n })]);
      for (const n of newNames) {
        const field = now.fields.get(n)!;
        const oldName = before.fields.has(n) ? n : undefined;
        if (oldName === undefined) {
          if (needsDefault(field)) {
            const value = await this.questioner.askNotNullAddition(n, now.label);
            fieldOps.add.push([
              app,
              new AddField({
                modelName: name,
                name: n,
                field: withDefault(field, value),
                preserveDefault: false,
              }),
            ]);
          } else fieldOps.add.push([app, new AddField({ modelName: name, name: n, field })]);
          continue;
        }
        const a = before.deconstructField(oldName)!;
        const b = now.deconstructField(n)!;
        if (same(a, b)) continue;
        const oldField = before.fields.get(oldName)!;
        if (oldField.null && !field.null && needsDefault(field)) {
          const value = await this.questioner.askNotNullAlteration(n, now.label);
          if (value !== undefined) {
            fieldOps.alter.push([
              app,
              new AlterField({
                modelName: name,
                name: n,
                field: withDefault(field, value),
                preserveDefault: false,
              }),
            ]);
            continue;
          }
        }
        fieldOps.alter.push([app, new AlterField({ modelName: name, name: n, field })]);
      }
      // Options.
      if (before.dbTable !== now.dbTable || !!before.options.dbTable !== !!now.options.dbTable)
        if (before.dbTable !== now.dbTable)
          optionOps.push([app, new AlterModelTable({ name, table: now.options.dbTable ?? null })]);
      const pick = (m: ModelState) =>
        Object.fromEntries(
          ALTER_OPTION_KEYS.filter((k) => m.options[k] !== undefined).map((k) => [k, m.options[k]]),
        );
      if (!same(plainValue(pick(before)), plainValue(pick(now))))
        optionOps.push([app, new AlterModelOptions({ name, options: pick(now) })]);
      if (!same(before.options.uniqueTogether ?? [], now.options.uniqueTogether ?? []))
        optionOps.push([
          app,
          new AlterUniqueTogether({ name, uniqueTogether: now.options.uniqueTogether ?? [] }),
        ]);
      this.diffIndexes(
        app,
        name,
        before.options.indexes ?? [],
        now.options.indexes ?? [],
        indexRemovals,
        indexAdditions,
      );
      this.diffConstraints(
        app,
        name,
        before.options.constraints ?? [],
        now.options.constraints ?? [],
        indexRemovals,
        indexAdditions,
      );
    }

    // Created models, targets first; relations to models created later in the same app become AddFields.
    const createdModels = created.map((k) => to.models.get(k)!);
    const order = this.creationOrder(createdModels);
    const deferredFields: [string, Operation][] = [];
    const exists = new Set(
      [...from.models.keys()].filter((k) => !removed.includes(k)).concat([...renamed.keys()]),
    );
    for (const model of order) {
      const fields: Record<string, Field> = {};
      for (const [n, f] of model.fields) {
        const target = relationTarget(f, model.appLabel)?.toLowerCase();
        const ready =
          !target ||
          target === model.labelLower ||
          exists.has(target) ||
          !createdModels.some((m) => m.labelLower === target);
        if (ready) fields[n] = f;
        else
          deferredFields.push([
            model.appLabel,
            new AddField({ modelName: model.name, name: n, field: f }),
          ]);
      }
      // Indexes and constraints may name deferred fields: they come after them.
      const { indexes, constraints, ...options } = model.options;
      const deferredNames = deferredFields
        .filter(([, op]) => (op as AddField).modelName === model.name)
        .map(([, op]) => (op as AddField).name);
      const touches = (names: readonly string[]) =>
        names.some((n) => deferredNames.includes(n.replace(/^-/, '')));
      const inline = { ...options } as typeof model.options;
      if (indexes?.length) {
        const keep = indexes.filter((i) => !touches(i.fields));
        if (keep.length) inline.indexes = keep;
        for (const i of indexes.filter((x) => touches(x.fields)))
          indexAdditions.push([model.appLabel, new AddIndex({ modelName: model.name, index: i })]);
      }
      if (constraints?.length) inline.constraints = constraints;
      push(model.appLabel, new CreateModel({ name: model.name, fields, options: inline }));
      exists.add(model.labelLower);
    }

    // Deleted models: those referencing others first.
    const deleted = removed.map((k) => from.models.get(k)!).filter(managed);
    for (const model of this.creationOrder(deleted).reverse()) {
      // Relations from kept models to a deleted one were removed above (RemoveField).
      push(model.appLabel, new DeleteModel({ name: model.name }));
    }
    const deletes = new Map<string, Operation[]>();
    for (const [app, list] of ops) {
      deletes.set(
        app,
        list.filter((op) => op instanceof DeleteModel),
      );
      ops.set(
        app,
        list.filter((op) => !(op instanceof DeleteModel)),
      );
    }

    // Final order per app: renames, index/constraint removals, field removals, deletions,
    // creations (already pushed), added fields, altered fields, options, new indexes/constraints.
    const final = new Map<string, Operation[]>();
    const apps = new Set([
      ...ops.keys(),
      ...[
        fieldOps.rename,
        fieldOps.remove,
        fieldOps.add,
        fieldOps.alter,
        optionOps,
        indexRemovals,
        indexAdditions,
        deferredFields,
      ]
        .flat()
        .map(([a]) => a),
    ]);
    for (const app of [...apps].sort()) {
      const pick = (list: [string, Operation][]) =>
        list.filter(([a]) => a === app).map(([, op]) => op);
      const existing = ops.get(app) ?? [];
      const renames = existing.filter((op) => op instanceof RenameModel);
      const creates = existing.filter((op) => op instanceof CreateModel);
      const list = [
        ...renames,
        ...pick(fieldOps.rename),
        ...pick(indexRemovals),
        ...pick(fieldOps.remove),
        ...(deletes.get(app) ?? []),
        ...creates,
        ...pick(deferredFields),
        ...pick(fieldOps.add),
        ...pick(fieldOps.alter),
        ...pick(optionOps),
        ...pick(indexAdditions),
      ];
      if (list.length) final.set(app, list);
    }
    return final;
  }

  /** Models ordered so that each comes after the models it points at (cycles broken by name). */
  private creationOrder(models: readonly ModelState[]): ModelState[] {
    const sorted = [...models].sort((a, b) => a.labelLower.localeCompare(b.labelLower));
    const out: ModelState[] = [];
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (m: ModelState) => {
      if (done.has(m.labelLower) || visiting.has(m.labelLower)) return;
      visiting.add(m.labelLower);
      for (const f of m.fields.values()) {
        const target = relationTarget(f, m.appLabel)?.toLowerCase();
        const dep = target && sorted.find((x) => x.labelLower === target);
        if (dep && dep !== m) visit(dep);
      }
      visiting.delete(m.labelLower);
      done.add(m.labelLower);
      out.push(m);
    };
    for (const m of sorted) visit(m);
    return out;
  }

  private diffIndexes(
    app: string,
    modelName: string,
    before: readonly IndexOptions[],
    after: readonly IndexOptions[],
    removals: [string, Operation][],
    additions: [string, Operation][],
  ): void {
    const key = (i: IndexOptions) => JSON.stringify(plainValue({ ...i, name: undefined }));
    const oldOnes = before.filter((i) => !after.some((a) => same(plainValue(a), plainValue(i))));
    const newOnes = after.filter((i) => !before.some((b) => same(plainValue(b), plainValue(i))));
    for (const i of newOnes) {
      const renamedFrom = oldOnes.find((o) => key(o) === key(i) && o.name !== i.name);
      if (renamedFrom) {
        oldOnes.splice(oldOnes.indexOf(renamedFrom), 1);
        additions.push([
          app,
          new RenameIndex({ modelName, oldName: renamedFrom.name, newName: i.name }),
        ]);
      } else additions.push([app, new AddIndex({ modelName, index: i })]);
    }
    for (const o of oldOnes) removals.push([app, new RemoveIndex({ modelName, name: o.name })]);
  }

  private diffConstraints(
    app: string,
    modelName: string,
    before: readonly ConstraintOptions[],
    after: readonly ConstraintOptions[],
    removals: [string, Operation][],
    additions: [string, Operation][],
  ): void {
    for (const c of before)
      if (!after.some((a) => same(plainValue(a), plainValue(c))))
        removals.push([app, new RemoveConstraint({ modelName, name: c.name })]);
    for (const c of after)
      if (!before.some((b) => same(plainValue(b), plainValue(c))))
        additions.push([app, new AddConstraint({ modelName, constraint: c })]);
  }
}
