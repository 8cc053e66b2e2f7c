import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

interface Sample {
  readonly file: string;
  readonly code: string;
}
interface Finding {
  readonly ruleId: string | null;
  readonly message: string;
}

/**
 * Lints source text as if it sat at `file`, with the repository's eslint.config.mjs. ESLint loads
 * that ES module config with import(), which jest's CommonJS sandbox cannot run, so a child node does it.
 */
function lint(samples: readonly Sample[]): Finding[][] {
  const script = `
    import { ESLint } from 'eslint';
    const eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: 'eslint.config.mjs' });
    const out = [];
    for (const { file, code } of JSON.parse(process.env.SAMPLES)) {
      const [result] = await eslint.lintText(code, { filePath: file });
      out.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, SAMPLES: JSON.stringify(samples.map((s) => ({ ...s, file: path.join(ROOT, s.file) }))) },
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as Finding[][];
}

const boundaryErrors = (findings: Finding[]) => findings.filter((f) => f.ruleId === 'boundaries/dependencies');

describe('eslint.config.mjs: the layering of src/ (STYLE.md)', () => {
  const cases: Array<Sample & { allowed: boolean }> = [
    {
      file: 'src/domain/zz-lint-probe.ts',
      code: "import { AccountService } from '../services/accounts/account.service';\nexport const probe = AccountService;\n",
      allowed: false,
    },
    {
      file: 'src/domain/zz-lint-probe.ts',
      code: "import { money } from './money';\nexport const probe = money;\n",
      allowed: true,
    },
    {
      file: 'src/services/zz-lint-probe.ts',
      code: "import { money } from '../domain/money';\nexport const probe = money;\n",
      allowed: true,
    },
    {
      file: 'src/services/zz-lint-probe.ts',
      code: "import type { Config } from '../config';\nexport type Probe = Config;\n",
      allowed: true,
    },
    {
      file: 'src/services/zz-lint-probe.ts',
      code: "import { loadConfig } from '../config';\nexport const probe = loadConfig;\n",
      allowed: false,
    },
    {
      file: 'src/services/zz-lint-probe.ts',
      code: "import { createApp } from '../app/create-app';\nexport const probe = createApp;\n",
      allowed: false,
    },
    {
      file: 'src/sandbox/zz-lint-probe.ts',
      code: "import { createRegistry } from '../providers/registry';\nexport const probe = createRegistry;\n",
      allowed: false,
    },
    {
      file: 'src/http/zz-lint-probe.ts',
      code: "import { PlanResolver } from '../graphql/resolvers/plan.resolver';\nexport const probe = PlanResolver;\n",
      allowed: false,
    },
    {
      file: 'src/providers/comium/zz-lint-probe.ts',
      code: "import { EsimAccessAdapter } from '../esimaccess/esimaccess.adapter';\nexport const probe = EsimAccessAdapter;\n",
      allowed: false,
    },
  ];
  let results: Finding[][];
  beforeAll(() => {
    results = lint(cases);
  }, 120_000);

  it('loads without configuration errors', () => {
    const fatal = results.flat().filter((f) => f.ruleId === null);
    expect(fatal).toEqual([]);
  });

  it.each(cases.map((c, i) => [c.allowed ? 'allows' : 'rejects', c.file, c.code.split('\n')[0], i] as const))(
    '%s, in %s: %s',
    (verdict, _file, _line, i) => {
      const errors = boundaryErrors(results[i]);
      if (verdict === 'allows') expect(errors).toEqual([]);
      else expect(errors).toEqual([expect.objectContaining({ ruleId: 'boundaries/dependencies' })]);
    },
  );
});
