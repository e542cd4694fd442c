/** DDL for PostgreSQL. */
import { BaseDatabaseSchemaEditor } from '../base/schema.js';

export class PostgreSQLSchemaEditor extends BaseDatabaseSchemaEditor {}
