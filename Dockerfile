# syntax=docker/dockerfile:1
# One image for every Gatehouse role: `docker run IMAGE control-plane|edge-proxy|ext-authz|
# ratelimit|run|validate ...`. Every option can also be set as GATEHOUSE_<FLAG>.
#
#   docker build -t gatehouse:local .
#
# Needs BuildKit (the default builder of current Docker) for the Maven cache mount and COPY --chmod.

# ---- build: the distribution jar, launcher/target/gatehouse.jar --------------------------------
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# Tests run in CI, not in image builds; the cache mount keeps ~/.m2 between builds.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -pl launcher -am package \
    && cp launcher/target/gatehouse.jar /gatehouse.jar

# ---- runtime: a JRE, the jar, a non-root user -------------------------------------------------
FROM eclipse-temurin:17-jre
# curl serves the health check below (and compose's).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 gatehouse \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin gatehouse
COPY --from=build /gatehouse.jar /opt/gatehouse/gatehouse.jar
COPY --chmod=0755 deploy/docker/gatehouse /usr/local/bin/gatehouse
# The heap follows the container's memory limit; an OutOfMemoryError ends the process, so the
# orchestrator restarts it instead of it limping on.
ENV GATEHOUSE_JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
# edge 8080/8443, admin 8877, ratelimit 8081, ext-authz 9001/9002, xDS 18000, Hazelcast 5701.
EXPOSE 8080 8443 8877 8081 9001 9002 18000 5701
# Every role serves /ready on its admin port (8877 unless GATEHOUSE_ADMIN_PORT says otherwise).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${GATEHOUSE_ADMIN_PORT:-8877}/ready" >/dev/null || exit 1
ENTRYPOINT ["gatehouse"]
CMD ["--help"]
