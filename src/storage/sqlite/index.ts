// The SQLite backend's public entry; importing it registers the backend as "sqlite".
import { registerBackend } from '../backend-registry.js';
import { openSqliteBackend } from './sqlite-backend.js';

export { openSqliteBackend, type SqliteBackendOptions } from './sqlite-backend.js';

registerBackend('sqlite', (options) => Promise.resolve().then(() => openSqliteBackend(options.file, options)));
