import pino, { type Logger } from 'pino';

/** Keys whose values never reach a log line, wherever they appear (one level deep or at the top). */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'password',
  'secret',
  'secretKey',
  'clientSecret',
  'client_secret',
  'accessCode',
  'access_token',
  'refresh_token',
  'apiKey',
  'token',
  'Access-Token',
  'RT-Signature',
  'RT-AccessCode',
  'x-secret-key',
  'x-access-code',
  'cookie',
];

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), ...SECRET_KEYS.map((k) => `*.headers.${k}`)],
      censor: '[redacted]',
    },
  });
}
export type { Logger };
