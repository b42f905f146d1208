#!/usr/bin/env bash
# The whole test suite, set-up included, on Debian 12 with the .NET SDK:
#   1. the Debian packages the tests use as independent peers and tools (root, apt-get; skipped
#      when all are installed);
#   2. a real Kubernetes control plane for the operator tests (tests/envtest/kube-assets.sh: built
#      once from Debian's kubernetes source, cached in ~/.cache/flumek8s);
#   3. dotnet test over the solution: everything but the cluster tests, then the cluster tests
#      (tests/cluster brings a single-node Kubernetes up and down; it installs and builds what it
#      needs itself). Arguments replace that: they are passed on (e.g. --filter "Category!=Slow").
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# python3-avro and python3-grpcio are independent peers for the Avro and gRPC hops, kcat for Kafka
# (it brings Debian's librdkafka1 for itself; the agent uses librdkafka.redist's); Go with sprig and
# sigs.k8s.io/yaml builds tests/helm-render, which renders charts/flumek8s as Helm would; e2fsprogs (chattr) and procps for the fault and process tests;
# kubectl from Debian's kubernetes-client when none is installed.
packages=(procps e2fsprogs python3 python3-avro python3-grpcio python3-grpc-tools kcat
  golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev postgresql)
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

KUBEBUILDER_ASSETS=$(tests/envtest/kube-assets.sh | tail -n 1)
export KUBEBUILDER_ASSETS
echo "test.sh: kube control plane binaries in $KUBEBUILDER_ASSETS" >&2

log=$(mktemp)
status=0
run() {
  local started=$SECONDS
  dotnet test FlumeK8s.sln "$@" 2>&1 | tee -a "$log" || status=$?
  echo "test.sh: dotnet test $* took $((SECONDS - started)) s" >&2
}
if [ $# -gt 0 ]; then
  run "$@"
else
  # The cluster tests (a whole node, its image built from the Dockerfile) run alone, after the
  # rest: sharing two cores with the other suites would make both slow and noisy.
  run --filter "Category!=Cluster"
  run --filter "Category=Cluster"
fi

# One closing line for the whole suite, summed over the test projects.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
