import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { renderGraphiqlFiles, type GraphiqlFile } from './graphiql-page';

export type Encoding = 'br' | 'gzip' | 'identity';

/** One encoding of a file as sent: its bytes and their strong ETag. */
export interface Variant {
  readonly body: Buffer;
  readonly etag: string;
}

/** A GraphiQL file with every encoding we serve, compressed ahead of any request. */
export interface StaticFile {
  readonly name: string;
  readonly type: string;
  readonly variants: Readonly<Record<Encoding, Variant>>;
}

/** Written by `npm run build` (scripts/build-graphiql.ts): dist/graphiql next to dist/src. */
export const GRAPHIQL_ARTEFACT_DIR = path.resolve(__dirname, '..', '..', 'graphiql');
const MANIFEST = 'manifest.json';
const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz', identity: '' };

/**
 * Brotli 11 takes about 13 s of CPU for the 9 MB of assets, so the build pays it. Without a build
 * (ts-jest, or a checkout run from src) quality 5 costs about a second and weighs about 13 % more
 * (quality 9: 8 s on a busy 2-core CI machine, for 9 % more).
 */
export const BUILD_BROTLI_QUALITY = 11;
const FALLBACK_BROTLI_QUALITY = 5;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Compresses on libuv's thread pool: the event loop keeps serving meanwhile. */
export async function compressFiles(files: readonly GraphiqlFile[], brotliQuality: number): Promise<StaticFile[]> {
  return Promise.all(
    files.map(async (file) => {
      const [br, gz] = await Promise.all([
        brotli(file.body, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: brotliQuality,
            [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: file.body.length,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          },
        }),
        gzip(file.body, { level: 9 }),
      ]);
      return staticFile(file.name, file.type, { br, gzip: gz, identity: file.body });
    }),
  );
}

/** Written aside and renamed into place: a gateway starting meanwhile sees the old set or the new. */
export async function writeArtefact(dir: string, files: readonly StaticFile[]): Promise<void> {
  const staging = `${dir}.${process.pid}.tmp`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });
  for (const file of files) {
    for (const encoding of Object.keys(SUFFIX) as Encoding[])
      await fs.writeFile(path.join(staging, file.name + SUFFIX[encoding]), file.variants[encoding].body);
  }
  await fs.writeFile(path.join(staging, MANIFEST), JSON.stringify(files.map(({ name, type }) => ({ name, type }))));
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rename(staging, dir);
}

/** The built artefact, or null when there is none or it is incomplete: the caller renders instead. */
export async function readArtefact(dir: string): Promise<StaticFile[] | null> {
  try {
    const manifest: { name: string; type: string }[] = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8'));
    return await Promise.all(
      manifest.map(async ({ name, type }) => {
        const read = (encoding: Encoding) => fs.readFile(path.join(dir, name + SUFFIX[encoding]));
        const [br, gz, identity] = await Promise.all([read('br'), read('gzip'), read('identity')]);
        return staticFile(name, type, { br, gzip: gz, identity });
      }),
    );
  } catch {
    return null;
  }
}

/** The built artefact when there is one, else the same files rendered and compressed here. */
export async function loadGraphiqlFiles(dir = GRAPHIQL_ARTEFACT_DIR): Promise<StaticFile[]> {
  return (await readArtefact(dir)) ?? compressFiles(renderGraphiqlFiles(), FALLBACK_BROTLI_QUALITY);
}

function staticFile(name: string, type: string, bodies: Record<Encoding, Buffer>): StaticFile {
  const variant = (body: Buffer): Variant => ({
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  });
  return {
    name,
    type,
    variants: { br: variant(bodies.br), gzip: variant(bodies.gzip), identity: variant(bodies.identity) },
  };
}
