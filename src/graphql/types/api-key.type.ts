import { Field, ID, ObjectType } from 'type-graphql';
import type { ApiKeyEntity } from '../../db/entities';
import { DateTimeScalar } from './scalars';

/** What may be shown of a key: never the key itself nor its hash. */
@ObjectType('ApiKey')
export class ApiKeyType {
  @Field(() => ID)
  id: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The first characters of the key, to tell keys apart. Null for a key the operator chose (GATEWAY_BOOTSTRAP_ADMIN_KEY), which may be short',
  })
  prefix: string | null;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Best effort: may trail the last request by a minute' })
  lastUsedAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Set once revoked: the key is refused from then on' })
  revokedAt: Date | null;

  static from(key: ApiKeyEntity): ApiKeyType {
    return {
      id: key.id,
      // An operator-chosen key has no random part to spare: its first characters may be most of it.
      prefix: key.kind === 'configured' ? null : (key.prefix ?? null),
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt ?? null,
      revokedAt: key.revokedAt,
    };
  }
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyType {
  @Field(() => ApiKeyType)
  key: ApiKeyType;

  @Field({ description: 'The key itself. Shown once; only a hash is stored' })
  apiKey: string;
}
