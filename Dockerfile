# syntax=docker/dockerfile:1
#
# One image for all three Loadex programs:
#   balancer (default)  docker run IMAGE -port 8080 -algo wrr -backends http://host:8001,http://host:8002
#   demo backend        docker run --entrypoint loadex-backend IMAGE --host 0.0.0.0 --port 8001
#   CLI                 docker run --entrypoint loadex IMAGE --url http://balancer:8080 health
ARG NODE_IMAGE=node:24-alpine

# 1. Build: every dependency, then the three bundles into dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json ./
COPY apps ./apps
COPY libs ./libs
# The dashboard's static files are read from apps/balancer/src/dashboard/assets at run time
# (created empty here if the dashboard ships none, so the runtime stage can always copy it).
RUN npm run build && mkdir -p apps/balancer/src/dashboard/assets

# 2. Production dependencies only (the bundles keep node_modules external).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: bundles, production node_modules and the bin/ launchers; runs as the image's `node` user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/balancer/src/dashboard/assets ./apps/balancer/src/dashboard/assets
RUN ln -s /app/bin/loadbalancer.js /usr/local/bin/loadbalancer \
 && ln -s /app/bin/loadex.js /usr/local/bin/loadex \
 && ln -s /app/bin/loadex-backend.js /usr/local/bin/loadex-backend
USER node
EXPOSE 8080
# What the health check asks for: the balancer's /metrics by default; a demo-backend container
# sets it to its own /health (docker-compose.yml does).
ENV LOADEX_HEALTHCHECK_URL=http://127.0.0.1:8080/metrics
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD wget -q -O /dev/null "$LOADEX_HEALTHCHECK_URL" || exit 1
ENTRYPOINT ["node", "--max-semi-space-size=64", "dist/apps/balancer/main.js"]
CMD ["--help"]
