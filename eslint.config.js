import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Files outside the queries files that send SQL on purpose, each for a reason:
 * they run before any module exists, on plain `pg` clients or a bare DataSource.
 */
const SQL_OUTSIDE_QUERIES_FILES = [
  // Its own LISTEN connection, a plain pg client outside the pool, sends the statements auth.queries.ts names.
  'src/auth/principal-changes.service.ts',
  // rowsOf: a plain pg client (the command-line tools', the migrations') seen as a Queryable, so that they
  // run the queries files' functions too.
  'src/common/sql.ts',
];

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
    ignores: ['src/**/*.spec.ts'],
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
    ignores: ['src/**/*.queries.ts', 'src/**/*.spec.ts', ...SQL_OUTSIDE_QUERIES_FILES],
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
