// Rule: memory stays bounded by what a level's size implies, not by the length of its
// run (docs/files.md, "Memory"). The counterexample's recording keeps the last
// RECORD_LIMIT scheduler choices in typed arrays, its trace covers the last TRACE_LIMIT
// choices, and whole-run evidence is counted as it happens. A level at the schema's limits
// (one page, the most touches the work bound accepts, teardown) is run in a child process
// whose peak memory is measured: it was about 1 GB while every choice was kept as an object.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS, LevelSchema, estimatedVerifyWork } from '../../src/io/schema.js';
import { ChoiceLog } from '../../src/sim/choicelog.js';
import { Engine } from '../../src/sim/engine.js';
import { RECORD_LIMIT, counterexample, reproduces, simulate } from '../../src/sim/run.js';
import type { Choice, SimConfig } from '../../src/sim/types.js';
import { runEvidence } from '../../src/sim/warnings.js';
import { CLI } from '../helpers/cli.js';

const choiceArb: fc.Arbitrary<Choice> = fc.oneof(
  fc.record({ t: fc.constant('guest' as const), page: fc.nat(LIMITS.pages), write: fc.boolean() }),
  fc.record({ t: fc.constant('step' as const), id: fc.nat(1 << 30) }),
  fc.record({ t: fc.constant('start' as const), id: fc.nat(1 << 30), w: fc.nat(15), page: fc.nat(LIMITS.pages), v: fc.nat(255) }),
  fc.record({ t: fc.constant('teardown' as const), page: fc.nat(LIMITS.pages) }),
);

describe('the choice log', () => {
  it('gives back every choice it was given, in order, when it has no limit', () => {
    fc.assert(fc.property(fc.array(choiceArb, { maxLength: 3000 }), (list) => {
      const log = new ChoiceLog();
      for (const c of list) log.push(c);
      expect(log.made).toBe(list.length);
      expect(log.toArray()).toEqual(list);
    }), { numRuns: 50 });
  });

  it('keeps only the last `limit` choices, oldest first, however many are made', () => {
    fc.assert(fc.property(fc.array(choiceArb, { maxLength: 400 }), fc.integer({ min: 1, max: 100 }), (list, limit) => {
      const log = new ChoiceLog(limit);
      for (const c of list) log.push(c);
      expect(log.made).toBe(list.length);
      expect(log.kept).toBe(Math.min(limit, list.length));
      expect(log.toArray()).toEqual(list.slice(Math.max(0, list.length - limit)));
    }), { numRuns: 100 });
  });
});

const onePage = (touches: number): SimConfig => ({
  arch: 's390-pv', kernel: '6.5', device: 'ccw', pages: 1, shared: 0,
  workloads: [{ kind: 'kvm_fault', touches }, { kind: 'teardown' }],
});

