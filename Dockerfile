# syntax=docker/dockerfile:1
# One image recipe for every app: `docker build --build-arg APP=identity --build-arg PORT=3001 .`
# Stages: build (all deps, tsc) → prod-deps (runtime deps only) → runtime (non-root, no toolchain).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json tsconfig.build.json nest-cli.json .swcrc ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /src
COPY package.json package-lock.json ./
# No dev dependencies, no optional platform binaries (the embedded PostgreSQL build is only for
# `npm start` on a laptop; containers get DATABASE_URL), no install scripts.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ARG APP
ARG PORT=3000
RUN test -n "$APP" || (echo "build with --build-arg APP=<app directory under apps/>" >&2; exit 1)
ENV NODE_ENV=production \
    APP=${APP} \
    PORT=${PORT} \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=prod-deps --chown=node:node /src/node_modules ./node_modules
COPY --from=build --chown=node:node /src/dist ./dist
COPY --chown=node:node package.json ./
# Data files read at boot (api-gateway: service cards, GSB seed); small, copied for every app.
COPY --from=build --chown=node:node /src/apps/api-gateway/data ./apps/api-gateway/data
RUN test -f "dist/apps/${APP}/src/main.js" || (echo "no dist/apps/${APP}/src/main.js: unknown APP ${APP}" >&2; exit 1)
# The official image's unprivileged user (uid 1000), matching runAsUser in k8s/.
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `exec` replaces the shell with node (PID 1), so SIGTERM reaches the app for a clean shutdown.
CMD ["sh", "-c", "exec node dist/apps/$APP/src/main.js"]
