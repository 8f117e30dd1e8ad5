/** One launch of the tour, as its table prints it. */
export interface TourRow {
  partner: string;
  patient: string;
  outcome: string;
  ms: number;
  /** 'broker' or 'extension' (the --broker tour only). */
  via?: string;
}
