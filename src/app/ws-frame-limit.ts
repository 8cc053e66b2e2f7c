import { WebSocket } from 'ws';

/**
 * Sets the largest frame (and fragmented message) one socket accepts from now on.
 *
 * Why the Receiver's own field: ws checks `maxPayload` in its Receiver right after a frame's
 * length header is read (receiver.js `haveLength`), before any payload is buffered, and closes
 * with 1009. That is the only check that stops a 64 MB frame after its first bytes; a check in a
 * 'message' listener would come after ws had buffered the whole frame. The WebSocketServer's
 * `maxPayload` is one value for every socket and ws offers no public per-socket setter, yet the
 * Receiver reads `_maxPayload` anew for every frame; so a socket starts at the small pre-auth limit
 * and is raised once its connection_init is accepted. Returns false if a ws release dropped the
 * field: the caller then closes the socket rather than run it unbounded.
 */
export function setFrameLimit(socket: WebSocket, bytes: number): boolean {
  const receiver = (socket as unknown as { _receiver?: { _maxPayload?: unknown } })._receiver;
  if (typeof receiver?._maxPayload !== 'number') return false;
  receiver._maxPayload = bytes;
  return true;
}

/**
 * ws reports a frame over the limit as an 'error' after closing the socket with 1009 itself;
 * graphql-ws logs every socket 'error' as an internal error, which would let any client write
 * to our error log at will. That one error is expected and already answered, so it is dropped.
 */
export class FrameLimitedWebSocket extends WebSocket {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'error' && (args[0] as { code?: string } | undefined)?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
      return true;
    return super.emit(event, ...args);
  }
}
