import { planStatusAfterDevice } from '../../../src/domain/device';
import { PROFILE_STATUSES } from '../../../src/domain/profile-status';

describe('what a device event may do to the plan state', () => {
  it.each(['DOWNLOADED', 'INSTALLED', 'ENABLED'] as const)(
    '%s moves a plan not yet installed to INSTALLED',
    (device) => {
      expect(planStatusAfterDevice('NOT_INSTALLED', device)).toBe('INSTALLED');
    },
  );

  it.each(['RELEASED', 'DISABLED', 'DELETED', null] as const)(
    '%s leaves a plan not yet installed as it is',
    (device) => {
      expect(planStatusAfterDevice('NOT_INSTALLED', device)).toBe('NOT_INSTALLED');
    },
  );

  it('never moves any other plan state, whatever the device did (the documented ENABLED after ACTIVATED, DISABLED after TERMINATED)', () => {
    for (const status of PROFILE_STATUSES.filter((s) => s !== 'NOT_INSTALLED')) {
      for (const device of ['RELEASED', 'DOWNLOADED', 'INSTALLED', 'ENABLED', 'DISABLED', 'DELETED', null] as const) {
        expect([status, device, planStatusAfterDevice(status, device)]).toEqual([status, device, status]);
      }
    }
  });
});
