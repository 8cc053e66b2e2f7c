import {
  BUILD_BROTLI_QUALITY,
  compressFiles,
  GRAPHIQL_ARTEFACT_DIR,
  writeArtefact,
} from '../src/http/graphiql-artefact';
import { renderGraphiqlFiles } from '../src/http/graphiql-page';

/**
 * Part of `npm run build`: renders GraphiQL's page and assets and compresses them once, into
 * dist/graphiql, so that serving them costs the gateway no CPU (src/http/graphiql.routes.ts).
 */
async function main(): Promise<void> {
  const started = Date.now();
  const files = await compressFiles(renderGraphiqlFiles(), BUILD_BROTLI_QUALITY);
  await writeArtefact(GRAPHIQL_ARTEFACT_DIR, files);
  const total = (encoding: 'br' | 'gzip' | 'identity') =>
    files.reduce((sum, file) => sum + file.variants[encoding].body.length, 0);
  process.stderr.write(
    `GraphiQL: ${files.length} files, ${total('identity')} bytes, br ${total('br')}, gzip ${total('gzip')} (${Date.now() - started} ms)\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
