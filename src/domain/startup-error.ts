/**
 * A start-up failure the operator fixes (a bad variable, a busy port, a DATA_DIR in use):
 * `npm start` prints its message alone, on one line, and exits 1.
 */
export class StartupError extends Error {}
