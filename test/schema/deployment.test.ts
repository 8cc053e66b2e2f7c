import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { main: string; scripts: Record<string, string> };

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}
interface Stage {
  readonly name: string | null;
  /** The FROM image with global ARG defaults substituted, or the name of an earlier stage. */
  readonly base: string;
  readonly instructions: Instruction[];
}

/** Instructions, line by line: `\` joins continuation lines, and comments inside them are dropped, as Docker does. */
function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#') || (!line && !pending)) continue;
    const continued = line.endsWith('\\');
    pending += (pending ? ' ' : '') + (continued ? line.slice(0, -1).trim() : line);
    if (continued) continue;
    const [, keyword, args] = /^(\S+)\s*(.*)$/s.exec(pending)!;
    instructions.push({ keyword: keyword.toUpperCase(), args });
    pending = '';
  }
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const base = image.replace(/\$\{?(\w+)\}?/g, (_, arg: string) => globalArgs[arg] ?? '');
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : null, base, instructions: [] });
    } else if (stages.length) stages[stages.length - 1].instructions.push(instruction);
    else if (instruction.keyword === 'ARG') {
      const [arg, value = ''] = instruction.args.split('=');
      globalArgs[arg] = value;
    }
  }
  return stages;
}

/** The stage and the stages it is built FROM, nearest first. */
function lineage(stages: readonly Stage[], stage: Stage): Stage[] {
  const parent = stages.find((s) => s.name === stage.base);
  return parent ? [stage, ...lineage(stages, parent)] : [stage];
}
const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const npmCi = (command: string) => command.match(/npm ci[^&;|]*/g) ?? [];
const words = (args: string) => args.split(/\s+/);

/** COPY's flags and paths: `COPY --from=build /app/dist ./dist` → { from: 'build', sources: ['/app/dist'], dest: './dist' }. */
function copies(stage: Stage) {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const all = words(i.args);
      const flags = Object.fromEntries(
        all.filter((w) => w.startsWith('--')).map((w) => w.slice(2).split('=') as [string, string]),
      );
      const paths = all.filter((w) => !w.startsWith('--'));
      return { from: flags.from as string | undefined, sources: paths.slice(0, -1), dest: paths[paths.length - 1] };
    });
}

/** ENV key=value pairs (several per line allowed; values here have no spaces or quotes). */
function env(stage: Stage): Record<string, string> {
  const pairs = stage.instructions.filter((i) => i.keyword === 'ENV').flatMap((i) => words(i.args));
  return Object.fromEntries(pairs.map((pair) => pair.split('=') as [string, string]));
}

/** A JSON exec form (`["node", "…"]`) as an argv; a shell form as `sh -c`. */
function argv(form: string): string[] {
  return form.trim().startsWith('[') ? (JSON.parse(form) as string[]) : ['sh', '-c', form];
}

/** Runs a container health probe on this machine, with `node` on the PATH, and returns its exit code. */
function probe(command: readonly string[], vars: Record<string, string>): Promise<number> {
  const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  return new Promise((resolve) => {
    execFile(command[0], command.slice(1), { env: { ...process.env, ...vars, PATH }, timeout: 15_000 }, (error) =>
      resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0),
    );
  });
}

/** A stand-in for the gateway: `status` at /healthz, 404 anywhere else. */
async function healthServer(status: number): Promise<{ port: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? status : 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: String((server.address() as AddressInfo).port),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Exit codes of a health probe against a healthy server, an unhealthy one, and nothing listening. */
async function probeOutcomes(command: readonly string[], portVariable: string) {
  const outcomes: Record<'healthy' | 'unhealthy' | 'down', number> = { healthy: -1, unhealthy: -1, down: -1 };
  for (const [key, status] of [
    ['healthy', 200],
    ['unhealthy', 503],
  ] as const) {
    const server = await healthServer(status);
    outcomes[key] = await probe(command, { [portVariable]: server.port });
    await server.close();
  }
  const gone = await healthServer(200);
  await gone.close();
  outcomes.down = await probe(command, { [portVariable]: gone.port });
  return outcomes;
}

const stages = parseDockerfile(read('Dockerfile'));
const runtime = stages[stages.length - 1];
const runtimeLine = lineage(stages, runtime);
const last = (keyword: string) => runtimeLine.flatMap((s) => s.instructions.filter((i) => i.keyword === keyword))[0];

describe('Dockerfile: a multi-stage image that runs the built gateway', () => {
  const build = stages.find((s) => s.name === 'build');

  it('compiles in a build stage and runs from a separate slim runtime stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    expect(lineage(stages, build!).flatMap(runs).join('\n')).toMatch(/npm run build/);
    expect(runtimeLine).not.toContain(build);
    expect(runtimeLine[runtimeLine.length - 1].base).toMatch(/^node:\d+.*-slim$/);
    expect(runtimeLine.flatMap(runs).join('\n')).not.toMatch(/npm run build|\btsc\b/);
  });

  it('installs production dependencies only in the runtime image', () => {
    const fromStages = (predicate: (dest: string, sources: string[]) => boolean) =>
      runtimeLine.flatMap(copies).filter((c) => c.from && predicate(c.dest, c.sources));
    const modules = fromStages(
      (dest, sources) => /node_modules\/?$/.test(dest) || sources.some((s) => s.includes('node_modules')),
    );
    const installers = [
      ...runtimeLine,
      ...modules.flatMap((c) =>
        lineage(
          stages,
          stages.find((s) => s.name === c.from)!,
        ),
      ),
    ];
    const installs = installers.flatMap(runs).flatMap(npmCi);
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toMatch(/--omit=dev\b/);
    expect(installers).not.toContain(build);
  });

  it('copies the compiled dist/ from the build stage', () => {
    const dist = runtimeLine.flatMap(copies).filter((c) => c.sources.some((s) => /(^|\/)dist\/?$/.test(s)));
    expect(dist.map((c) => c.from)).toEqual(['build']);
  });

  it('runs as an unprivileged user with the container defaults and a /data volume it owns', () => {
    const user = last('USER') ?? { args: 'root' };
    expect(user.args).not.toMatch(/^(root|0)(:|$)/);
    expect(env(runtime)).toEqual(
      expect.objectContaining({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '4000', DATA_DIR: '/data' }),
    );
    expect(runtime.instructions.filter((i) => i.keyword === 'VOLUME').map((i) => i.args)).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/data\b/)]),
    );
    expect(runs(runtime).join('\n')).toMatch(new RegExp(`chown[^\\n]*\\b${user.args.split(':')[0]}\\b[^\\n]*/data`));
    expect(runtime.instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args)).toContain(env(runtime).PORT);
  });

  it("starts the built entry point with node, as `npm start` does, without npm's build-if-needed step", () => {
    const cmd = argv(last('CMD').args);
    expect(cmd).toEqual(pkg.scripts.start.split(' '));
    expect(cmd.slice(0, 2)).toEqual(['node', pkg.main]);
  });

  it('reports healthy only while /healthz answers 200 on PORT', async () => {
    const healthcheck = last('HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/\/healthz/);
    const command = argv(healthcheck!.args.slice(healthcheck!.args.indexOf('CMD') + 3));
    expect(command).not.toContain('curl');
    expect(await probeOutcomes(command, 'PORT')).toEqual({ healthy: 0, unhealthy: 1, down: 1 });
  }, 60_000);

  it('keeps local and generated files out of the build context', () => {
    const ignored = read('.dockerignore')
      .split(/\r?\n/)
      .map((line) =>
        line
          .trim()
          .replace(/^(\.\/|\*\*\/)/, '')
          .replace(/\/$/, ''),
      )
      .filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git']));
  });
});

