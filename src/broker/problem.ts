/**
 * Every refusal the broker sends: a status, a short code and a message written for the clinician (the extension
 * shows it in the bar). Never a token, secret, key or launch URL.
 */
export class BrokerProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
