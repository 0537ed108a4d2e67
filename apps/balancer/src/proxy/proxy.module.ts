import { Module } from '@nestjs/common';
import { Forwarders } from './forwarders';
import { ProxyMiddleware } from './proxy.middleware';
import { UpstreamAgents } from './upstream-agents';
import { UpstreamDeadlines } from './upstream-deadlines';

@Module({
  providers: [UpstreamAgents, UpstreamDeadlines, Forwarders, ProxyMiddleware],
  exports: [ProxyMiddleware],
})
export class ProxyModule {}
