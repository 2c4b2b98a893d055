// The patch screen: the player's placement as a kernel patch, then its review (src/patch),
// scrollable and coloured as a diff (plain under NO_COLOR / --no-color). On a solved level
// `m` shows mainline's own placement the same way, for comparison. The document is built
// once by the effect runner (patchDocOf), the reducer only scrolls and switches.
import { Box, Text } from 'ink';
import { sanitizeLine } from '../io/sanitize.js';
import type { ViewProps } from './view-props.js';
import { Spinner, T } from './theme.js';

function Working() {
  return <Spinner label="rendering the patch and reviewing it on every seed…" />;
}

export function PatchView({ s, width, height }: ViewProps) {
  const p = s.patch;
  if (!p) return <Text>No patch: open one from the results screen (p).</Text>;
  const doc = p.which === 'player' ? p.player : p.mainline;
  const other = p.which === 'player' ? "m: mainline's placement" : 'm: back to your patch';
  const head = `${p.which === 'player' ? 'Your placement' : "Mainline's placement"} as a kernel patch`;
  if (!doc) {
    return (
      <Box flexDirection="column" width={width}>
        <T bold wrap="truncate">{head}</T>
        <Working />
      </Box>
    );
  }
  const room = Math.max(3, height - 3);
  const top = Math.min(p.scroll, Math.max(0, doc.lines.length - room));
  const shown = doc.lines.slice(top, top + room);
  const saved = p.savedFile ? `saved: ${sanitizeLine(p.savedFile)}` : p.which === 'player' ? 'w: write it next to the solution' : '';
  return (
    <Box flexDirection="column" width={width}>
      <T bold wrap="truncate">{`${head} · lines ${top + 1}-${top + shown.length} of ${doc.lines.length} (↑/↓ scroll)`}</T>
      <T role="accent" wrap="truncate">{[saved, s.results?.verify.passed ? other : ''].filter(Boolean).join(' · ') || ' '}</T>
      <Box flexDirection="column" height={room} overflowY="hidden">
        {shown.map((l, i) => (
          <T key={top + i} role={l.role} bold={l.bold} wrap="truncate">{l.text || ' '}</T>
        ))}
      </Box>
    </Box>
  );
}
