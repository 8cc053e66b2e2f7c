import { Field, ObjectType } from 'type-graphql';
import type { Viewer } from '../../domain/account';

@ObjectType('ProviderFailure', {
  description: "The provider's own account of a failure, exactly as it gave it (admins only)",
})
export class ProviderFailureType {
  @Field(() => String, { nullable: true, description: "The provider's own error code, when it gave one" })
  code: string | null;

  @Field({ description: "The provider's own words" })
  message: string;

  /**
   * The provider's words describe the operator's upstream account (balance, stock, contract), so
   * only an admin sees them; anyone else gets null rather than an error, so one query serves both.
   */
  static visibleTo(
    viewer: Viewer,
    row: { providerFailureCode?: string | null; providerFailureMessage?: string | null },
  ): ProviderFailureType | null {
    if (viewer.role !== 'ADMIN' || !row.providerFailureMessage) return null;
    return { code: row.providerFailureCode ?? null, message: row.providerFailureMessage };
  }
}
