import { ApiProperty } from '@nestjs/swagger';
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
