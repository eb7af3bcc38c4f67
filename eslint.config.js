import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Files whose data access still mixes styles, until each moves its SQL into
 * its module's queries file (docs/architecture.md, "Data access"). Delete a
 * file's line when it is converted; the list ends empty, and then goes.
 */
const DATA_ACCESS_PENDING = [
  'src/access/access.service.ts',
  'src/access/anonymous-denials.ts',
  'src/access/rate-limits.ts',
  'src/access/refusals.ts',
  'src/agencies/agencies.queries.ts',
  'src/agencies/agencies.service.ts',
  'src/audit/audit-trail.service.ts',
  'src/audit/audit-verify-cli.ts',
  'src/audit/audit.service.ts',
  'src/auth/auth.service.ts',
  'src/auth/jwt.strategy.ts',
  'src/auth/principal-changes.service.ts',
  'src/auth/sessions.ts',
  'src/auth/unlock-links.service.ts',
  'src/cases/case-record-facts.ts',
  'src/cases/cases.queries.ts',
  'src/cases/cases.service.ts',
  'src/cases/holds.service.ts',
  'src/cases/steps.service.ts',
  'src/clients/client-tokens.service.ts',
  'src/clients/clients.service.ts',
  'src/database/backup.ts',
  'src/database/database-roles.ts',
  'src/database/migrate.ts',
  'src/family-contacts/family-contacts.plugins.ts',
  'src/family-contacts/family-contacts.service.ts',
  'src/milestones/milestone-state.ts',
  'src/milestones/sweep.service.ts',
  'src/notifications/mail.service.ts',
  'src/notifications/notifications.service.ts',
  'src/panel/panel.plugins.ts',
  'src/panel/panel.service.ts',
  'src/partnerships/partnerships.queries.ts',
  'src/partnerships/partnerships.service.ts',
  'src/public-page/public-page.service.ts',
  'src/publication/anonymisation-check.ts',
  'src/publication/protected-terms.service.ts',
  'src/publication/publication.plugins.ts',
  'src/publication/publication.queries.ts',
  'src/publication/publication.service.ts',
  'src/qa/qa.plugins.ts',
  'src/qa/qa.service.ts',
  'src/reports/reports.service.ts',
  'src/themes/case-themes.service.ts',
  'src/themes/themes.service.ts',
  'src/users/users.queries.ts',
  'src/users/users.service.ts',
];

/**
 * Files outside the queries files that send SQL on purpose, each for a reason:
 * they run before any module exists, on plain `pg` clients or a bare DataSource.
 */
const SQL_OUTSIDE_QUERIES_FILES = [];

const ENTITY_MANAGER_METHODS =
  '/^(find|findBy|findOne|findOneBy|findOneOrFail|findOneByOrFail|findAndCount|findAndCountBy|save|insert|update|upsert|delete|remove|softDelete|softRemove|restore|recover|count|countBy|exists|existsBy|increment|decrement|create|merge|preload|sum|average|minimum|maximum|clear)$/';
const ONE_STYLE = 'Data access goes through the module’s *.queries.ts functions (docs/architecture.md, "Data access").';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // No query builders, repositories or entity-manager reads and writes anywhere in the application.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts', ...DATA_ACCESS_PENDING],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'createQueryBuilder', message: ONE_STYLE },
        { property: 'getRepository', message: ONE_STYLE },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: `CallExpression[callee.object.name=/^(tx|manager|em|entityManager|dataSource)$/][callee.property.name=${ENTITY_MANAGER_METHODS}]`,
          message: ONE_STYLE,
        },
        {
          selector: `CallExpression[callee.object.property.name=/^(manager|dataSource)$/][callee.property.name=${ENTITY_MANAGER_METHODS}]`,
          message: ONE_STYLE,
        },
      ],
    },
  },
  {
    // Statements are sent only from the queries files.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.queries.ts', 'src/**/*.spec.ts', ...DATA_ACCESS_PENDING, ...SQL_OUTSIDE_QUERIES_FILES],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `CallExpression[callee.object.name=/^(tx|manager|em|entityManager|dataSource)$/][callee.property.name=${ENTITY_MANAGER_METHODS}]`,
          message: ONE_STYLE,
        },
        {
          selector: `CallExpression[callee.object.property.name=/^(manager|dataSource)$/][callee.property.name=${ENTITY_MANAGER_METHODS}]`,
          message: ONE_STYLE,
        },
        { selector: "CallExpression[callee.property.name='query']", message: ONE_STYLE },
      ],
    },
  },
);
