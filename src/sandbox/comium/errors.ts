import type { Response } from 'express';

/**
 * Comium answers failures in the same envelope as its successes (seed 002, POST /Bundle):
 * `{title, message, developer_message, response_code}`. The document shows only the success
 * value ("1"); echoing the HTTP status in `response_code` for failures is our assumption.
 */
export interface ComiumErrorBody {
  readonly title: string;
  readonly message: string;
  readonly developer_message: string;
  readonly response_code: string;
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export function errorBody(status: number, message: string, developerMessage = message): ComiumErrorBody {
  return {
    title: TITLES[status] ?? 'Error',
    message,
    developer_message: developerMessage,
    response_code: String(status),
  };
}

export function sendError(res: Response, status: number, message: string, developerMessage?: string): void {
  res.status(status).json(errorBody(status, message, developerMessage));
}

/** The 429 Comium is assumed to send (its limit is undocumented): one second to wait. */
export function sendRateLimited(res: Response): void {
  res.setHeader('Retry-After', '1');
  sendError(res, 429, 'Too Many Requests', 'Rate limit of 10 requests per second exceeded');
}
