import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsString, MaxLength } from 'class-validator';
import { SingleLineText } from '../common/validators.js';
import type { LearningTheme } from './learning-theme.entity.js';

export class ThemeView {
  @ApiProperty({ example: 'coercive_control' }) code: string;
  @ApiProperty({ example: 'Coercive control' }) label: string;
}

export function toThemeView({ code, label }: LearningTheme): ThemeView {
  return { code, label };
}

export class ThemePage {
  @ApiProperty({ type: [ThemeView] }) items: ThemeView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/**
 * Learning theme codes as a request body sends them: a list, none twice.
 * Whether each is a known theme is the service's to check
 * (requireKnownThemes in themes.queries.ts), with a 400 that names the unknown ones.
 */
export function ThemeCodes(): PropertyDecorator {
  return (target, property) => {
    for (const decorate of [
      IsArray(),
      ArrayMaxSize(50),
      ArrayUnique({ message: `${String(property)} must not name a theme twice` }),
      IsString({ each: true }),
      SingleLineText({ each: true }),
      MaxLength(100, { each: true }),
    ]) {
      decorate(target, property);
    }
  };
}

/** The case's own learning themes, all at once: what is not listed is removed. */
export class SetCaseThemesRequest {
  @ApiProperty({ type: [String], example: ['coercive_control', 'separation'], description: 'Learning theme codes (GET /api/themes)' })
  @ThemeCodes()
  themes: string[];
}
