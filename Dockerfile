# syntax=docker/dockerfile:1
# One image for the data plane and the control plane:
#   docker run IMAGE -n a1 -f /etc/flumek8s/agent.properties     the agent (flumek8s-agent, the entrypoint)
#   command: ["flumek8s", "operator", ...]                        the operator (on PATH)
#
# Both programs are published self-contained onto debian:bookworm-slim rather than onto a .NET
# runtime image: .NET 10 ships no Debian images (its runtime images are Ubuntu, Alpine and Azure
# Linux). The agent needs the ASP.NET Core shared framework (Kestrel); self-contained brings it along,
# and Kafka's native library comes with it from the librdkafka.redist package.

ARG VERSION=0.1.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ARG VERSION
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src
COPY nuget.config Directory.Build.props Directory.Build.targets ./
COPY crds/ crds/
COPY agent/ agent/
COPY operator/FlumeK8s.Kube/ operator/FlumeK8s.Kube/
COPY operator/FlumeK8s.Operator/ operator/FlumeK8s.Operator/
# The machine package folder that nuget.config names for developers does not exist in the build
# container: everything the agent and the operator use, Confluent.Kafka and librdkafka.redist
# included, comes from nuget.org. Publishing for the target's runtime identifier keeps the one
# librdkafka build that loads on Debian 12 (Directory.Build.targets), not every platform's.
RUN dotnet nuget disable source machine --configfile nuget.config
# Both executables into one folder: they share the runtime and the FlumeK8s.Runtime assembly.
RUN case "$TARGETARCH" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) echo "unsupported architecture '$TARGETARCH'" >&2; exit 1 ;; esac \
 && for project in agent/FlumeK8s.Agent operator/FlumeK8s.Operator; do \
      dotnet publish "$project" -c Release -r "$rid" --self-contained -p:Version="$VERSION" -o publish || exit 1; \
    done

FROM debian:bookworm-slim
ARG VERSION
LABEL org.opencontainers.image.title="flumek8s" \
      org.opencontainers.image.description="Apache Flume NG agent and its Kubernetes operator, in .NET" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/flumek8s/flumek8s" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"
# .NET's native dependencies (no ICU: the programs run with invariant globalization) and time zones
# for path escapes. librdkafka is in /app, statically linked against its own TLS and compression.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates libc6 libgcc-s1 libssl3 libstdc++6 tzdata zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 flumek8s \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin flumek8s \
 && mkdir -p /etc/flumek8s /var/lib/flumek8s /opt/flumek8s/plugins \
 && chown 10001:10001 /var/lib/flumek8s
COPY --from=build /src/publish /app
# The root file system may be read-only: the agent writes only below its configured channel and
# state folders (the operator mounts /var/lib/flumek8s and an emptyDir at /tmp), and the runtime's
# diagnostics IPC socket, which would go to /tmp, is off.
# The agent loads custom components from FLUMEK8S_PLUGINS (empty here): a derived image copies
# plugins into it, or a tier mounts a volume there (README, "Custom components as plugins").
ENV PATH="/app:${PATH}" \
    DOTNET_EnableDiagnostics=0 \
    FLUMEK8S_PLUGINS=/opt/flumek8s/plugins
WORKDIR /var/lib/flumek8s
# Numeric, so Kubernetes can check runAsNonRoot; the group is the fsGroup the operator gives agent pods.
USER 10001:10001
# 4141: the gRPC/Avro hop between tiers; 41414: the admin endpoint (/healthz, /readyz, /metrics).
EXPOSE 4141 41414
# For docker run only (Kubernetes uses the pods' probes); meaningful for the agent, not the operator.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["flumek8s-agent", "--health-check"]
ENTRYPOINT ["flumek8s-agent"]
