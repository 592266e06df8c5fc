import { describe, expect, it } from 'vitest';
import { RestartDelay } from '../../src/server/restart-delay.js';

describe('the wait before replacing a dead worker', () => {
  it('doubles while workers die soon after they start, up to the longest wait', () => {
    const delay = new RestartDelay(100, 1_000, 30_000);
    const waits = Array.from({ length: 6 }, (_, attempt) => delay.after(attempt * 1_000, attempt * 1_000 + 50));
    expect(waits).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('replaces at once a worker that ran long enough to count as healthy', () => {
    const delay = new RestartDelay(100, 1_000, 30_000);
    expect(delay.after(0, 30_000)).toBe(0);
  });

  it('starts the doubling afresh after a healthy worker dies', () => {
    const delay = new RestartDelay(100, 1_000, 30_000);
    delay.after(0, 10);
    delay.after(0, 20);
    delay.after(0, 60_000);
    expect(delay.after(60_000, 60_010)).toBe(100);
  });
});
