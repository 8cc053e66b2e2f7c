import pino from 'pino';

/** A silent logger for tests; set TEST_LOG=debug to see it. */
export const testLogger = pino({ level: process.env.TEST_LOG ?? 'silent' });
