// Unit tests of the data-dir layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataDirLayout, defaultDataDir } from './data-dir.js';

test('the layout under the default data dir', () => {
  const d = dataDirLayout(defaultDataDir);
  assert.equal(d.sqliteFile, '/var/lib/skiff/server/db/state.db');
  assert.equal(d.serverTls, '/var/lib/skiff/server/tls');
  assert.equal(d.serverToken, '/var/lib/skiff/server/token');
  assert.equal(d.bin, '/var/lib/skiff/bin');
});
