import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { runCliInProcess } from '../support/processes.ts';

// The production guide names commands, variables and metrics an operator will type or alert on: each
// must exist in the code, so that a renamed one breaks this test rather than someone's night.
const ROOT = path.resolve(import.meta.dirname, '../..');
const guide = fs.readFileSync(path.join(ROOT, 'docs/production.md'), 'utf8');
const configSource = fs.readFileSync(path.join(ROOT, 'src/config.ts'), 'utf8');

describe('the production guide (docs/production.md)', () => {
  it('names only command-line commands that exist', async () => {
    const commands = new Set(
      [...guide.matchAll(/npm run -s cli -- ([a-z-]+) ([a-z-]+)/g)].map((m) => `${m[1]} ${m[2]}`),
    );
    assert.ok(commands.size >= 7, [...commands].join(', '));
    const help = await runCliInProcess(['--help'], {});
    for (const command of commands) assert.ok(help.stdout.includes(`  ${command}`), command);
  });

  it('names only environment variables the configuration reads, and its examples are valid', () => {
    const names = new Set(
      [...guide.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)]
        .map((m) => m[1] as string)
        .filter((n) => n !== 'SIGTERM'),
    );
    assert.ok(names.size >= 20);
    for (const name of names) assert.match(configSource, new RegExp(`\\n  ${name}: z`), name);
    const example = /```sh\n(DATABASE_URL=[\s\S]*?)```/.exec(guide)?.[1] ?? '';
    const env = Object.fromEntries(
      example
        .trim()
        .split('\n')
        .map((line) => /^([A-Z_]+)="(.*)"$/.exec(line))
        .map((m) => [m?.[1], m?.[2]]),
    );
    assert.ok(Object.keys(env).length >= 10);
    const config = loadConfig(env);
    assert.equal(config.publicUrl, 'https://maillage.example.org');
    assert.equal(config.publicUrlIsPublic, true);
  });

  it('names only metrics the servers publish', () => {
    const published = [
      fs.readFileSync(path.join(ROOT, 'src/shared/metrics.ts'), 'utf8'),
      fs.readFileSync(path.join(ROOT, 'src/ops/ops.routes.tsx'), 'utf8'),
    ].join('\n');
    const metrics = new Set(
      [...guide.matchAll(/`((?:maillage|process)_[a-z_]+)/g)].map((m) => m[1] as string),
    );
    assert.ok(metrics.size >= 9);
    for (const metric of metrics) assert.ok(published.includes(metric), metric);
  });
});
