/** The state file cannot be read or is not a valid state: the balancer must not start. */
export class StateFileError extends Error {}