describe('counterexamples of long runs', () => {
  it('a run longer than RECORD_LIMIT choices: the schedule comes from its last RECORD_LIMIT, says so, and reproduces the failure', () => {
    const cfg = onePage(RECORD_LIMIT + 1000);
    const cx = counterexample(cfg, [], 1);
    expect(cx).not.toBeNull();
    expect(cx!.truncated).toEqual({ last: RECORD_LIMIT, of: RECORD_LIMIT + 1001 });
    expect(cx!.failure.kind).toBe('freed-secure');
    expect(reproduces(cfg, [], cx!.schedule, cx!.failure)).toBe(true);
    expect(cx!.trace.at(-1)?.outcome).toBe('freed-secure');
  });

  it('a run within RECORD_LIMIT: recorded in full, nothing said about truncation', () => {
    const cx = counterexample(onePage(2000), [], 1);
    expect(cx).not.toBeNull();
    expect(cx!.truncated).toBeUndefined();
    expect(cx!.traceFrom).toBeUndefined();
  });

  it('traceFrom traces only the choices after it, and the failure still marks its event', () => {
    const cfg = onePage(50);
    const script: Choice[] = [...Array.from({ length: 50 }, (): Choice => ({ t: 'guest', page: 0, write: true })), { t: 'teardown', page: 0 }];
    const full = new Engine(cfg, [], 0, { stopAtFirstFailure: true, trace: true });
    full.replay(script);
    const late = new Engine(cfg, [], 0, { stopAtFirstFailure: true, trace: true, traceFrom: 49 });
    late.replay(script);
    expect(late.events!.length).toBeGreaterThan(0);
    expect(late.events!.every((e) => e.step > 49)).toBe(true);
    expect(late.events).toEqual(full.events!.filter((e) => e.step > 49));
    expect(late.events!.at(-1)?.outcome).toBe('freed-secure');
    expect(late.firstFailure).toEqual(full.firstFailure);
  });

  it('whole-run evidence is the same counted as it happens as from a kept trace', () => {
    const cfg: SimConfig = {
      arch: 's390-pv', kernel: '6.5', device: 'ccw', pages: 32, shared: 0.125,
      workloads: [{ kind: 'kvm_fault', touches: 400 }, { kind: 'swap', ops: 60 }, { kind: 'teardown' }],
    };
    const hooks = [{ site: 'writeback' as const }, { site: 'ptep_clear' as const, when: 'live' as const }];
    const ev = runEvidence(cfg, hooks, 3);
    const e = new Engine(cfg, hooks, 3, { trace: true });
    e.run();
    const kept = e.events!;
    expect(ev.writeback!.exported).toBe(kept.filter((x) => x.site === 'writeback' && x.action === 'export').length);
    expect(ev.ptep_clear!.destroyed).toBe(kept.filter((x) => x.site === 'ptep_clear' && x.action === 'destroy').length);
    expect(ev.writeback!.exported + ev.ptep_clear!.destroyed).toBeGreaterThan(0);
    // the run itself is the same with and without a trace
    expect(simulate(cfg, hooks, 3, { counterexample: false }).metrics).toEqual(e.totals());
  });
});

describe('a level at the limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvlab-memory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // one page, one seed, teardown: the most guest touches the schema's work bound accepts
  const level = (touches: number) => ({
    id: 'at-the-limits', title: 'At the limits', chapter: 1, briefing: 'The longest run a level may ask for.',
    arch: 's390-pv', kernel: '6.5', device: 'ccw', guest: { pages: 1, shared: 0 },
    workloads: [{ kind: 'kvm_fault', touches }, { kind: 'teardown' }],
    sites: ['ptep_clear', 'writeback'], seeds: { visible: [1], hidden: 0 },
  });
  const perTouch = estimatedVerifyWork(level(1)) - estimatedVerifyWork(level(0));
  const touches = Math.floor((LIMITS.eventsPerVerify - estimatedVerifyWork(level(0))) / perTouch);

  it('is accepted, and one touch more is refused', () => {
    expect(touches).toBeGreaterThan(7_000_000);
    expect(touches).toBeLessThanOrEqual(LIMITS.touches);
    expect(LevelSchema.safeParse(level(touches)).success).toBe(true);
    expect(LevelSchema.safeParse(level(touches + 1)).success).toBe(false);
  });

  it('rule: run with a failing solution (counterexample included) peaks under 250 MB in a child process', () => {
    const lv = join(dir, 'level.json');
    const sol = join(dir, 'none.json');
    writeFileSync(lv, JSON.stringify(level(touches)));
    writeFileSync(sol, JSON.stringify({ format: 'pvlab-solution@1', level: 'at-the-limits', name: 'none', hooks: [] }));
    // the child prints its own peak resident set (kB) as it exits
    const peak = "process.on('exit', () => process.stderr.write(`\\nmaxrss ${process.resourceUsage().maxRSS}\\n`));";
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(peak)}`, CLI, 'run', lv, '--solution', sol, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { passed: boolean; counterexample?: { truncated?: { last: number; of: number }; schedule: unknown[] } };
    expect(out.passed).toBe(false);
    expect(out.counterexample?.truncated).toEqual({ last: RECORD_LIMIT, of: touches + 1 });
    expect(out.counterexample!.schedule.length).toBeLessThan(10);
    const kb = Number(/maxrss (\d+)/.exec(r.stderr)?.[1]);
    expect(kb).toBeGreaterThan(0);
    expect(kb).toBeLessThan(250 * 1024);
  });
});
