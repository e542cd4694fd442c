/** DDL for MySQL and MariaDB. */
import { BaseDatabaseSchemaEditor } from '../base/schema.js';

export class MySQLSchemaEditor extends BaseDatabaseSchemaEditor {}
