# The CloudJobHunt API's production image.
# The base image is built locally from debootstrap + Node 24 (npm run images:base) and mirrored into ACR for
# production; no public registry is involved. Builds that run npm ci need the registry: --network=host here.
ARG BASE_IMAGE=cloudjobhunt/node-base:24

FROM ${BASE_IMAGE} AS builder
# PEM certificates to trust when the npm registry is reached through a TLS-inspecting proxy, e.g.
# --build-arg EXTRA_CA_CERTS="$(cat /usr/local/share/ca-certificates/*.crt)". Builder stage only.
ARG EXTRA_CA_CERTS=""
WORKDIR /build
COPY package.json package-lock.json ./
# No install scripts: the bundle needs only the packages' code and esbuild's platform binary.
RUN if [ -n "$EXTRA_CA_CERTS" ]; then printf '%s\n' "$EXTRA_CA_CERTS" > /tmp/extra-ca.pem; \
      export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; fi; \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY server ./server
# Node 24 runs the TypeScript build script directly (type stripping); it writes dist/server.mjs + migrations.
RUN node server/build.ts dist

FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
# One file with every dependency inlined, plus the SQL migrations it applies at start-up: no node_modules.
COPY --from=builder /build/dist ./dist
# Numeric, non-root (the base image's node user); nothing is written at run time, so a read-only root works.
USER 1000:1000
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["node", "dist/server.mjs"]
