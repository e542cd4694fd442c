/**
 * The base of migration operations (Django's `Operation`): each changes the
 * project state (`stateForwards`) and the database (`databaseForwards`, and
 * `databaseBackwards` to undo it), describes itself for `migrate` and
 * `sqlmigrate`, deconstructs itself for the writer, and tells the optimizer
 * which models and fields it touches.
 */
import type { BaseDatabaseSchemaEditor } from '../../backends/base/schema.js';
import { router } from '../../connections.js';
import type { Options } from '../../models/options.js';
import type { ProjectState } from '../state.js';
import { swappableModel, type SwappableSetting } from '../swappable.js';

/** A historical model as the operations use it. */
export interface HistoricalModel {
  readonly name: string;
  readonly _meta: Options;
}

/** Raised by `databaseBackwards` of an operation that cannot be reversed (Django's `IrreversibleError`). */
export class IrreversibleError extends Error {
  override readonly name = 'IrreversibleError';
}

/** What the writer needs to write an operation back out: its class name and its options. */
export interface DeconstructedOperation {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

export abstract class Operation {
  /** Whether `databaseBackwards` can undo it. */
  get reversible(): boolean {
    return true;
  }
  /** False for operations that must run outside a transaction (concurrent indexes). */
  readonly atomic: boolean | undefined = undefined;
  /** Whether squashing may drop it (only `RunSQL`/`RunCode` declared so). */
  readonly elidable: boolean = false;
  /** Whether `sqlmigrate` can show it as SQL (code cannot). */
  readonly reducesToSql: boolean = true;

  /** Changes `state` as this operation changes the models. */
  abstract stateForwards(appLabel: string, state: ProjectState): void;

  /** Changes the database from `from` to `to` (states before and after this operation). */
  abstract databaseForwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void>;

  /** Undoes `databaseForwards` (`from` is the state after the operation, `to` the one before). */
  abstract databaseBackwards(
    appLabel: string,
    editor: BaseDatabaseSchemaEditor,
    from: ProjectState,
    to: ProjectState,
  ): Promise<void>;

  /** One line for `migrate`'s output and `sqlmigrate`'s comments. */
  abstract describe(): string;

  /** A fragment of a migration name (`book_pages`), or null when it has none. */
  get migrationNameFragment(): string | null {
    return null;
  }

  /** The class name and options, as a migration file writes them. */
  abstract deconstruct(): DeconstructedOperation;

  /** Whether it may touch `modelName` of `appLabel` (conservatively true). */
  referencesModel(_modelName: string, _appLabel: string): boolean {
    return true;
  }

  /** Whether it may touch field `name` of `modelName` (conservatively true). */
  referencesField(modelName: string, _name: string, appLabel: string): boolean {
    return this.referencesModel(modelName, appLabel);
  }

  /**
   * What `this` followed by `other` can become (Django's `reduce`): a list of
   * operations replacing both, `true` when `other` may be moved across this
   * one, `false` when neither.
   */
  reduce(other: Operation, _appLabel: string): Operation[] | boolean {
    if (this.elidable) return [other];
    if (other.elidable) return [this];
    return false;
  }

  /** Whether the router lets `model` be migrated on the editor's database (and it is managed). */
  protected allowMigrateModel(alias: string, model: HistoricalModel): boolean {
    if (!model._meta.managed || isSwappedOut(model)) return false;
    return router.allowMigrate(alias, model._meta.appLabel, { modelName: model._meta.modelName });
  }

  /** Whether the router lets `appLabel` be migrated on `alias` (RunSQL / RunCode hints). */
  protected allowMigrate(
    alias: string,
    appLabel: string,
    hints: Record<string, unknown> = {},
  ): boolean {
    return router.allowMigrate(alias, appLabel, hints);
  }
}

/** Whether a swappable model (auth.User) is replaced by the model its setting names. */
function isSwappedOut(model: HistoricalModel): boolean {
  const setting = model._meta.swappable;
  if (!setting) return false;
  const configured = swappableModel(setting as SwappableSetting);
  return configured.toLowerCase() !== model._meta.labelLower;
}

/** Lower-cases a model name for comparisons (Django's `name_lower`). */
export function lower(name: string): string {
  return name.toLowerCase();
}

/** The historical model `app.Name` of `state`. */
export function historicalModel(
  state: ProjectState,
  appLabel: string,
  name: string,
): HistoricalModel {
  return state.apps.getModel(appLabel, name) as unknown as HistoricalModel;
}
