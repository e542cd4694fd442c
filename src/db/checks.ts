/**
 * Database system checks (tag `database`): run by `reinhardt check
 * --database <alias>`, never by default, since they connect.
 */
import {
  CheckError,
  Warning,
  Tags,
  registerCheck,
  type CheckMessage,
} from '../core/checks/index.js';
import { connections } from './connections.js';
import type { MySQLFeatures } from './backends/mysql/features.js';

/**
 * database.E001: the alias cannot be reached. mysql.W002: MySQL/MariaDB runs
 * without strict mode, so bad values are truncated with a warning instead of
 * refused (Django's `mysql.W002`).
 */
export const checkDatabaseConnections = registerCheck(
  async ({ databases }) => {
    const messages: CheckMessage[] = [];
    for (const alias of databases ?? []) {
      try {
        const connection = connections.get(alias);
        if (connection.vendor === 'mysql') {
          const { rows } = await connection.execute<{ mode: string }>('SELECT @@sql_mode AS mode');
          const modes = String(rows[0]?.mode ?? '').split(',');
          if (!modes.includes('STRICT_TRANS_TABLES') && !modes.includes('STRICT_ALL_TABLES')) {
            const product = (connection.features as MySQLFeatures).isMariaDB ? 'MariaDB' : 'MySQL';
            messages.push(
              new Warning(`${product} Strict Mode is not set for database connection '${alias}'`, {
                hint:
                  `${product}'s Strict Mode fixes many data integrity problems in ${product}, such as data ` +
                  'truncation upon insertion, by escalating warnings into errors. It is strongly recommended ' +
                  "you activate it: include STRICT_TRANS_TABLES in the server's sql_mode.",
                id: 'mysql.W002',
              }),
            );
          }
        } else {
          await connection.execute('SELECT 1');
        }
      } catch (error) {
        messages.push(
          new CheckError(error instanceof Error ? error.message : String(error), {
            hint: `Check settings.databases['${alias}'] and that the server is running.`,
            id: 'database.E001',
          }),
        );
      }
    }
    return messages;
  },
  { tags: [Tags.database] },
);
