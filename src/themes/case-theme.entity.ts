import { Entity, PrimaryColumn } from 'typeorm';

/** A learning theme a case carries (docs/domain.md, "Learning"). */
@Entity('case_theme')
export class CaseTheme {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId: string;
  @PrimaryColumn('text', { name: 'theme_code' }) themeCode: string;
}
