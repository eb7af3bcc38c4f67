import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A Community Safety Partnership: the body that owns a review. */
@Entity('partnership')
export class Partnership {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') code: string;
  @Column('text') name: string;
  @Column({ type: 'timestamptz', name: 'created_at', insert: false, update: false }) createdAt: Date;
}
