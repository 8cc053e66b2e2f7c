import { ValidateBy, validate, type ValidationArguments, type ValidationError } from 'class-validator';
import type { ValidatorFn } from 'type-graphql';
import { isMarkupPercent, MARKUP_RULE } from '../../domain/account';
import { isCountryCode } from '../../domain/countries';
import { BadUserInputError } from '../../domain/errors';
import { QUANTITY_RULE, isEmailAddress, isIccid, isOrderQuantity, isPlanId } from '../../domain/order-input';
import { isPrintableText, textRule } from '../../domain/text';

// class-validator rules for input classes, each a thin wrapper over the domain predicate that the
// services apply again, so the edge and the domain can never disagree on a limit or its wording.

function rule(
  name: string,
  test: (value: unknown) => boolean,
  message: (property: string) => string,
): PropertyDecorator {
  return ValidateBy({
    name,
    validator: { validate: test, defaultMessage: (args?: ValidationArguments) => message(args?.property ?? name) },
  });
}

/** Trimmed text of `min` to `max` printable characters; with min 0, blank passes (the field reads as absent). */
export const PrintableText = (min: number, max: number) =>
  rule(
    'printableText',
    (v) => isPrintableText(v, min, max),
    (p) => textRule(p, min, max),
  );
export const Iccid = () => rule('iccid', isIccid, (p) => `${p} must be 18 to 22 digits.`);
export const PlanId = () => rule('planId', isPlanId, (p) => `${p} is not a plan id ("<providerId>:<code>").`);
/** Blank passes: an optional email left empty reads as absent. */
export const EmailAddress = () =>
  rule(
    'emailAddress',
    (v) => typeof v === 'string' && (v.trim() === '' || isEmailAddress(v.trim())),
    (p) => `${p} is not an email address.`,
  );
export const OrderQuantity = () => rule('orderQuantity', isOrderQuantity, () => QUANTITY_RULE);
export const MarkupPercent = () => rule('markupPercent', isMarkupPercent, () => MARKUP_RULE);
export const CountryCode = () =>
  rule(
    'countryCode',
    isCountryCode,
    (p) => `${p} must be an ISO 3166-1 alpha-2 or alpha-3 country code, e.g. FR or FRA.`,
  );

/**
 * type-graphql `validateFn` for input arguments: runs the rules of the input class and of its
 * nested inputs before the resolver, and refuses the first broken one as BAD_USER_INPUT with the
 * field's path ("customer.email"), through the one error mapper. Scalars pass through: their
 * checks are the domain parsers the services call first.
 */
export const validateInput: ValidatorFn = async (value) => {
  if (value === null || typeof value !== 'object') return;
  for (const item of Array.isArray(value) ? value : [value]) {
    const broken = firstBroken(
      await validate(item, {
        forbidUnknownValues: false,
        stopAtFirstError: true,
        validationError: { target: false, value: false },
      }),
    );
    if (broken) throw new BadUserInputError(broken.message, broken.path);
  }
};

function firstBroken(errors: readonly ValidationError[], prefix = ''): { path: string; message: string } | null {
  for (const error of errors) {
    const path = `${prefix}${error.property}`;
    const message = error.constraints && Object.values(error.constraints)[0];
    if (message)
      return {
        path,
        message: message.startsWith(error.property) ? `${path}${message.slice(error.property.length)}` : message,
      };
    const nested = firstBroken(error.children ?? [], `${path}.`);
    if (nested) return nested;
  }
  return null;
}
