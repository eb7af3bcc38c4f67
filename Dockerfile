# DHR backend: case management for Domestic Homicide Reviews.
#
# Three stages:
#   build   - installs every dependency and compiles TypeScript to dist/
#   deps    - installs production dependencies only
#   runtime - the compiled server plus production dependencies, run as `node`
#
# The server applies pending database migrations itself on start, so the image
# needs no separate migration step. Point it at PostgreSQL with DATABASE_URL;
# without it the server falls back to an embedded PostgreSQL under DATA_DIR
# (fine for a trial run, not for production).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------- build ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
RUN npm run build

# ----------------------------------------------------------------- deps ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# -------------------------------------------------------------- runtime ----
FROM ${NODE_IMAGE} AS runtime

ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data \
    LOG_LEVEL=info

WORKDIR /app

# Code and dependencies stay owned by root (read-only to the server); only the
# data directory is writable by the unprivileged `node` user.
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data

USER node

EXPOSE 3000

# GET /api/health answers 200 when the server is up and its database answers,
# 503 otherwise. Slim images have no curl, so the probe uses node's fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]

# Run node directly (not via npm) so SIGTERM reaches the server and it can
# finish in-flight requests and close its database pool before exiting.
CMD ["node", "dist/src/main.js"]
