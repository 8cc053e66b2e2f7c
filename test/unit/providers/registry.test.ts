import { loadConfig } from '../../../src/config';
import { NotFoundError, NotSupportedError } from '../../../src/domain/errors';
import { PROVIDER_IDS, type ProviderCapability, type ProviderId } from '../../../src/domain/provider';
import { capabilitiesOf } from '../../../src/providers/capabilities';
import { createRegistry, type ProviderRegistry } from '../../../src/providers/registry';
import { testLogger } from '../../helpers/logger';

/**
 * Each adapter's hand-written `capabilities` set before the groups replaced it (git b6d22e2), so
 * the contract's `Provider.capabilities` answers the same lists.
 */
const DECLARED_BEFORE: Readonly<Record<ProviderId, readonly ProviderCapability[]>> = {
  esimaccess: ['TOP_UP', 'CANCEL', 'SUSPEND', 'RESUME', 'REVOKE', 'SMS', 'USAGE', 'WEBHOOKS', 'DAY_PASS'],
  connectedyou: ['TOP_UP', 'USAGE', 'WEBHOOKS'],
  comium: ['TOP_UP', 'USAGE', 'GLOBAL_ESIM'],
  esimplatform: ['TOP_UP', 'SUSPEND', 'RESUME', 'REVOKE', 'SMS', 'USAGE', 'WEBHOOKS'],
  esimtrade: ['TOP_UP', 'USAGE', 'WEBHOOKS'],
};

describe('provider registry capabilities', () => {
  let registry: ProviderRegistry;
  // Sandbox configs: building the adapters makes no upstream call.
  beforeAll(() => {
    registry = createRegistry(loadConfig({}).providers, { logger: testLogger });
  });
  afterAll(() => registry.dispose());

  it.each(PROVIDER_IDS)('%s declares the capabilities it declared before, in the contract order', (id) => {
    expect(capabilitiesOf(registry.get(id))).toEqual(DECLARED_BEFORE[id]);
  });

  it('hands out the group an adapter declares', () => {
    const adapter = registry.get('esimaccess');
    expect(registry.require('esimaccess', 'TOP_UP')).toBe(adapter.supports.TOP_UP);
    expect(registry.require('esimaccess', 'CANCEL')).toBe(adapter.supports.CANCEL);
    expect(registry.find('esimtrade', 'WEBHOOKS')).toBe(registry.get('esimtrade').supports.WEBHOOKS);
    expect(typeof registry.require('esimplatform', 'SMS').send).toBe('function');
  });

  it('answers NOT_SUPPORTED for an absent group, and NOT_FOUND for an unknown provider', () => {
    expect(() => registry.require('comium', 'CANCEL')).toThrow(NotSupportedError);
    expect(() => registry.require('connectedyou', 'SMS')).toThrow(
      expect.objectContaining({ code: 'NOT_SUPPORTED', message: 'ConnectedYou does not support sms.' }),
    );
    expect(() => registry.require('comium', 'WEBHOOKS')).toThrow(NotSupportedError);
    expect(() => registry.require('nowhere', 'TOP_UP')).toThrow(NotFoundError);
  });

  it('finds a group or nothing, never throwing', () => {
    expect(registry.find('comium', 'WEBHOOKS')).toBeUndefined();
    expect(registry.find('nowhere', 'TOP_UP')).toBeUndefined();
    expect(registry.find('nowhere')).toBeUndefined();
    expect(registry.find('comium')).toBe(registry.get('comium'));
  });
});
