import type { GraphQLFormattedError, OperationDefinitionNode } from 'graphql';
import { codesOf } from '../http/metrics.plugin';
import type { OperationEvent } from '../infra/metrics';

interface Pending {
  readonly started: number;
  operation: OperationEvent['operation'];
  reported: boolean;
}

/**
 * Reports each graphql-ws operation once, as the HTTP plugin does: a query or mutation when its
 * result is sent, a subscription when it starts (its events are not operations), a refusal when
 * its errors are sent. Keyed by the subscribe message's payload, the object graphql-ws hands to
 * every later hook of the same operation (an id may be reused before the old one completes).
 */
export class WsOperationReports {
  private readonly pending = new WeakMap<object, Pending>();

  constructor(private readonly observe: (event: OperationEvent) => void) {}

  /** onSubscribe, before anything may refuse it. */
  started(payload: object): void {
    this.pending.set(payload, { started: performance.now(), operation: null, reported: false });
  }

  /** Once the document parsed and validated: its operation, by the name the client asked for. */
  resolved(payload: object, operation: OperationDefinitionNode | null | undefined): void {
    const pending = this.pending.get(payload);
    if (pending && operation) pending.operation = { name: operation.name?.value, type: operation.operation };
  }

  /** onOperation: a live subscription (an async iterable) has started. */
  operated(payload: object, result: unknown): void {
    if (typeof result === 'object' && result !== null && Symbol.asyncIterator in result) this.report(payload, []);
  }

  /** onNext and onError, with the errors as formatted for the client. */
  sent(payload: object, errors: readonly GraphQLFormattedError[] | undefined): void {
    this.report(payload, errors ? codesOf(errors) : []);
  }

  private report(payload: object, errorCodes: (string | undefined)[]): void {
    const pending = this.pending.get(payload);
    if (!pending || pending.reported) return;
    pending.reported = true;
    this.observe({
      transport: 'ws',
      operation: pending.operation,
      durationMs: performance.now() - pending.started,
      errorCodes,
    });
  }
}
