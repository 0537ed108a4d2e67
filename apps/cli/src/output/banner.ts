/** The ASCII banner: printed above `loadex --help` and the no-argument help, on a terminal only. */
export const BANNER = String.raw`
  _                 _
 | | ___   __ _  __| | _____  __
 | |/ _ \ / _' |/ _' |/ _ \ \/ /
 | | (_) | (_| | (_| |  __/>  <
 |_|\___/ \__,_|\__,_|\___/_/\_\

 Loadex: operate and load-test the balancer from a terminal
`;
