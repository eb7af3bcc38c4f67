import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from './calendar.js';

/** A real calendar date written YYYY-MM-DD: 2025-02-30 is refused. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a real date written YYYY-MM-DD, between 1900 and 2999`, ...options },
      validator: { validate: (value: unknown) => isCalendarDate(value) },
    });
}

/**
 * The field may be left out, but not sent as null: unlike @IsOptional, a
 * null still goes through the other checks (and fails them), so it never
 * reaches a NOT NULL column.
 */
export const IsOmittable = () => ValidateIf((_object, value) => value !== undefined);
