// Text from level files, solutions and share codes is untrusted: before it reaches a
// terminal, remove every escape/control sequence so it cannot move the cursor, set the
// title, hide text or ring the bell.

// CSI ... final, OSC ... (BEL|ST), DCS/SOS/PM/APC ... ST, and two-byte ESC sequences,
// in both their 7-bit and 8-bit (C1) forms.
const SEQUENCES =
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|(?:\u001b[PX^_]|[\u0090\u0098\u009e\u009f])[^\u001b\u009c]*(?:\u001b\\|\u009c)?|\u001b[\u0020-\u007e]?/g;
// C0 controls except \n and \t, DEL, C1 controls, and bidi overrides that reorder text
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Strip terminal control sequences; keep newlines, turn tabs into spaces. */
export function sanitize(text: string): string {
  return text.replace(SEQUENCES, '').replace(CONTROLS, '').replace(/\t/g, '  ');
}

/** For one-line fields (names, titles): also fold newlines into spaces. */
export function sanitizeLine(text: string): string {
  return sanitize(text).replace(/[\r\n]+/g, ' ').trim();
}
