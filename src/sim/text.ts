// Terminal control sequences, as one pattern: what src/io/sanitize.ts removes before text
// reaches a terminal, and what the board's look-alike check removes before comparing names
// (src/workshop/rank.ts), so `\e[0mada` is compared as the `ada` a screen shows. Pure.

/**
 * CSI ... final, OSC ... (BEL|ST), DCS/SOS/PM/APC ... ST, and two-byte ESC sequences, in both
 * their 7-bit and 8-bit (C1) forms. Removed whole, so their parameters do not show as text.
 */
export const CONTROL_SEQUENCES =
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|(?:\u001b[PX^_]|[\u0090\u0098\u009e\u009f])[^\u001b\u009c]*(?:\u001b\\|\u009c)?|\u001b[\u0020-\u007e]?/g;
