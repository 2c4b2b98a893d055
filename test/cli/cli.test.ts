// The command line end to end: most cases in process through main(), the same contract
// as the binary; a few spawned smoke tests of the built binary (test/helpers/cli.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, ROOT, pvlab as run, spawnPvlab } from '../helpers/cli.js';

const root = ROOT;
const cli = CLI;
const fx = (f: string) => join(FIXTURES, f);
const LEVEL = fx('level-swap.json');

async function pvlab(...args: string[]) {
  const r = await run(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('pvlab (built binary, spawned)', () => {
  it('--version, --help, and a run with its exit code', async () => {
    const v = await spawnPvlab(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    const h = await spawnPvlab(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('verify');
    // the option help lists the ids the parser accepts (one list for both)
    const runHelp = await pvlab('run', '--help');
    expect(runHelp.out).toMatch(/--kernel <era> +kernel era \(with --sandbox\) \(choices: "5\.7", "6\.5"\)/);
    expect(runHelp.out.replace(/\s+/g, ' ')).toContain('kvm_fault, host_refs, swap, malicious_qemu');
    const fail = await spawnPvlab(['run', LEVEL, '--solution', fx('swap-none.solution.json'), '--json']);
    expect(fail.code).toBe(1);
    expect(JSON.parse(fail.stdout).passed).toBe(false);
    const bad = await spawnPvlab(['run', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("pvlab: unknown option '--bogus'\n");
  });

  it('the headless entry never imports the UI statically', () => {
    const src = readFileSync(cli, 'utf8');
    expect(src).not.toMatch(/^import .*['"](ink|react)['"]/m);
  });
});

describe('pvlab (in process)', () => {
  it('run: exit 0 on a pass, 1 on a fail, with the JSON contract', async () => {
    // the solution's `level` names the campaign level; only its sites are checked against this file
    const pass = await pvlab('run', LEVEL, '--solution', fx('swap-ptep.solution.json'), '--json');
    expect(pass.err).toBe('');
    expect(pass.code).toBe(0);
    const j = JSON.parse(pass.out);
    expect(j.level).toBe('fixture-swap');
    expect(j.passed).toBe(true);
    for (const k of ['ioErrors', 'fatalIoErrors', 'crashes', 'exports', 'imports', 'wastedExports', 'hooks', 'guestStall', 'cost']) {
      expect(typeof j.metrics[k]).toBe('number');
    }
    expect(j.workloads.swap.exports).toBeGreaterThan(0);

    const fail = await pvlab('run', LEVEL, '--solution', fx('swap-none.solution.json'), '--json');
    expect(fail.code).toBe(1);
    const f = JSON.parse(fail.out);
    expect(f.passed).toBe(false);
    expect(f.counterexample.trace.length).toBeGreaterThan(0);
    expect(f.counterexample.trace.at(-1).outcome).toBe('fatal-io-error');
  });

  it('the same seed gives byte-identical JSON', async () => {
    const a = await pvlab('run', '--sandbox', '--arch', 's390-pv', '--kernel', '5.7', '--device', 'pci',
      '--workloads', 'kvm_fault,malicious_qemu,sendfile', '--seed', '42', '--json');
    const b = await pvlab('run', '--sandbox', '--arch', 's390-pv', '--kernel', '5.7', '--device', 'pci',
      '--workloads', 'kvm_fault,malicious_qemu,sendfile', '--seed', '42', '--json');
    expect(a.code).toBe(1);
    expect(a.out).toBe(b.out);
    expect(a.out).not.toMatch(/"(ms|time|elapsed|duration)"/);
  });

  it('verify: visible and hidden seeds, stars against par', async () => {
    const v = await pvlab('verify', LEVEL, '--solution', fx('swap-ptep.solution.json'), '--json');
    expect(v.code).toBe(0);
    const j = JSON.parse(v.out);
    expect(j.seeds).toHaveLength(6);
    expect(j.seeds.filter((s: { hidden: boolean }) => s.hidden)).toHaveLength(4);
    expect(j.stars).toBe(3);
    const human = await pvlab('verify', LEVEL, '--solution', fx('swap-none.solution.json'));
    expect(human.code).toBe(1);
    expect(human.out).toContain('FAIL');
    expect(human.out).toContain('counterexample');
  });

  it('bad input: one line on stderr, exit 2, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pvlab-cli-'));
    dirs.push(dir);
    const badJson = join(dir, 'bad.json');
    writeFileSync(badJson, '{"format": "pvlab-solution@1", ');
    const badSite = join(dir, 'site.json');
    writeFileSync(badSite, JSON.stringify({ format: 'pvlab-solution@1', level: 'x', name: 'n', hooks: [{ site: 'gup_turbo' }] }));
    const badWhen = join(dir, 'when.json');
    writeFileSync(badWhen, JSON.stringify({ format: 'pvlab-solution@1', level: 'x', name: 'n', hooks: [{ site: 'writeback', when: 'pin' }] }));
    const notOffered = join(dir, 'offer.json');
    writeFileSync(notOffered, JSON.stringify({ format: 'pvlab-solution@1', level: 'x', name: 'n', hooks: [{ site: 'splice' }] }));
    const badLevel = join(dir, 'level.json');
    writeFileSync(badLevel, JSON.stringify({ ...JSON.parse(readFileSync(LEVEL, 'utf8')), workloads: [{ kind: 'kvm_fault' }, { kind: 'fork_bomb' }] }));
    const cases: [string[], RegExp][] = [
      [['run', '--bogus'], /unknown option '--bogus'/],
      [['frobnicate'], /unknown command/],
      [['run', LEVEL, '--solution', join(dir, 'missing.json')], /missing\.json: no such file/],
      [['run', LEVEL, '--solution', badJson], /bad\.json: not valid JSON/],
      [['run', LEVEL, '--solution', badSite], /site\.json: hook site 'gup_turbo' is unknown to this pvlab \(renamed or removed\?\); the sites are gup_fast, /],
      [['run', LEVEL, '--solution', badWhen], /when\.json: hooks\[0\]\.when: site 'writeback' takes no 'when'/],
      [['run', LEVEL, '--solution', notOffered], /does not offer site 'splice'/],
      // every refusal names the value it got
      [['run', badLevel], /level\.json: workloads\[1\]\.kind: 'fork_bomb' is not one of kvm_fault, /],
      [['run', 'no-such-level'], /unknown level 'no-such-level'/],
      [['run', LEVEL, '--seed', 'abc'], /option '--seed <n>' argument 'abc' is invalid\. It must be a whole number from 0 to 4294967295\.\n/],
      [['run', LEVEL, '--seed', '4294967296'], /argument '4294967296' is invalid\. It must be a whole number/],
      [['run', '--sandbox', '--arch', 's390-pv', '--kernel', '4.0', '--device', 'ccw', '--workloads', 'swap'], /option '--kernel <era>' argument '4\.0' is invalid\. Allowed choices are 5\.7, 6\.5\.\n/],
      [['run', '--sandbox', '--arch', 'arm', '--kernel', '6.5', '--device', 'ccw', '--workloads', 'swap'], /argument 'arm' is invalid\. Allowed choices are s390-pv, sev-snp, tdx, cca, guest-memfd\./],
      [['run', '--sandbox', '--arch', 's390-pv', '--kernel', '6.5', '--device', 'ccw', '--workloads', 'swap,nope'], /argument 'swap,nope' is invalid\. Unknown workload 'nope' \(known: kvm_fault, /],
      [['run', '--sandbox', '--arch', 's390-pv', '--kernel', '6.5', '--device', 'ccw', '--workloads', 'swap,swap'], /'swap' is listed twice/],
      [['run', '--sandbox', '--arch', 's390-pv', '--kernel', '6.5', '--workloads', 'swap'], /--sandbox needs --device \(ccw\|pci\)/],
      // a machine that never existed ([A6])
      [['run', '--sandbox', '--arch', 'guest-memfd', '--kernel', '5.7', '--device', 'pci', '--workloads', 'swap'], /^pvlab: guest-memfd needs kernel 6\.5: guest_memfd came with 6\.8\n$/],
      [['run', '--sandbox', '--arch', 'sev-snp', '--kernel', '6.5', '--device', 'ccw', '--workloads', 'swap'], /^pvlab: sev-snp has no ccw device: channel I\/O \(virtio-ccw\) is s390's alone; use pci\n$/],
      [['run', '--sandbox', '--arch', 's390-pv', '--kernel', '6.5', '--device', 'ccw', '--workloads', 'swap', '--pages', '0'], /option '--pages <n>' argument '0' is invalid\. It must be a whole number from 1 to 4194304\./],
      [['verify', LEVEL], /required option '--solution/],
    ];
    for (const [args, re] of cases) {
      const r = await pvlab(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(re);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });
});
