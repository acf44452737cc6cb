import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliError } from '../cli-error.js';
import { parseDisabledAddOns } from './add-ons.js';

test('--disable takes k3s names and skiff names, repeated or comma-separated', () => {
  assert.deepEqual([...parseDisabledAddOns(['traefik,coredns', 'registry'])].sort(), ['dns', 'ingress', 'registry']);
  assert.deepEqual([...parseDisabledAddOns(['dashboard', 'dns'])].sort(), ['dashboard', 'dns']);
});

test('k3s add-ons skiff does not have are accepted and disable nothing', () => {
  assert.deepEqual([...parseDisabledAddOns(['servicelb,local-storage', 'metrics-server'])], []);
});

test('an unknown add-on is a CLI error naming the valid ones', () => {
  assert.throws(
    () => parseDisabledAddOns(['flannel']),
    (err: unknown) =>
      err instanceof CliError &&
      err.message ===
        '--disable: unknown add-on "flannel" (valid: coredns, dashboard, dns, ingress, local-storage, metrics-server, registry, servicelb, traefik)',
  );
});
