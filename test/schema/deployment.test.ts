import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');

/** Docker does not run on our machines: the compose file's structure is checked instead (the same topology runs as processes in scale-out.test.ts). */
describe('docker-compose.yml: the scale-out deployment', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
  const services: Record<string, any> = compose.services;
  const gateways = Object.entries(services).filter(([, s]) => s.command?.join(' ') === 'npm start');

  it('has MySQL 8, Redis and the shared sandbox', () => {
    expect(services.mysql.image).toMatch(/^mysql:8/);
    expect(services.redis.image).toMatch(/^redis:/);
    expect(services.sandbox.command.join(' ')).toBe('npm run sandbox');
  });

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
    const nginx = fs.readFileSync(path.join(ROOT, 'deploy', 'nginx.conf'), 'utf8');
    for (const [name, gateway] of gateways) expect(nginx).toContain(`server ${name}:${gateway.environment.PORT};`);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    expect(services.entry.volumes.join()).toContain('deploy/nginx.conf');
    expect(services.entry.ports).toEqual(['4000:80']);
  });
});
