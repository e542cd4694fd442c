/**
 * Historical models (Django's `StateApps`): model classes rendered from a
 * migration state into a registry of their own, so that a migration sees
 * the models as they were at its point in history, not as they are now.
 */
import { ImproperlyConfigured } from '../../core/exceptions.js';
import { Model } from '../models/base.js';
import type { Field } from '../models/fields/field.js';
import { Apps } from '../models/registry.js';
import type { ModelState } from './state.js';

/** A fresh copy of a state's field for one rendering (the rendered model binds it). */
function renderedField(field: Field): Field {
  const copy = Object.create(Object.getPrototypeOf(field) as object) as Field;
  Object.assign(copy, field);
  // Declaration order is the state's order, not the order the field objects were made in.
  Object.defineProperty(copy, 'creationCounter', { value: nextCounter() });
  (copy as unknown as { model: undefined }).model = undefined;
  return copy;
}

let counter = 0;
function nextCounter(): number {
  return counter++;
}

/**
 * Renders `states` as model classes in a new registry; relations are
 * resolved by label within it, and an unresolved one is Django's error.
 */
export function renderModels(states: Iterable<ModelState>): Apps {
  const registry = new Apps();
  const classes: { _meta: unknown }[] = [];
  for (const state of states) {
    const fields: Record<string, Field> = {};
    for (const [name, field] of state.fields) fields[name] = renderedField(field);
    const Base = Model(fields, {
      ...state.options,
      dbTable: state.dbTable,
      appLabel: state.appLabel,
      apps: registry,
    });
    const Named = { [state.name]: class extends Base {} }[state.name]!;
    classes.push(Named as unknown as { _meta: unknown });
  }
  // Preparing registers each model and resolves relations as their targets appear.
  for (const model of classes) void model._meta;
  const missing = registry.unresolvedLabels();
  if (missing.length) {
    throw new ImproperlyConfigured(
      `The migration state has relations to models it does not contain: ${missing
        .map((l) => `'${l}'`)
        .join(', ')}. Add a dependency on the migration that creates them.`,
    );
  }
  return registry;
}
