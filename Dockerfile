# The gateway image (docker-compose.yml runs it as both replicas and as the shared sandbox).
# Build: compile TypeScript and GraphiQL's assets; prod-deps: production node_modules with the
# native better-sqlite3 built against this Node; runtime: node + dist + those modules, no compiler.
ARG NODE_IMAGE=node:20-bookworm-slim

# better-sqlite3 downloads a prebuilt binary when one matches; otherwise node-gyp compiles it.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY bench ./bench
COPY src ./src
RUN npm run build

FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
# Already built: `npm start`'s build-if-needed step is not run here (CMD calls node directly).
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4000
# No curl in slim images: node asks /healthz itself and fails on anything but a 200.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "require('http').get({ host: '127.0.0.1', port: process.env.PORT, path: '/healthz', timeout: 3000 }, (res) => process.exit(res.statusCode === 200 ? 0 : 1)).on('timeout', () => process.exit(1)).on('error', () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
