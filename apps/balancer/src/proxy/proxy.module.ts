import { Module } from '@nestjs/common';
import { Forwarders } from './forwarders';
import { ProxyMiddleware } from './proxy.middleware';
import { UpstreamAgents } from './upstream-agents';

@Module({
  providers: [UpstreamAgents, Forwarders, ProxyMiddleware],
  exports: [ProxyMiddleware],
})
export class ProxyModule {}
