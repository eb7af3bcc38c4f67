import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { ArrayMaxSize, IsIn, IsInt, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { getMetadataStorage } from 'class-validator';
import { schemaFromRules } from './openapi.js';
import { portablePattern } from './portable-pattern.js';
import { MULTI_LINE, SINGLE_LINE } from './text-rules.js';
import { IsCalendarDate, MultiLineText, SingleLineText } from './validators.js';

class Sample {
  @SingleLineText() @MaxLength(200) name!: string;
  @MultiLineText() @MaxLength(10_000) notes!: string;
  @SingleLineText() @Matches(/^[A-Z]{3}$/) @MaxLength(3) code!: string;
  @IsCalendarDate() on!: string;
  @IsIn(['a', 'b']) kind!: string;
  @IsInt() @Min(1) @Max(200) limit!: number;
  @ArrayMaxSize(20) @IsUUID('4', { each: true }) @MaxLength(36, { each: true }) ids!: string[];
}

function schemaOf(property: keyof Sample) {
  const rules = getMetadataStorage()
    .getTargetValidationMetadatas(Sample, '', true, false)
    .filter((rule) => rule.propertyName === property);
  return schemaFromRules(rules);
}

describe('the OpenAPI description of a request field', () => {
  it('is what its validators enforce', () => {
    expect(schemaOf('name').own).toEqual({ maxLength: 200, pattern: portablePattern(SINGLE_LINE.source) });
    expect(schemaOf('notes').own).toEqual({ maxLength: 10_000, pattern: portablePattern(MULTI_LINE.source) });
    expect(schemaOf('on').own).toEqual({ format: 'date', maxLength: 10 });
    expect(schemaOf('kind').own).toEqual({ enum: ['a', 'b'] });
    expect(schemaOf('limit').own).toEqual({ format: 'int32', minimum: 1, maximum: 200 });
    expect(schemaOf('ids')).toEqual({ own: { maxItems: 20 }, items: { format: 'uuid', maxLength: 36 } });
  });

  it('takes a field’s own pattern over the text rule every text field has', () => {
    expect(schemaOf('code').own).toEqual({ maxLength: 3, pattern: '^[A-Z]{3}$' });
  });
});

describe('the text patterns', () => {
  it('allow one line of any script, and nothing that breaks a line', () => {
    expect(SINGLE_LINE.test('Ada Quill — Zoë 👋')).toBe(true);
    for (const bad of ['a\nb', 'a\tb', 'a\rb', 'a\u0000b', 'a\u0085b', 'a\u2028b', 'a\u007fb']) expect(SINGLE_LINE.test(bad)).toBe(false);
  });

  it('allow line breaks and tabs in free text, and a CR only before an LF', () => {
    for (const good of ['one\ntwo', 'one\r\ntwo', 'a\tb', 'Zoë 👋', '']) expect(MULTI_LINE.test(good)).toBe(true);
    for (const bad of ['one\rtwo', 'end\r', 'a\u0000b', 'a\u000bb', 'a\u0085b', 'a\u2029b']) expect(MULTI_LINE.test(bad)).toBe(false);
  });
});
