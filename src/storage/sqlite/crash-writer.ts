// Child process of crash.test.ts: writes records to the SQLite backend one after another and
// prints each key and value once its create has resolved, until the test kills it.
import { openSqliteBackend } from './sqlite-backend.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: crash-writer <database file>');

const backend = openSqliteBackend(file);
// A bound in case the parent test dies without killing this process.
const deadline = Date.now() + 10_000;
for (let i = 0; Date.now() < deadline; i++) {
  const key = `/registry/pods/default/pod-${i}`;
  const value = JSON.stringify({ metadata: { name: `pod-${i}` }, spec: { padding: 'x'.repeat(200 + (i % 50)) } });
  await backend.create(key, value);
  process.stdout.write(`${key}\t${value}\n`);
}
await backend.close();
