import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { budgetCounts, needsControllerScale } from './disruption-budget.js';
import { scaledValue } from '../shared/index.js';

describe('disruption budget arithmetic', () => {
  test('minAvailable as a number counts the matching pods', () => {
    assert.deepEqual(budgetCounts({ minAvailable: 2 }, 3, 0, 3), { expectedPods: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
    assert.deepEqual(budgetCounts({ minAvailable: 2 }, 3, 0, 1), { expectedPods: 3, desiredHealthy: 2, disruptionsAllowed: 0 });
    assert.equal(needsControllerScale({ minAvailable: 2 }), false);
  });

  test('percentages and maxUnavailable scale against the controllers, rounding up', () => {
    assert.deepEqual(budgetCounts({ minAvailable: '50%' }, 3, 5, 5), { expectedPods: 5, desiredHealthy: 3, disruptionsAllowed: 2 });
    assert.deepEqual(budgetCounts({ maxUnavailable: 1 }, 4, 4, 4), { expectedPods: 4, desiredHealthy: 3, disruptionsAllowed: 1 });
    assert.deepEqual(budgetCounts({ maxUnavailable: '25%' }, 3, 5, 4), { expectedPods: 5, desiredHealthy: 3, disruptionsAllowed: 1 });
    assert.deepEqual(budgetCounts({ maxUnavailable: 10 }, 2, 2, 2), { expectedPods: 2, desiredHealthy: 0, disruptionsAllowed: 2 });
    assert.equal(needsControllerScale({ maxUnavailable: 0 }), true);
    assert.throws(() => scaledValue('3', 10, true), /not a percentage/);
  });
});
