// Sealed workshop entries: a solution encrypted to the trainer's public key, so the other
// players (who share the repository) cannot read it, and authenticated, so nobody can
// change one unnoticed. node:crypto only: X25519 key agreement with a fresh key per entry,
// HKDF-SHA256, AES-256-GCM; the envelope's clear fields (workshop id, level, player, the
// ephemeral key) are the GCM additional data, so changing any of them breaks the seal.
//
// A sealed file (JSON, in players/<name>/sealed/):
//   { format: 'pvlab-sealed@1', workshop: <key id>, level, player, epk, iv, tag, data }
// `epk`, `iv`, `tag`, `data` are base64; `data` decrypts to a pvlab-solution@1 document.
import {
  createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman,
  generateKeyPairSync, hkdfSync, randomBytes, type KeyObject,
} from 'node:crypto';
import { InputError } from './errors.js';
import { sanitizeLine } from './sanitize.js';
import { parseSolution, type Solution } from './schema.js';

export const SEALED_FORMAT = 'pvlab-sealed@1';
const INFO = Buffer.from(SEALED_FORMAT);

export interface SealedEnvelope {
  format: typeof SEALED_FORMAT;
  /** the id of the workshop key it is sealed to */
  workshop: string;
  level: string;
  player: string;
  epk: string;
  iv: string;
  tag: string;
  data: string;
}

/** The id of a public key: the first 16 hex digits of the SHA-256 of its DER (SPKI) form. */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** A new workshop key pair (X25519), as PEM, and its id. */
export function newWorkshopKeys(): { publicPem: string; privatePem: string; id: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    id: keyId(publicKey),
  };
}

/** An X25519 key from PEM text through `make`, or an InputError naming `source` and what was expected. */
function x25519(make: (pem: string) => KeyObject, pem: string, source: string, what: string): KeyObject {
  let k: KeyObject | undefined;
  try { k = make(pem); } catch { /* not a key: said below */ }
  if (k?.asymmetricKeyType !== 'x25519') throw new InputError(`${source}: not ${what}`);
  return k;
}

/** A public key from PEM text, or an InputError naming `source`. */
export function publicKeyOf(pem: string, source: string): KeyObject {
  return x25519(createPublicKey, pem, source, 'an X25519 public key (PEM)');
}

/** A private key from PEM text, or an InputError naming `source`. */
export function privateKeyOf(pem: string, source: string): KeyObject {
  return x25519(createPrivateKey, pem, source, 'a pvlab workshop private key (X25519, PEM)');
}

function aad(e: Pick<SealedEnvelope, 'workshop' | 'level' | 'player' | 'epk'>): Buffer {
  return Buffer.from(JSON.stringify([SEALED_FORMAT, e.workshop, e.level, e.player, e.epk]));
}

function keyFor(shared: Buffer, epk: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, epk, INFO, 32));
}

/** Seal a solution for a workshop's public key, as `player`. */
export function seal(solution: Solution, player: string, publicKey: KeyObject): SealedEnvelope {
  const eph = generateKeyPairSync('x25519');
  const epkDer = eph.publicKey.export({ type: 'spki', format: 'der' });
  const key = keyFor(diffieHellman({ privateKey: eph.privateKey, publicKey }), epkDer);
  const iv = randomBytes(12);
  const head = { workshop: keyId(publicKey), level: solution.level, player, epk: epkDer.toString('base64') };
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(head));
  const data = Buffer.concat([cipher.update(JSON.stringify(solution), 'utf8'), cipher.final()]);
  return { format: SEALED_FORMAT, ...head, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Whether a parsed JSON value claims to be a sealed entry. */
export function isSealed(v: unknown): boolean {
  return !!v && typeof v === 'object' && (v as { format?: unknown }).format === SEALED_FORMAT;
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The envelope's fields, checked (shape only), or an InputError naming `source`. */
export function parseEnvelope(v: unknown, source: string): SealedEnvelope {
  const o = v as Record<string, unknown>;
  const keys = ['format', 'workshop', 'level', 'player', 'epk', 'iv', 'tag', 'data'];
  const extra = Object.keys(o).find((k) => !keys.includes(k));
  if (extra) throw new InputError(`${source}: sealed entry has an unknown field '${sanitizeLine(extra).slice(0, 40)}'`);
  for (const k of keys) {
    if (typeof o[k] !== 'string') throw new InputError(`${source}: sealed entry lacks '${k}'`);
  }
  for (const k of ['epk', 'iv', 'tag', 'data']) {
    if (!B64.test(o[k] as string)) throw new InputError(`${source}: sealed entry's '${k}' is not base64`);
  }
  return o as unknown as SealedEnvelope;
}

/**
 * Open a sealed entry with the workshop's private key: the solution inside, or an
 * InputError (sealed to another workshop; tampered with; not a solution inside).
 */
export function openSealed(v: unknown, privateKey: KeyObject, source: string): { solution: Solution; player: string } {
  const e = parseEnvelope(v, source);
  const id = keyId(createPublicKey(privateKey));
  if (e.workshop !== id) throw new InputError(`${source}: sealed to workshop key ${sanitizeLine(e.workshop).slice(0, 20)}, not to this key (${id})`);
  let plain: string;
  try {
    const epk = Buffer.from(e.epk, 'base64');
    const key = keyFor(diffieHellman({ privateKey, publicKey: createPublicKey({ key: epk, format: 'der', type: 'spki' }) }), epk);
    const tag = Buffer.from(e.tag, 'base64');
    // a shortened tag would weaken the check: only the full 16 bytes are accepted
    if (tag.length !== 16) throw new Error('short tag');
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(e.iv, 'base64'), { authTagLength: 16 });
    d.setAAD(aad(e));
    d.setAuthTag(tag);
    plain = Buffer.concat([d.update(Buffer.from(e.data, 'base64')), d.final()]).toString('utf8');
  } catch {
    throw new InputError(`${source}: sealed entry does not open: it was changed after sealing (or is damaged)`);
  }
  let inner: unknown;
  try {
    inner = JSON.parse(plain);
  } catch {
    throw new InputError(`${source}: sealed entry holds no JSON`);
  }
  const solution = parseSolution(inner, source);
  if (solution.level !== e.level) throw new InputError(`${source}: sealed entry's level does not match its content`);
  return { solution, player: e.player };
}
