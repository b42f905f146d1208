#!/usr/bin/env bash
# Prints, as the last line on stdout, a folder holding kube-apiserver, kube-controller-manager and
# etcd for tests against a real control plane ("envtest"); with --node, also kubelet, kube-proxy
# and kube-scheduler for a whole single-node cluster (tests/cluster).
#
# Nothing can be downloaded here but distribution packages, so the binaries are built once from
# Debian's own kubernetes source package (the recipe in shared/reference/kube-envtest.md) and
# cached in ~/.cache/flumek8s/kube-1.20.2-r2. Order of preference:
#   1. $KUBEBUILDER_ASSETS, when it holds what was asked for (a developer's usual setup);
#   2. the cache, when it holds all six;
#   3. a fresh build into the cache (5 to 8 minutes on 2 cores; needs root for apt-get).
# Safe to re-run and to run concurrently: a lock serializes builds and the cache folder appears
# only once complete. Progress goes to stderr.
set -euo pipefail

readonly KUBE_VERSION=1.20.2
readonly DEB_VERSION=1.20.5+really1.20.2-1.1+deb12u1
readonly CACHE_PARENT="${HOME}/.cache/flumek8s"
# The recipe's revision: a cache built by an older recipe is rebuilt (2: the node binaries, and
# client-go's version stamped too).
readonly RECIPE=2
readonly CACHE_DIR="${CACHE_PARENT}/kube-${KUBE_VERSION}-r${RECIPE}"
readonly ALL=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy etcd)
readonly PACKAGES=(golang-go etcd-server golang-github-modern-go-reflect2-dev)

# Everything but the answer goes to stderr, including the output of the tools run below.
exec 3>&1 1>&2

log() { echo "kube-assets: $*"; }

answer() {
  echo "$1" >&3
  exit 0
}

holds() {
  local dir=$1
  shift
  local name
  for name in "$@"; do
    [ -x "${dir}/${name}" ] || return 1
  done
}

wanted=(kube-apiserver etcd)
[ "${1:-}" != "--node" ] || wanted=("${ALL[@]}")
if [ -n "${KUBEBUILDER_ASSETS:-}" ] && holds "${KUBEBUILDER_ASSETS}" "${wanted[@]}"; then
  answer "${KUBEBUILDER_ASSETS}"
fi
if holds "${CACHE_DIR}" "${ALL[@]}"; then
  answer "${CACHE_DIR}"
fi

mkdir -p "${CACHE_PARENT}"
exec 9>"${CACHE_PARENT}/.kube-${KUBE_VERSION}.lock"
if ! flock -n 9; then
  log "another run is building the binaries; waiting for it"
  flock 9
fi
# The run that held the lock may have just finished the build.
if holds "${CACHE_DIR}" "${ALL[@]}"; then
  answer "${CACHE_DIR}"
fi

build_root=$(mktemp -d "${TMPDIR:-/tmp}/flumek8s-kube-build.XXXXXX")
staging="${CACHE_PARENT}/.kube-${KUBE_VERSION}.staging"
cleanup() {
  rm -rf "${build_root}" "${staging}"
}
trap cleanup EXIT
# Turn signals into an ordinary exit so the cleanup runs when a run is interrupted.
trap 'exit 130' INT
trap 'exit 143' TERM

started=${SECONDS}
log "building Kubernetes ${KUBE_VERSION} binaries in ${build_root} (takes 6 to 10 minutes)"

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "packages ${missing[*]} are missing and only root can install them:"
    log "  apt-get install -y ${PACKAGES[*]}"
    exit 1
  fi
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# Source packages come from a private apt configuration (a deb-src copy of the system's sources
# and its own package lists) so the machine's apt setup is left exactly as it was.
apt_dir="${build_root}/apt"
mkdir -p "${apt_dir}/sources.list.d" "${apt_dir}/lists/partial"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed -E 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
    > "${apt_dir}/sources.list.d/debian-src.sources"
