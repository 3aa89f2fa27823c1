# medvault: build with the official Swift image, run on slim Debian with libmagic, SQLite and libvips.
FROM swift:6.2-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libmagic-dev libsqlite3-dev libvips-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the product needs: the manifest leaves out the test targets when Tests/ is absent, and the benchmarks
# are packages of their own.
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --product medvault --static-swift-stdlib

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 libmagic-mgc libsqlite3-0 libvips42 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /srv/medvault medvault
WORKDIR /srv/medvault
COPY --from=build /src/.build/release/medvault /usr/local/bin/medvault
COPY migrations ./migrations
COPY Public ./Public
COPY Templates ./Templates
RUN mkdir -p /srv/medvault/data && chown medvault /srv/medvault/data
USER medvault
ENV HOST=0.0.0.0 PORT=8080 MEDVAULT_DATA_DIR=/srv/medvault/data
EXPOSE 8080
HEALTHCHECK CMD curl -fs http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["medvault", "serve"]
