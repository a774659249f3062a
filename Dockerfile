# The CloudJobHunt API's production image.
# Both base images are made locally (npm run images:base) and mirrored into ACR for production; no public
# registry is involved. node-base (Debian minbase + Node + npm) builds the bundle; node-runtime (Node, the
# libraries it links, CA certificates, passwd; no shell, no package manager) runs it.
# Builds that run npm ci need the npm registry: --network=host here.
ARG BASE_IMAGE=cloudjobhunt/node-base:24
ARG RUNTIME_IMAGE=cloudjobhunt/node-runtime:24

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

FROM ${RUNTIME_IMAGE}
# OCI annotations (https://github.com/opencontainers/image-spec/blob/main/annotations.md), given by the
# pipeline; CREATED is the commit time (SOURCE_DATE_EPOCH), so unchanged sources keep the same digest.
ARG REVISION=""
ARG VERSION=""
ARG CREATED=""
ARG SOURCE=""
LABEL org.opencontainers.image.title="cloudjobhunt-api" \
      org.opencontainers.image.description="CloudJobHunt job-search API" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}"
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
# One file with every dependency inlined, plus the SQL migrations it applies at start-up: no node_modules.
COPY --from=builder /build/dist ./dist
# Numeric, non-root (the base image's node user); nothing is written at run time, so a read-only root works.
USER 1000:1000
EXPOSE 8080 9464
STOPSIGNAL SIGTERM
CMD ["node", "dist/server.mjs"]
