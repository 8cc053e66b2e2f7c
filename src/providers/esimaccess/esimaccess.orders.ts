import type { EsimAccessClient } from './esimaccess.client';
import type {
  EsimAccessOrderRequest,
  EsimAccessOrderResult,
  EsimAccessProfileAction,
  EsimAccessQueryRequest,
  EsimAccessQueryResult,
  EsimAccessTopUpRequest,
  EsimAccessTopUpResult,
  EsimAccessUsageResult,
} from './esimaccess.types';

/** The profile actions that answer `{}` and carry no idempotency key. */
export type EsimAccessAction = 'esim/cancel' | 'esim/suspend' | 'esim/unsuspend' | 'esim/revoke';

/**
 * The ordering and lifecycle endpoints (research §1.3) over the signed client. Retries: reads,
 * and the two writes keyed by `transactionId` (`esim/order`, `esim/topup`), which the provider
 * treats as the same request when repeated. Actions without a key are sent once.
 */
export class EsimAccessOrdersApi {
  constructor(private readonly client: EsimAccessClient) {}

  order(request: EsimAccessOrderRequest, signal?: AbortSignal): Promise<EsimAccessOrderResult> {
    return this.client.post('esim/order', request, {
      idempotent: true,
      signal,
      valid: (obj) => typeof obj.orderNo === 'string' && obj.orderNo !== '',
    });
  }

  query(request: EsimAccessQueryRequest, signal?: AbortSignal): Promise<EsimAccessQueryResult> {
    return this.client.post('esim/query', request, {
      idempotent: true,
      signal,
      valid: (obj) => Array.isArray(obj.esimList),
    });
  }

  /** At most 10 `esimTranNo`s per call. */
  usage(esimTranNoList: readonly string[], signal?: AbortSignal): Promise<EsimAccessUsageResult> {
    return this.client.post(
      'esim/usage/query',
      { esimTranNoList },
      { idempotent: true, signal, valid: (obj) => Array.isArray(obj.esimUsageList) },
    );
  }

  topUp(request: EsimAccessTopUpRequest, signal?: AbortSignal): Promise<EsimAccessTopUpResult> {
    return this.client.post('esim/topup', request, {
      idempotent: true,
      signal,
      valid: (obj) => typeof obj === 'object',
    });
  }

  async act(action: EsimAccessAction, target: EsimAccessProfileAction, signal?: AbortSignal): Promise<void> {
    await this.client.post(action, target, { idempotent: false, signal });
  }

  async sendSms(target: EsimAccessProfileAction, message: string, signal?: AbortSignal): Promise<void> {
    await this.client.post('esim/sendSms', { ...target, message }, { idempotent: false, signal });
  }
}