/** Docker does not run on our machines: the compose file's structure is checked instead (the same topology runs as processes in scale-out.test.ts). */
describe('docker-compose.yml: the scale-out deployment', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true });
  const services: Record<string, any> = compose.services;
  const built = Object.entries(services).filter(([, s]) => s.build !== undefined);
  // Gateways run the image's own CMD; the sandbox overrides it with the simulators' entry point.
  const gateways = built.filter(([, s]) => s.command === undefined);

  it('has MySQL 8, Redis and the shared sandbox', () => {
    expect(services.mysql.image).toMatch(/^mysql:8/);
    expect(services.redis.image).toMatch(/^redis:/);
    expect(services.sandbox.build).toBeDefined();
    expect(services.sandbox.command).toEqual(pkg.scripts.sandbox.split(' '));
  });

  it('runs the image built from this repository rather than mounting the source into node', () => {
    expect(built.map(([name]) => name).sort()).toEqual([...gateways.map(([name]) => name), 'sandbox'].sort());
    for (const [, service] of built) {
      const context = typeof service.build === 'string' ? service.build : service.build.context;
      expect(path.resolve(ROOT, context)).toBe(ROOT);
    }
    for (const [name, service] of Object.entries(services)) {
      expect([name, service.image ?? '']).not.toEqual([name, expect.stringMatching(/^node(:|$)/)]);
      const sources = (service.volumes ?? []).map((v: string | { source?: string }) =>
        typeof v === 'string' ? v.split(':')[0] : (v.source ?? ''),
      );
      for (const source of sources) {
        // Only named volumes and single files of deploy/ (nginx.conf) come from outside the image.
        if (!/^[./~]/.test(source)) continue;
        expect([name, path.relative(ROOT, path.resolve(ROOT, source))]).toEqual([
          name,
          expect.stringMatching(/^deploy\/./),
        ]);
      }
    }
  });

  it('listens on every interface inside the containers (the server defaults to 127.0.0.1)', () => {
    for (const [name, service] of built) expect([name, service.environment?.HOST]).toEqual([name, '0.0.0.0']);
  });

  it('checks the sandbox through its own /healthz on SANDBOX_PORT', async () => {
    const test: string[] = services.sandbox.healthcheck.test;
    expect(test[0]).toBe('CMD');
    expect(await probeOutcomes(test.slice(1), 'SANDBOX_PORT')).toEqual({ healthy: 0, unhealthy: 1, down: 1 });
  }, 60_000);

  it('runs two gateway replicas on that MySQL, Redis and sandbox, with one shared webhook secret', () => {
    expect(gateways.length).toBe(2);
    for (const [, gateway] of gateways) {
      expect(gateway.environment.DATABASE_URL).toMatch(/^mysql:\/\/[^@]+@mysql:3306\//);
      expect(gateway.environment.REDIS_URL).toBe('redis://redis:6379');
      expect(gateway.environment.SANDBOX_URL).toBe(`http://sandbox:${services.sandbox.environment.SANDBOX_PORT}`);
      expect(gateway.environment.PUBLIC_URL).toBe('http://entry');
      expect(Object.keys(gateway.depends_on)).toEqual(expect.arrayContaining(['mysql', 'redis', 'sandbox']));
    }
    expect(new Set(gateways.map(([, g]) => g.environment.WEBHOOK_SECRET)).size).toBe(1);
  });

  it('puts both replicas behind one entry point that also proxies WebSocket upgrades', () => {
    const nginx = read('deploy/nginx.conf');
    for (const [name, gateway] of gateways) expect(nginx).toContain(`server ${name}:${gateway.environment.PORT};`);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    expect(services.entry.volumes.join()).toContain('deploy/nginx.conf');
    expect(services.entry.ports).toEqual(['4000:80']);
  });
});
