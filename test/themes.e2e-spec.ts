import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ThemesService } from '../src/themes/themes.service.js';
import { createTestDatabase } from './support/test-database.js';

describe('ThemesService.unknownThemes', () => {
  let dataSource: DataSource;
  let themes: ThemesService;

  beforeAll(async () => {
    const url = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions({ url, poolSize: 2, statementTimeoutMs: 15_000 })).initialize();
    themes = new ThemesService(dataSource);
  });
  afterAll(() => dataSource.destroy());

  it('answers nothing when every code is a learning theme', async () => {
    expect(await themes.unknownThemes(dataSource.manager, ['marac', 'stalking', 'coercive_control'])).toEqual([]);
  });

  it('answers nothing for no codes', async () => {
    expect(await themes.unknownThemes(dataSource.manager, [])).toEqual([]);
  });

  it('answers each unknown code once, in the order given', async () => {
    const codes = ['not_a_theme', 'marac', 'Stalking', 'not_a_theme', 'stalking', ''];
    expect(await themes.unknownThemes(dataSource.manager, codes)).toEqual(['not_a_theme', 'Stalking', '']);
  });

  it('sees the caller’s transaction', async () => {
    const rollBack = new Error('roll back');
    let inside: string[] | undefined;
    await expect(
      dataSource.transaction(async (tx) => {
        await tx.query(`INSERT INTO learning_theme (code, label, position) VALUES ('new_theme', 'New theme', 99)`);
        inside = await themes.unknownThemes(tx, ['new_theme']);
        throw rollBack;
      }),
    ).rejects.toBe(rollBack);
    expect(inside).toEqual([]);
    expect(await themes.unknownThemes(dataSource.manager, ['new_theme'])).toEqual(['new_theme']);
  });
});
