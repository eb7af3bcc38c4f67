/**
 * The order Jest hands test files to its workers. Jest runs the files that
 * took longest last time first, so that no worker sits idle at the end while
 * the other finishes a long file; with no times remembered (a clean clone,
 * as in CI) it goes by file size, which puts the slow tier's suites
 * (jest.config.js), minutes each, anywhere. Then they go first.
 */
import Sequencer from '@jest/test-sequencer';
import { tierOf } from '../../jest.config.js';

const isSlow = (test) => tierOf(test.path)?.name === 'slow';

export default class SlowFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.every((test) => test.duration != null)) return sorted;
    return [...sorted.filter(isSlow), ...sorted.filter((test) => !isSlow(test))];
  }
}
