#!/usr/bin/env python3
# Integrate campaign II into a checkout (cwd): texts, kinds, new levels, renumbering, solutions.
import json, os, re, shutil, subprocess, sys
D = os.path.dirname(os.path.abspath(__file__))
texts = json.load(open(f'{D}/texts.json'))
KINDS = {'sev-snp': 'refuse', 'tdx': 'refuse', 'tdx-copies': 'refuse', 'guest-memfd': 'nothing'}
# final order: (id, new-file-or-None)
ORDER = {
  1: ['swap-pressure','device-or-cpu','fast-gup','pin-or-get','msync','cpu-copies','sendfile-hole','production','challenge-copies'],
  2: ['kmap','dma-api','channel-io','block-layer','vm-normal-page','before-busy','odirect-5-7','challenge-pci'],
  3: ['teardown','fault-cost','hooks-or-faults','challenge-faults'],
  4: ['sev-snp','tdx','tdx-copies','guest-memfd','challenge-tdx'],
  5: ['review-kmap','review-v4','green-runs','challenge-bio'],
}
existing = {}
for f in sorted(os.listdir('levels')):
    if f.endswith('.json'):
        existing[json.load(open(f'levels/{f}'))['id']] = f
ids = [i for c in sorted(ORDER) for i in ORDER[c]]
def key_order(d):
    # keep the file's key order, placing new keys after 'chapterTitle'/'order'
    return d
n = 0
for c in sorted(ORDER):
    for lid in ORDER[c]:
        n += 1
        name = f'{n:02d}-{lid}.json'
        if lid in existing:
            src = f'levels/{existing[lid]}'
            d = json.load(open(src))
            if src != f'levels/{name}':
                subprocess.run(['git', 'mv', src, f'levels/{name}'], check=True)
            t = texts.get(lid, {})
            for old, new in t.get('briefing_replace', []):
                if old not in d['briefing']:
                    print(f'warning: {lid}: briefing text not found: {old[:60]}', file=sys.stderr)
                d['briefing'] = d['briefing'].replace(old, new)
            if 'hints' in t:
                d['hints'] = t['hints']
            if lid in KINDS:
                d['kind'] = KINDS[lid]
        else:
            d = json.load(open(f'{D}/new/{lid}.json'))
            for k in ('reference', 'naive'):
                shutil.copy(f'{D}/new/{lid}.{k}.json', f'test/solutions/{lid}.{k}.json')
        d['chapter'] = c
        d['order'] = n
        open(f'levels/{name}', 'w').write(json.dumps(d, indent=2, ensure_ascii=False) + '\n')
# production must not reward the opposite of fast-gup's lesson: mainline needs both GUP hooks
ref = 'test/solutions/production.reference.json'
sol = json.load(open(ref))
sol['hooks'] = [{'site': 'gup_fast', 'when': 'pin'}, {'site': 'gup_slow', 'when': 'pin'}, {'site': 'ptep_clear', 'when': 'any'}, {'site': 'splice'}]
sol['name'] = 'both GUP hooks'
sol['notes'] = 'Both GUP hooks with FOLL_PIN (fast GUP falls back to the slow walk, and the debugger pins through it), the unmap export for swap, zswap and msync, and the pipe-buffer confirm for sendfile.'
open(ref, 'w').write(json.dumps(sol, indent=2) + '\n')
f = [x for x in os.listdir('levels') if x.endswith('-production.json')][0]
d = json.load(open(f'levels/{f}'))
d['traps'] = [t for t in d.get('traps', []) if not (t['site'] == 'gup_slow' and 'when' not in t)]
open(f'levels/{f}', 'w').write(json.dumps(d, indent=2, ensure_ascii=False) + '\n')
# dma-api on the corrected engine: no page leaves reclaim clean, so Hansen's hook alone
# covers every device access here (the unmap export is a trap now); applied only while the
# level still has the old two-hook reference
ref = 'test/solutions/dma-api.reference.json'
sol = json.load(open(ref))
if [h['site'] for h in sol['hooks']] == ['dma_map', 'ptep_clear']:
    sol['hooks'] = [{'site': 'dma_map'}]
    sol['name'] = 'DMA API'
    sol['notes'] = 'dma_map_sg()/dma_map_page() see every device access on PCI, at the last moment before the device reads the page.'
    open(ref, 'w').write(json.dumps(sol, indent=2) + '\n')
    f = [x for x in os.listdir('levels') if x.endswith('-dma-api.json')][0]
    d = json.load(open(f'levels/{f}'))
    d['hints'] = [
        "Try Hansen's idea alone, one hook at the DMA API, and run it. If it passes, compare its guest stall with the hooks mainline would place: how long is a page exported before a device reads it?",
        "Every device access on this host passes one function right before the device touches the page. How much earlier do the other offered sites export?",
        "dma_map alone: on PCI every device access maps its pages first, at the last moment.",
    ]
    d['traps'] = [t for t in d.get('traps', []) if t['site'] != 'ptep_clear'] + [
        {'site': 'ptep_clear', 'reason': 'Exports at the unmap, long before the disk write: the guest stalls on pages reclaim still holds, and dma_map already covers the write.'}]
    d['objectives'] = [o if 'two hooks' not in o else 'par: one hook' for o in d.get('objectives', [])]
    open(f'levels/{f}', 'w').write(json.dumps(d, indent=2, ensure_ascii=False) + '\n')
print(f'{n} levels')
