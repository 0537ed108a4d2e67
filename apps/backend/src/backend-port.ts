/** The port this backend actually listens on (known once listening; 0 asks the OS for one). */
export class BackendPort {
  value = 0;
}