elif [ -f /etc/apt/sources.list ]; then
  sed -nE 's/^deb[[:space:]]/deb-src /p' /etc/apt/sources.list > "${apt_dir}/sources.list.d/debian-src.list"
else
  log "no Debian apt sources found (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list)"
  exit 1
fi
apt_options=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=${apt_dir}/sources.list.d"
  -o "Dir::State::Lists=${apt_dir}/lists"
  # The download lands in the private 0700 build folder, which apt's _apt user cannot write.
  -o "APT::Sandbox::User=root"
)
log "fetching the kubernetes ${DEB_VERSION} source package"
apt-get "${apt_options[@]}" update -qq
(cd "${build_root}" && apt-get "${apt_options[@]}" source --download-only "kubernetes=${DEB_VERSION}")

gopath="${build_root}/gopath"
tree="${gopath}/src/k8s.io/kubernetes"
mkdir -p "${tree}"
tar -xzf "${build_root}/kubernetes_${DEB_VERSION%%-*}.orig.tar.gz" -C "${tree}" --strip-components=1

# The vendored reflect2 1.0.1 crashes the API server under Go 1.18+ ("fatal error: fault") the
# first time it serializes a custom resource; Debian's 1.0.2 does not.
rm -rf "${tree}/vendor/github.com/modern-go/reflect2"
cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 "${tree}/vendor/github.com/modern-go/reflect2"

export GOPATH="${gopath}" GO111MODULE=off CGO_ENABLED=0 GOFLAGS= \
  GOCACHE="${build_root}/go-build" GOTMPDIR="${build_root}"
cd "${tree}"

# The tarball lacks the generated OpenAPI definitions the API server compiles in. vendor/k8s.io/*
# are symlinks into staging/, hence grep -R.
log "generating pkg/generated/openapi/zz_generated.openapi.go"
go build -o "${build_root}/openapi-gen" k8s.io/kubernetes/vendor/k8s.io/kube-openapi/cmd/openapi-gen
openapi_inputs=$(
  grep -RlF --include='*.go' '+k8s:openapi-gen=' pkg cmd vendor/k8s.io \
    | sed 's|/[^/]*$||' \
    | grep -vE '^vendor/k8s.io/(code-generator|sample-apiserver)(/|$)' \
    | sort -u \
    | sed 's|^|k8s.io/kubernetes/|' \
    | paste -sd, -
)
"${build_root}/openapi-gen" \
  -i "${openapi_inputs}" \
  -p k8s.io/kubernetes/pkg/generated/openapi \
  -O zz_generated.openapi \
  -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
  -r "${build_root}/openapi-violations.report"
if ! grep -q 'core/v1.Pod"' pkg/generated/openapi/zz_generated.openapi.go; then
  log "openapi-gen produced no definition for core/v1 Pod; the generated file is incomplete"
  exit 1
fi

# Stamp the version so clients that read /version see 1.20.2 rather than v0.0.0: both packages,
# because the API server answers /version from client-go's.
ldflags="-s -w"
for version_pkg in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
  ldflags+=" -X ${version_pkg}.gitVersion=v${KUBE_VERSION} -X ${version_pkg}.gitMajor=1"
  ldflags+=" -X ${version_pkg}.gitMinor=20 -X ${version_pkg}.gitTreeState=clean"
done

rm -rf "${staging}"
mkdir -p "${staging}"
for component in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
  log "building ${component}"
  go build -ldflags "${ldflags}" -o "${staging}/${component}" "k8s.io/kubernetes/cmd/${component}"
done
# A copy, not a link: the cache keeps working if etcd-server is later removed.
cp /usr/bin/etcd "${staging}/etcd"

rm -rf "${CACHE_DIR}"
mv "${staging}" "${CACHE_DIR}"
log "built in $((SECONDS - started)) s: ${CACHE_DIR}"
answer "${CACHE_DIR}"
