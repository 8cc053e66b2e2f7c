import {
  isMultilineText,
  isPrintable,
  isPrintableText,
  parseOptionalText,
  parseText,
  TEXT_LIMITS,
} from '../../../src/domain/text';

describe('printable text', () => {
  it.each([
    ['plain ASCII', 'order-42 for Ana', true],
    ['accents, CJK and emoji (a surrogate pair)', 'Zoë 東京 👩‍👩‍👧', true],
    ['a NUL', 'a\u0000b', false],
    ['a line break', 'a\nb', false],
    ['an escape sequence', '\u001b[31mred', false],
    ['DEL', 'a\u007fb', false],
    ['a C1 control (NEL)', 'a\u0085b', false],
    ['a lone high surrogate', 'a\ud800b', false],
    ['a lone low surrogate', 'a\udfffb', false],
    ['a surrogate pair split the wrong way round', '\udc00\ud800', false],
  ])('%s: %s', (_what, value, printable) => {
    expect(isPrintable(value)).toBe(printable);
  });

  it('measures the trimmed length against the limits', () => {
    expect(isPrintableText('  abc  ', 1, 3)).toBe(true);
    expect(isPrintableText('abcd', 1, 3)).toBe(false);
    expect(isPrintableText('   ', 1, 3)).toBe(false);
    expect(isPrintableText('   ', 0, 3)).toBe(true);
    expect(isPrintableText(42, 0, 3)).toBe(false);
  });

  it('lets a message hold line breaks and tabs, but no other control character', () => {
    expect(isMultilineText('line 1\r\nline 2\tend', 1, 500)).toBe(true);
    expect(isMultilineText('\n\t ', 1, 500)).toBe(false);
    expect(isMultilineText('bell\u0007', 1, 500)).toBe(false);
  });

  it('parses required text trimmed, and refuses it naming the field', () => {
    expect(parseText('  Acme  ', 'name', 1, 200)).toBe('Acme');
    expect(() => parseText('x'.repeat(201), 'name', 1, 200)).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        message: 'name must be 1 to 200 printable characters.',
        details: { field: 'name' },
      }),
    );
  });

  it('reads blank optional text as absent', () => {
    expect(parseOptionalText(undefined, 'reference', 100)).toBeNull();
    expect(parseOptionalText(null, 'reference', 100)).toBeNull();
    expect(parseOptionalText('  ', 'reference', 100)).toBeNull();
    expect(parseOptionalText(' r1 ', 'reference', 100)).toBe('r1');
    expect(() => parseOptionalText('r\u0000', 'reference', 100)).toThrow(
      'reference must be at most 100 printable characters.',
    );
  });

  it('keeps every limit within its database column', () => {
    expect(TEXT_LIMITS).toMatchObject({
      idempotencyKey: 200,
      reference: 100,
      customerName: 200,
      customerEmail: 254,
      accountName: 200,
      description: 500,
    });
  });
});
