import type { Algorithm, AlgorithmName } from './algorithm';
import { IpHash } from './ip-hash';
import { LeastConnection } from './least-connection';
import { RoundRobin } from './round-robin';
import { WeightedRoundRobin } from './weighted-round-robin';

const CONSTRUCTORS: Readonly<Record<AlgorithmName, new () => Algorithm>> = {
  roundrobin: RoundRobin,
  weightedroundrobin: WeightedRoundRobin,
  leastconnection: LeastConnection,
  iphash: IpHash,
};

export function createAlgorithm(name: AlgorithmName): Algorithm {
  return new CONSTRUCTORS[name]();
}
