/**
 * Reading the live schema back: tables, columns, indexes and constraints.
 */
import type { BaseDatabaseWrapper } from './wrapper.js';

export abstract class BaseDatabaseIntrospection {
  constructor(readonly connection: BaseDatabaseWrapper) {}

  /** Names of the tables (not views) in the database, sorted. */
  abstract tableNames(): Promise<string[]>;
}
