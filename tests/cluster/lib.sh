# Shared by the cluster scripts: where things are, and how to run a command on the node.
# shellcheck shell=bash

readonly CLUSTER_CACHE="${HOME}/.cache/flumek8s"
# The node's state: certificates, configurations, logs, pids, the kubeconfig. One cluster at a time
# (containerd keeps some fixed paths under /run), so the folder is fixed too.
readonly STATE="${FLUMEK8S_CLUSTER_STATE:-/tmp/flumek8s-cluster}"
# The node's network lives in this namespace: the bridge, the pods, kube-proxy's rules, the DNS
# server and every control-plane port. Nothing of the machine's own interfaces is used.
readonly NETNS=flumek8s-node
readonly NODE_NAME=flumek8s-node
readonly POD_CIDR=10.244.0.0/24
readonly NODE_IP=10.244.0.1          # the bridge's address: node IP, API advertise address, DNS
readonly SERVICE_CIDR=10.96.0.0/16
readonly KUBERNETES_SERVICE_IP=10.96.0.1
readonly DNS_SERVICE_IP=10.96.0.10
readonly BRIDGE=flumek8s0
readonly BUILDAH_ROOT="${CLUSTER_CACHE}/buildah"
readonly CONTAINERD_SOCKET="${STATE}/containerd/containerd.sock"
readonly PROJECT_IMAGE_NAME=ghcr.io/flumek8s/flumek8s

log() { echo "cluster: $*" >&2; }

# Runs a command inside the node's network namespace only (not `ip netns exec`, which would also
# give it a private mount namespace: the kubelet's volume mounts must be seen by containerd).
in_node() { nsenter --net="/var/run/netns/${NETNS}" "$@"; }

buildah_() { buildah --root "${BUILDAH_ROOT}/root" --runroot "${STATE}/buildah-run" --storage-driver overlay "$@"; }

# The image's version: the one the Dockerfile and the operator's default image name carry.
project_version() { sed -nE 's/^ARG VERSION=(.*)$/\1/p' "$(repository_root)/Dockerfile"; }

repository_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd); }
