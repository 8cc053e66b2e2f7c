import fs from 'node:fs';

// `.env` in the working directory, when present, as `npm start` users expect from other servers.
// Imported first by main.ts, before anything reads the environment. Variables already set (by the
// shell, compose or systemd) win over the file; node's own parser reads it, no package needed.
if (fs.existsSync('.env')) process.loadEnvFile('.env');
