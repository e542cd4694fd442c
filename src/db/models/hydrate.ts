/**
 * Turning database rows into model instances, without running the model's
 * constructor (as Django's `Model.from_db`): each loaded field's converter
 * runs once per value, and the instance records the database it came from.
 */
import type { BaseDatabaseWrapper } from '../backends/base/wrapper.js';
import { Field } from './fields/field.js';

/** Per-instance state (Django's `ModelState`). */
export class ModelState {
  /** The alias the instance was loaded from or saved to; null before either. */
  db: string | null = null;
  /** True until the instance is saved or loaded. */
  adding = true;
  /** Loaded related objects and prefetched results, by name. */
  readonly cache = new Map<string, unknown>();
  /** Names of fields not loaded (`only`/`defer`). */
  deferred: ReadonlySet<string> | null = null;
}

/** Builds a function that hydrates array rows of the given columns into instances of `proto`'s class. */
export function makeHydrator(
  proto: object,
  fields: readonly Field[],
  connection: BaseDatabaseWrapper,
  deferred: ReadonlySet<string> | null,
): (row: readonly unknown[]) => Record<string, unknown> {
  const names = fields.map((f) => f.attname);
  // Fields whose conversion is the identity on this backend are copied as they are.
  const converters = fields.map((f) => (f.fromDb === Field.prototype.fromDb ? null : f));
  const alias = connection.alias;
  return (row) => {
    const obj = Object.create(proto) as Record<string, unknown>;
    const state = new ModelState();
    state.db = alias;
    state.adding = false;
    state.deferred = deferred;
    obj._state = state;
    for (let i = 0; i < names.length; i++) {
      const converter = converters[i];
      const value = row[i];
      obj[names[i]!] =
        converter && value !== null && value !== undefined
          ? converter.fromDb(value, connection)
          : (value ?? null);
    }
    return obj;
  };
}
