import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../field-errors.js';
import { jobStrategy, cronJobStrategy } from './batch.js';
import type { Obj } from './object-access.js';

const messages = (errs: readonly FieldError[]) => errs.map(fieldErrorMessage);

const template = (restartPolicy?: string): Obj => ({
  spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'pi', image: 'perl:5.34' }] },
});

function newJob(spec: Obj): Obj {
  const job: Obj = { metadata: { name: 'pi', namespace: 'default', uid: '1234-abcd' }, spec };
  jobStrategy.default(job);
  jobStrategy.prepareForCreate(job);
  return job;
}

test('a Job gets defaults and a selector generated from its uid', () => {
  const job = newJob({ template: template('Never') });
  const spec = job['spec'] as Obj;
  assert.equal(spec['completions'], 1);
  assert.equal(spec['parallelism'], 1);
  assert.equal(spec['backoffLimit'], 6);
  assert.equal(spec['completionMode'], 'NonIndexed');
  assert.equal(spec['suspend'], false);
  assert.equal(spec['manualSelector'], false);
  assert.equal(spec['podReplacementPolicy'], 'TerminatingOrFailed');
  assert.deepEqual(spec['selector'], { matchLabels: { 'batch.kubernetes.io/controller-uid': '1234-abcd' } });
  assert.deepEqual(((spec['template'] as Obj)['metadata'] as Obj)['labels'], {
    'batch.kubernetes.io/controller-uid': '1234-abcd',
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': '1234-abcd',
    'job-name': 'pi',
  });
  assert.deepEqual(job['status'], {});
  assert.deepEqual(jobStrategy.validate(job), []);
  // Later writes decode again, and the Job then takes its template's labels (as in kube).
  jobStrategy.default(job);
  assert.equal(((job['metadata'] as Obj)['labels'] as Obj)['job-name'], 'pi');
});

test('parallelism alone leaves completions unset', () => {
  const job = newJob({ parallelism: 3, template: template('Never') });
  assert.equal((job['spec'] as Obj)['completions'], undefined);
});

test('Job templates must not restart Always', () => {
  const job = newJob({ template: template() });
  assert.deepEqual(messages(jobStrategy.validate(job)), [
    'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
  ]);
});

test('Job template and selector are immutable', () => {
  const old = newJob({ template: template('Never') });
  const changed = structuredClone(old);
  ((((changed['spec'] as Obj)['template'] as Obj)['spec'] as Obj)['containers'] as Obj[])[0]!['image'] = 'perl:5.36';
  const errs = jobStrategy.validateUpdate(changed, old);
  assert.deepEqual(
    errs.map((e) => [e.field, e.detail]),
    [['spec.template', 'field is immutable']],
  );
  const suspended = structuredClone(old);
  (suspended['spec'] as Obj)['suspend'] = true;
  assert.deepEqual(jobStrategy.validateUpdate(suspended, old), []);
});

test('CronJob defaults and validation', () => {
  const cj: Obj = {
    metadata: { name: 'hello' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: template('OnFailure') } } },
  };
  cronJobStrategy.default(cj);
  cronJobStrategy.prepareForCreate(cj);
  const spec = cj['spec'] as Obj;
  assert.equal(spec['concurrencyPolicy'], 'Allow');
  assert.equal(spec['suspend'], false);
  assert.equal(spec['successfulJobsHistoryLimit'], 3);
  assert.equal(spec['failedJobsHistoryLimit'], 1);
  const podSpec = (((spec['jobTemplate'] as Obj)['spec'] as Obj)['template'] as Obj)['spec'] as Obj;
  assert.equal(podSpec['dnsPolicy'], 'ClusterFirst');
  assert.equal(((spec['jobTemplate'] as Obj)['spec'] as Obj)['backoffLimit'], undefined, 'Job defaults are not applied to templates');
  assert.deepEqual(cronJobStrategy.validate(cj), []);

  const bad = structuredClone(cj);
  (bad['spec'] as Obj)['schedule'] = 'TZ=UTC 0 * * * *';
  (bad['spec'] as Obj)['timeZone'] = 'Mars/Olympus';
  (bad['metadata'] as Obj)['name'] = 'x'.repeat(53);
  assert.deepEqual(messages(cronJobStrategy.validate(bad)), [
    `metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`,
    'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
  ]);
});
