// `npm start` is the production entry point. graphql-js runs extra cross-realm instanceOf checks
// unless NODE_ENV is "production" (7 % of a catalog search in a CPU profile), and Express hides
// error details only then. This module is imported first, before graphql loads; set
// NODE_ENV=development to keep the checks.
process.env.NODE_ENV ??= 'production';
