// `pvlab generate [--seed N] [--difficulty easy|hard|expert] [--daily [--date YYYY-MM-DD]] [--json|--out file]`:
// a generated level (src/sim/generate/). Without --json or --out it prints how to play it;
// the level is also reachable by its id alone (`pvlab play gen-hard-42`), since the id
// regenerates it. The output carries no answer: no reference, no placement.
import { randomInt } from 'node:crypto';
import { writeFileAtomic } from '../io/atomic.js';
import { InputError, fsReason } from '../io/errors.js';
import { parseLevel } from '../io/schema.js';
import { terminalSafeJson } from '../io/sanitize.js';
import {
  DAILY_DIFFICULTY, DIFFICULTIES, GenerateError, dailyLevel, generateLevel, isDate, levelJson, utcDate,
  type Difficulty, type Generated,
} from '../sim/generate/index.js';

export interface GenerateCommandOptions {
  seed?: number;
  difficulty?: string;
  daily?: boolean;
  date?: string;
  json?: boolean;
  out?: string;
}

function generate(o: GenerateCommandOptions): Generated {
  if (o.json && o.out) throw new InputError('give --json or --out, not both');
  if (o.date !== undefined && !o.daily) throw new InputError('--date goes with --daily');
  if (o.daily) {
    if (o.seed !== undefined || o.difficulty !== undefined) throw new InputError(`--daily takes no --seed or --difficulty (the date gives both; the daily level is ${DAILY_DIFFICULTY})`);
    const date = o.date ?? utcDate(Date.now());
    if (!isDate(date)) throw new InputError(`--date '${date.slice(0, 40)}' is not a calendar date YYYY-MM-DD`);
    return dailyLevel(date);
  }
  const difficulty = o.difficulty ?? 'easy';
  if (!(DIFFICULTIES as readonly string[]).includes(difficulty)) throw new InputError(`--difficulty '${difficulty.slice(0, 40)}' is not one of ${DIFFICULTIES.join(', ')}`);
  return generateLevel({ seed: o.seed ?? randomInt(0, 0x100000000), difficulty: difficulty as Difficulty });
}

export function generateCommand(o: GenerateCommandOptions): number {
  let g: Generated;
  try {
    g = generate(o);
  } catch (err) {
    if (err instanceof GenerateError) throw new InputError(err.message);
    throw err;
  }
  const text = levelJson(g.level);
  // the level must load like any level file: the schema is the judge
  parseLevel(JSON.parse(text), g.level.id);
  if (o.json) {
    process.stdout.write(text);
    return 0;
  }
  if (o.out) {
    try {
      writeFileAtomic(o.out, text);
    } catch (err) {
      throw new InputError(`${o.out}: cannot write the level (${fsReason(err)})`);
    }
    process.stdout.write(`${o.out}: ${terminalSafeJson(g.level.title).slice(1, -1)} (id ${g.level.id})\n`);
    return 0;
  }
  const m = g.measure;
  process.stdout.write([
    `${g.level.id}: ${g.level.title}`,
    `  ${m.placements} placements, ${m.considered} a player would consider, ${m.consideredMeetingPar} of those meet every par (${(100 * m.consideredShare).toFixed(1)}%)`,
    `  play it: pvlab play ${g.level.id}   save it: pvlab generate ${o.daily ? `--daily --date ${g.level.id.slice('daily-'.length)}` : `--seed ${g.seed} --difficulty ${g.difficulty}`} --out ${g.level.id}.json`,
  ].join('\n') + '\n');
  return 0;
}
