/**
 * Where each provider's API lives below its simulator root `/sandbox/<id>`, mirroring the real
 * base URL's path (ConnectedYou's base_url ends in /v1, Comium's and the eSIM platform's in /api/v1).
 * Shared by config (the sandbox base URLs) and the adapters (ConnectedYou's portal emulation sits at the root).
 */
export const SANDBOX_API_PREFIX = {
  esimaccess: '',
  connectedyou: '/v1',
  comium: '/api/v1',
  esimplatform: '/api/v1',
  esimtrade: '',
} as const;
