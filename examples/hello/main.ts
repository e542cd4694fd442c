/**
 * `npm start`: a small runnable example until the bookstore project lands.
 * It creates an SQLite database next to this file (or uses DATABASE_URL),
 * seeds a few books inside a transaction, and serves them as JSON on
 * http://127.0.0.1:8000/ with the statements each request ran.
 *
 *   npm start                 # serve until Ctrl-C
 *   npm start -- --once       # print one response and exit
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseDatabaseUrl } from 'reinhardt/conf';
import { atomic, captureQueries, connection, connections } from 'reinhardt/db';

const dbFile = fileURLToPath(new URL('./hello.sqlite3', import.meta.url));
const database = process.env.DATABASE_URL
  ? parseDatabaseUrl(process.env.DATABASE_URL)
  : { engine: 'sqlite' as const, name: dbFile };
await connections.configure({ default: database });

const q = (name: string) => connection.ops.quoteName(name);
const tables = await connection.introspection.tableNames();
if (!tables.includes('hello_book')) {
  await connection.execute(
    `CREATE TABLE ${q('hello_book')} (${q('id')} integer PRIMARY KEY, ${q('title')} varchar(200) NOT NULL, ${q('author')} varchar(100) NOT NULL)`,
  );
}
const { rows: counted } = await connection.execute<{ n: number | string }>(
  `SELECT COUNT(*) AS n FROM ${q('hello_book')}`,
);
if (Number(counted[0]!.n) === 0) {
  await atomic(async () => {
    const books = [
      [1, 'Two Scoops of Django', 'Daniel Feldroy'],
      [2, 'Django for APIs', 'William S. Vincent'],
      [3, 'High Performance Django', 'Peter Baumgartner'],
    ];
    for (const book of books) {
      await connection.execute(
        `INSERT INTO ${q('hello_book')} (${q('id')}, ${q('title')}, ${q('author')}) VALUES (%s, %s, %s)`,
        book,
      );
    }
  });
}

async function listBooks(): Promise<string> {
  const { result, queries } = await captureQueries(() =>
    connection.execute(
      `SELECT ${q('id')}, ${q('title')}, ${q('author')} FROM ${q('hello_book')} ORDER BY ${q('id')}`,
    ),
  );
  return JSON.stringify({ books: result.rows, queries: queries.map((x) => x.sql) }, null, 2);
}

if (process.argv.includes('--once')) {
  process.stdout.write(`${await listBooks()}\n`);
  await connections.closeAll();
} else {
  const port = Number(process.env.PORT ?? 8000);
  const server = createServer((req, res) => {
    listBooks().then(
      (body) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      },
      (error: unknown) => {
        console.error(error);
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Server Error (500)');
      },
    );
  });
  server.listen(port, '127.0.0.1', () => {
    console.log(`Reinhardt example serving on http://127.0.0.1:${port}/ (Ctrl-C to stop)`);
  });
  const stop = () => server.close(() => void connections.closeAll().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
