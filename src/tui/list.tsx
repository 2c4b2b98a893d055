// The list screens' rows, drawn by ink-select-input with an indicator and an item that
// keep the game's look ('›' and inverse on the cursor row, so it reads without colour).
//
// ink-select-input is used as a view only (isFocused={false}): it never reads keys. Its
// own key handler keeps the index in component state and reads it from a stale closure
// when several keys arrive in one chunk (a paste of `jjjj`, key repeat, `tmux send-keys
// Down Down Enter`), so it would pick the wrong row. Keys go through the keymap to named
// actions of the reducer (state.ts), which owns the cursor; the list is remounted at the
// reducer's cursor (`initialIndex`, keyed by it), so the reducer stays the one truth.
import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';
import type { FC } from 'react';
import { T, type Role } from './theme.js';

export interface ListEntry {
  key: string;
  label: string;
  /** a column after the label (the menu's explanations, a setting's value) */
  side?: string;
  sideRole?: Role;
  /** a heading between rows (never under the cursor) */
  heading?: boolean;
}

/** Width of the indicator column: '› ' on the cursor row. */
export const INDICATOR_W = 2;

function Indicator({ isSelected }: { isSelected?: boolean }) {
  return <Text inverse={!!isSelected}>{isSelected ? '› ' : '  '}</Text>;
}

type ItemProps = { isSelected?: boolean; label: string } & Partial<ListEntry> & { labelWidth?: number };

function Item({ isSelected, label, side, sideRole, labelWidth }: ItemProps) {
  const text = <Text inverse={!!isSelected} wrap="truncate">{label}</Text>;
  if (side === undefined) return text;
  return (
    <>
      <Box width={labelWidth} flexShrink={0}>{text}</Box>
      {/* the side text is what gives way on a narrow screen, never the label column */}
      <Box flexGrow={1} flexShrink={1} minWidth={0}><T role={sideRole ?? 'dim'} wrap="truncate">{side}</T></Box>
    </>
  );
}

/**
 * Rows with the cursor on `cursor` (an index into `entries`; -1: none). Headings split the
 * rows into groups, each its own select list, printed in bold without an indicator.
 */
export function SelectList({ entries, cursor, labelWidth }: { entries: readonly ListEntry[]; cursor: number; labelWidth?: number }) {
  const groups: { heading?: ListEntry; rows: { e: ListEntry; i: number }[] }[] = [];
  entries.forEach((e, i) => {
    if (e.heading) groups.push({ heading: e, rows: [] });
    else {
      if (!groups.length) groups.push({ rows: [] });
      groups[groups.length - 1]!.rows.push({ e, i });
    }
  });
  return (
    <Box flexDirection="column">
      {groups.map((g, gi) => {
        const at = g.rows.findIndex((r) => r.i === cursor);
        const items = g.rows.map(({ e }) => ({ ...e, value: e.key, labelWidth }));
        return (
          <Box key={g.heading?.key ?? `g${gi}`} flexDirection="column">
            {g.heading ? <T role="title" bold wrap="truncate">{g.heading.label}</T> : null}
            {items.length ? (
              <SelectInput
                // remounted at the reducer's cursor; -1 selects no row of this group
                key={`${at}:${items.map((x) => x.key).join('\u0000')}`}
                items={items}
                initialIndex={at}
                isFocused={false}
                indicatorComponent={Indicator}
                itemComponent={Item as FC<{ isSelected?: boolean; label: string }>}
              />
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}
