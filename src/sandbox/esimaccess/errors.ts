import type { Response } from 'express';

/** eSIM Access error codes and messages as published (seed 001, "Error Codes"). */
export const ERROR_MESSAGES = {
  '000001': 'Server error',
  '000101': 'Request header (mandatory) is null',
  '000102': 'Wrong request header format',
  '000103': 'This https request method (get/post ) is not supported',
  '000104': 'Request in invalid JSON format',
  '000105': 'Request parameters (mandatory) are not contained',
  '000106': 'Request parameter (mandatory) is null',
  '000107': 'The length of the request parameter does not meet the requirement.',
  // Not in the published table: webhook/save refuses a URL whose CHECK_HEALTH test failed (ASSUMED, README).
  '000108': 'The webhook URL did not answer the CHECK_HEALTH test with HTTP 200.',
  '101001': 'The timestamp of the request has expired.',
  '101003': 'Request signature mismatch.',
  '200002': 'This operation is not allowed due to the order status.',
  '200005': 'Package price error. Check price.',
  '200006': 'Total order price amount is wrong. Check prices.',
  '200007': 'Insufficient account balance',
  '200008': 'Order parameters error, please contact customer service.',
  '200010': 'Profile is being downloaded for the order.',
  '200011': 'Insufficient available Profiles for the package, please contact the customer service.',
  '310241': 'The packageCode does not exist.',
  '310243': 'The package does not exist.',
  '310272': 'The orderNo does not exist.',
  '310403': 'The ICCID does not exist in the order.',
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

/** A refusal raised deep in a handler; the router answers it with `sendError`. */
export class SimFault extends Error {
  constructor(readonly code: SimErrorCode) {
    super(code);
  }
}
