/** One line of `b24xero doctor`: a check that passed, a problem (with what to do), or a note worth knowing. */
export interface Finding {
  level: 'ok' | 'problem' | 'note';
  area: string;
  text: string;
}

export const ok = (area: string, text: string): Finding => ({ level: 'ok', area, text });
export const problem = (area: string, text: string): Finding => ({ level: 'problem', area, text });
export const note = (area: string, text: string): Finding => ({ level: 'note', area, text });
