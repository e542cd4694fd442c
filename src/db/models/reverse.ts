/**
 * Reverse relations (Django's `ForeignObjectRel`): what a target model knows
 * about the foreign keys and many-to-many fields pointing at it.
 */
import type { ForeignKeyImpl, ManyToManyFieldImpl } from './fields/related.js';

/** A relation seen from its target. */
export interface ForeignObjectRel {
  /** The forward field (on the model that declares it). */
  readonly field: ForeignKeyImpl | ManyToManyFieldImpl;
  /** The model that declares the field (`Book` for `Book.author`). */
  readonly relatedModel: { readonly name: string };
  /** The accessor on target instances (`books`), or null when hidden (`relatedName: '+'`). */
  readonly accessorName: string | null;
  /** The name lookups use from the target (`books__title`). */
  readonly queryName: string;
  /** Many related rows (reverse FK, many-to-many) or one (reverse one-to-one). */
  readonly multiple: boolean;
  /** The kind of relation. */
  readonly kind: 'manyToOne' | 'oneToOne' | 'manyToMany';
}

/** The default reverse accessor: `bookSet` for a foreign key on `Book` (Django: `book_set`). */
export function defaultAccessorName(modelName: string, multiple: boolean): string {
  const base = modelName[0]!.toLowerCase() + modelName.slice(1);
  return multiple ? `${base}Set` : base;
}
