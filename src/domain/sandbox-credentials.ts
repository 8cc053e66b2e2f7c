/**
 * Credentials the simulators accept and the adapters send in sandbox mode. They are public on
 * purpose: a sandbox protects nothing, but it checks them exactly as the real provider would.
 */
export const SANDBOX_CREDENTIALS = {
  esimaccess: { accessCode: 'sandbox-access-code', secretKey: 'sandbox-secret-key' },
  connectedyou: { clientId: 'sandbox-client', clientSecret: 'sandbox-client-secret', resellerAccountId: '1234567890' },
  comium: { username: 'sandbox-reseller', password: 'Sandbox-Passw0rd!' },
  esimplatform: { email: 'sandbox-reseller@example.com', password: 'Sandbox-Passw0rd!' },
  esimtrade: { accessCode: 'sandbox-trade-code', secretKey: 'sandbox-trade-secret' },
} as const;
