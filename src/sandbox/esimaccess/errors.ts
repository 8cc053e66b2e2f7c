import type { Response } from 'express';

/** eSIM Access error codes and messages as published (seed 001, "Error Codes"). */
export const ERROR_MESSAGES = {
  '000001': 'Server error',
  '000101': 'Request header (mandatory) is null',
  '000102': 'Wrong request header format',
  '000103': 'This https request method (get/post ) is not supported',
  '000104': 'Request in invalid JSON format',
  '101001': 'The timestamp of the request has expired.',
  '101003': 'Request signature mismatch.',
  '310241': 'The packageCode does not exist.',
  '900001': 'The system is busy, please try again later.',
} as const;

export type SimErrorCode = keyof typeof ERROR_MESSAGES;

/** The documented envelope `{ success, errorCode, errorMsg, obj }`; errorCode is "0" on success. */
export function sendOk(res: Response, obj: unknown): void {
  res.status(200).json({ success: true, errorCode: '0', errorMsg: null, obj });
}

/** Business and auth errors travel inside the envelope with HTTP 200 (research §1.1, [I]). */
export function sendError(res: Response, code: SimErrorCode, status = 200): void {
  res.status(status).json({ success: false, errorCode: code, errorMsg: ERROR_MESSAGES[code], obj: null });
}

/** A path the API does not have: HTTP 404 with a 404-style envelope (ASSUMED, see README). */
export function sendNotFound(res: Response): void {
  res.status(404).json({ success: false, errorCode: '404', errorMsg: 'Not Found', obj: null });
}
