/** Messages between the broker and its PGlite thread (./pglite-thread). Request id 0 is the thread's start. */
export interface PgliteThreadStart {
  dataDir?: string;
}

export type PgliteThreadRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

export interface PgliteThreadDone {
  id: number;
  rows?: unknown[];
  tx?: number;
  error?: undefined;
}

export type PgliteThreadAnswer = PgliteThreadDone | { id: number; error: { message: string; code?: string } };
