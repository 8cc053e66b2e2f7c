// One jest project per test/ folder; ts-jest (tsc) keeps decorator metadata, which esbuild-based
// transformers drop (type-graphql and TypeORM need it).
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false }],
};
const project = (name, extra = {}) => ({
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  ...extra,
});
module.exports = {
  projects: [
    project('unit'),
    project('schema'),
    project('contract'),
    project('integration'),
    project('security'),
    project('browser'),
  ],
  testTimeout: 30000,
};
