/** DDL for SQLite. */
import { BaseDatabaseSchemaEditor } from '../base/schema.js';

export class SQLiteSchemaEditor extends BaseDatabaseSchemaEditor {}
