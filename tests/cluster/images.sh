#!/usr/bin/env bash
# Builds the node's images with buildah and loads them into its containerd:
#   - the pod sandbox image, from tests/cluster/pause.c (no registry to pull one from);
#   - the base images the Dockerfile names, made locally under the same names, because no registry
#     but Debian's and NuGet's can be reached: debian:bookworm-slim from a debootstrap minbase root,
#     the .NET SDK image from that plus this machine's own SDK;
#   - the project's image, built from the Dockerfile as anywhere (its RUN steps reach Debian's and
#     NuGet's registries as the machine does), named as the operator's default image.
# The base and sandbox images are cached in ~/.cache/flumek8s/buildah; the project image is rebuilt.
# Usage: images.sh [--sandbox-only | --bases]   (up.sh calls it once containerd runs; --bases only
# makes the cached base images, which needs no containerd)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

readonly DEBIAN_IMAGE=docker.io/library/debian:bookworm-slim
readonly SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
readonly PAUSE_IMAGE=localhost/flumek8s/pause:1
readonly MIRROR=$(sed -nE 's/^URIs: (.*)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)

has_image() { buildah_ inspect --type image "$1" >/dev/null 2>&1; }

debian_image() {
  has_image "${DEBIAN_IMAGE}" && return
  log "making ${DEBIAN_IMAGE} from a debootstrap minbase bookworm root"
  local root="${STATE}/debootstrap"
  rm -rf "${root}"
  debootstrap --variant=minbase bookworm "${root}" "${MIRROR:-http://deb.debian.org/debian}" >"${STATE}/logs/debootstrap.log" 2>&1
  # What the published slim image leaves out: package lists and caches.
  rm -rf "${root}"/var/lib/apt/lists/* "${root}"/var/cache/apt/*.bin "${root}"/var/cache/apt/archives/*.deb
  local container
  container=$(buildah_ from scratch)
  cp -a "${root}/." "$(buildah_ mount "${container}")/"
  buildah_ config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd bash "${container}"
  buildah_ commit -q "${container}" "${DEBIAN_IMAGE}" >/dev/null
  buildah_ rm "${container}" >/dev/null
  rm -rf "${root}"
}

sdk_image() {
  has_image "${SDK_IMAGE}" && return
  local sdk
  sdk=$(dirname "$(readlink -f "$(command -v dotnet)")")
  log "making ${SDK_IMAGE} from ${DEBIAN_IMAGE} and the SDK in ${sdk}"
  local container
  container=$(buildah_ from --pull=never "${DEBIAN_IMAGE}")
  buildah_ run --network host "${container}" -- sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates libssl3 libicu72 >/dev/null && rm -rf /var/lib/apt/lists/*'
  local root
  root=$(buildah_ mount "${container}")
  cp -a "${sdk}" "${root}/usr/share/dotnet"
  # The build stage reaches NuGet as this machine does: trusting the certificate authorities the
  # machine added to its own (a TLS-inspecting proxy's, say).
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "${root}/usr/local/share/ca-certificates/"
    buildah_ run "${container}" -- update-ca-certificates >/dev/null
  fi
  buildah_ run "${container}" -- ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
  buildah_ config --env DOTNET_CLI_TELEMETRY_OPTOUT=1 --env DOTNET_NOLOGO=1 "${container}"
  buildah_ commit -q "${container}" "${SDK_IMAGE}" >/dev/null
  buildah_ rm "${container}" >/dev/null
}

pause_image() {
  has_image "${PAUSE_IMAGE}" && return
  log "making ${PAUSE_IMAGE}"
  gcc -static -O2 -o "${STATE}/pause" "$(dirname "$0")/pause.c"
  local container
  container=$(buildah_ from scratch)
  buildah_ copy "${container}" "${STATE}/pause" /pause >/dev/null
  buildah_ config --entrypoint '["/pause"]' --user 65535:65535 "${container}"
  buildah_ commit -q "${container}" "${PAUSE_IMAGE}" >/dev/null
  buildah_ rm "${container}" >/dev/null
}

project_image() {
  local image
  image="${PROJECT_IMAGE_NAME}:$(project_version)"
  log "building ${image} from the Dockerfile"
  local started=${SECONDS}
  buildah_ bud --network host --pull=never --layers=false -t "${image}" -f "$(repository_root)/Dockerfile" "$(repository_root)" \
    >"${STATE}/logs/image-build.log" 2>&1 || { tail -n 40 "${STATE}/logs/image-build.log" >&2; return 1; }
  log "built ${image} in $((SECONDS - started)) s"
  echo "$((SECONDS - started))" >"${STATE}/image-build-seconds"
}

# Into the node's containerd, under the same names.
load() {
  local image=$1 archive="${STATE}/image.tar"
  rm -f "${archive}"
  buildah_ push -q "${image}" "docker-archive:${archive}:${image}" >/dev/null
  ctr --address "${CONTAINERD_SOCKET}" -n k8s.io images import "${archive}" >/dev/null
  rm -f "${archive}"
}

mkdir -p "${STATE}/logs" "${BUILDAH_ROOT}"
if [ "${1:-}" = "--bases" ]; then
  debian_image
  sdk_image
  exit 0
fi
pause_image
load "${PAUSE_IMAGE}"
if [ "${1:-}" != "--sandbox-only" ]; then
  debian_image
  sdk_image
  project_image
  load "${PROJECT_IMAGE_NAME}:$(project_version)"
fi
