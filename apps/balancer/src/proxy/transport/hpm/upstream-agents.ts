import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';

/**
 * The shared keep-alive agents every forwarded request goes through (one per protocol).
 * Idle sockets are closed after 4 s, below the 5 s keep-alive most backends use, so the balancer
 * closes first and never sends on a socket the backend is closing.
 */
@Injectable()
export class UpstreamAgents implements OnApplicationShutdown {
  private static readonly options = {
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxFreeSockets: 1024,
    timeout: 4000,
    scheduling: 'lifo',
  } as const;

  readonly http = new HttpAgent(UpstreamAgents.options);
  readonly https = new HttpsAgent(UpstreamAgents.options);

  for(target: URL): HttpAgent {
    return target.protocol === 'https:' ? this.https : this.http;
  }

  onApplicationShutdown(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
