import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('learning_theme')
export class LearningTheme {
  @PrimaryColumn('text') code: string;
  @Column('text') label: string;
  @Column('integer') position: number;
}
