/** Bad configuration: main prints the message as one line and exits 2 before listening. */
export class ConfigError extends Error {}
