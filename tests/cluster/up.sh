#!/usr/bin/env bash
# Brings up a single-node Kubernetes 1.20 on this machine, as plain processes: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, containerd + runc, kubelet, kube-proxy and a cluster DNS
# (dnsmasq fed from the API by dns.py). The project's image is built from the Dockerfile and loaded.
#
# Everything the node does on the network happens inside a network namespace made here: the
# bridge, the pods, kube-proxy's rules, the DNS server and the control plane's ports. The machine's
# own interfaces are never used; kubectl and the tests reach the API server through a forwarder on
# a loopback port. tests/cluster/down.sh undoes all of it.
#
# Needs root (Debian 12). Prints, as its last line, the path of an admin kubeconfig.
# Usage: up.sh [--no-image]   (--no-image: skip building the project's image)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
exec 3>&1 1>&2
started=${SECONDS}

[ "$(id -u)" -eq 0 ] || { log "must run as root (network namespaces, containerd, kubelet)"; exit 1; }

packages=(runc containerd containernetworking-plugins iptables dnsmasq-base buildah debootstrap gcc libc6-dev
  openssl util-linux iproute2 python3 etcd-server)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bin=$(env -u KUBEBUILDER_ASSETS "$(repository_root)/tests/envtest/kube-assets.sh" --node | tail -n 1)
[ ! -e "${STATE}/pids" ] || "${here}/down.sh"
mkdir -p "${STATE}"/{logs,pids,cni,dns}
echo "${bin}" >"${STATE}/bin"
# What existed before, so that down.sh removes only what the run made.
[ -e /run/containerd ] || touch "${STATE}/made-run-containerd"
[ -e /tmp/hostpath_pv ] || touch "${STATE}/made-hostpath-pv"
ip netns list | awk '{print $1}' >"${STATE}/netns-before"
"${here}/pki.sh"
pki="${STATE}/pki"

# start NAME COMMAND...: in the node's network namespace, in its own session, logged, pid kept;
# without the script's own stdout (fd 3), which a caller reads until it closes.
start() {
  local name=$1
  shift
  setsid nsenter --net="/var/run/netns/${NETNS}" "$@" >"${STATE}/logs/${name}.log" 2>&1 </dev/null 3>&- &
  echo $! >"${STATE}/pids/${name}.pid"
}

wait_for() { # what, seconds, command...
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ ${SECONDS} -ge ${deadline} ]; then
      log "gave up waiting for ${what}; logs in ${STATE}/logs"
      exit 1
    fi
    sleep 0.5
  done
}

log "network namespace ${NETNS}: bridge ${BRIDGE} at ${NODE_IP}, pods ${POD_CIDR}, services ${SERVICE_CIDR}"
ip netns add "${NETNS}"
in_node ip link set lo up
in_node ip link add "${BRIDGE}" type bridge
in_node ip addr add "${NODE_IP}/24" dev "${BRIDGE}"
in_node ip link set "${BRIDGE}" up
# Service IPs are rewritten by kube-proxy's rules; the route only lets the node's own processes
# send to them at all (the namespace has no default route, by design).
in_node ip route add "${SERVICE_CIDR}" dev "${BRIDGE}"
in_node sysctl -qw net.ipv4.ip_forward=1
in_node sysctl -qw net.bridge.bridge-nf-call-iptables=1

sed -e "s|@STATE@|${STATE}|g" -e "s|@SOCKET@|${CONTAINERD_SOCKET}|g" "${here}/node/containerd.toml" >"${STATE}/containerd.toml"
sed -e "s|@STATE@|${STATE}|g" -e "s|@BRIDGE@|${BRIDGE}|g" -e "s|@POD_CIDR@|${POD_CIDR}|g" -e "s|@NODE_IP@|${NODE_IP}|g" \
  "${here}/node/cni.conflist" >"${STATE}/cni/10-flumek8s.conflist"
start containerd containerd --config "${STATE}/containerd.toml"
wait_for "containerd" 30 ctr --address "${CONTAINERD_SOCKET}" version

image_started=${SECONDS}
if [ "${1:-}" != "--no-image" ]; then
  "${here}/images.sh"
else
  "${here}/images.sh" --sandbox-only
fi
image_seconds=$((SECONDS - image_started))

node_started=${SECONDS}
start etcd "${bin}/etcd" --data-dir "${STATE}/etcd" --listen-client-urls http://127.0.0.1:2379 \
  --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 \
  --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster default=http://127.0.0.1:2380
start kube-apiserver "${bin}/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=0.0.0.0 --secure-port=6443 --advertise-address="${NODE_IP}" \
  --service-cluster-ip-range="${SERVICE_CIDR}" --token-auth-file="${pki}/tokens.csv" --client-ca-file="${pki}/ca.crt" \
  --tls-cert-file="${pki}/apiserver.crt" --tls-private-key-file="${pki}/apiserver.key" \
  --kubelet-client-certificate="${pki}/apiserver-kubelet.crt" --kubelet-client-key="${pki}/apiserver-kubelet.key" \
  --kubelet-preferred-address-types=InternalIP,Hostname --authorization-mode=Node,RBAC \
  --enable-admission-plugins=NodeRestriction --allow-privileged=true \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="${pki}/sa.pub" --service-account-signing-key-file="${pki}/sa.key"
kubectl_node() { in_node kubectl --kubeconfig "${pki}/admin.kubeconfig" "$@"; }
wait_for "kube-apiserver" 90 kubectl_node get --raw /readyz
start kube-controller-manager "${bin}/kube-controller-manager" --kubeconfig="${pki}/kube-controller-manager.kubeconfig" \
  --port=0 --secure-port=0 --leader-elect=false --use-service-account-credentials \
  --service-account-private-key-file="${pki}/sa.key" --root-ca-file="${pki}/ca.crt" \
  --enable-hostpath-provisioner --controllers='*,-cloud-node-lifecycle,-route,-service'
start kube-scheduler "${bin}/kube-scheduler" --kubeconfig="${pki}/kube-scheduler.kubeconfig" --port=0 --secure-port=0 --leader-elect=false

# The machine's side: a loopback port that leads to the API server inside the namespace.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
setsid python3 "${here}/forward.py" "${port}" "/var/run/netns/${NETNS}" 127.0.0.1 6443 >"${STATE}/logs/forward.log" 2>&1 </dev/null 3>&- &
echo $! >"${STATE}/pids/forward.pid"
sed "s|https://127.0.0.1:6443|https://127.0.0.1:${port}|" "${pki}/admin.kubeconfig" >"${STATE}/kubeconfig"
wait_for "the API server through the loopback forwarder" 30 kubectl --kubeconfig "${STATE}/kubeconfig" get --raw /readyz

: >"${STATE}/resolv.conf"
sed -e "s|@STATE@|${STATE}|g" -e "s|@DNS@|${DNS_SERVICE_IP}|g" "${here}/node/kubelet.yaml" >"${STATE}/kubelet.yaml"
start kubelet "${bin}/kubelet" --kubeconfig="${pki}/kubelet.kubeconfig" --config="${STATE}/kubelet.yaml" \
  --container-runtime=remote --container-runtime-endpoint="unix://${CONTAINERD_SOCKET}" \
  --node-ip="${NODE_IP}" --hostname-override="${NODE_NAME}" --root-dir="${STATE}/kubelet" --cert-dir="${STATE}/kubelet-pki"
sed -e "s|@STATE@|${STATE}|g" -e "s|@POD_CIDR@|${POD_CIDR}|g" -e "s|@NODE@|${NODE_NAME}|g" "${here}/node/kube-proxy.yaml" >"${STATE}/kube-proxy.yaml"
start kube-proxy "${bin}/kube-proxy" --config="${STATE}/kube-proxy.yaml"

start dnsmasq dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="${STATE}/dns/hosts" \
  --listen-address="${NODE_IP}" --bind-interfaces --local=/cluster.local/ --no-negcache --cache-size=0 \
  --pid-file="${STATE}/dns/dnsmasq.pid" --user=root
: >"${STATE}/dns/hosts"
awk -F, '$2 == "admin" { print $1 }' "${pki}/tokens.csv" >"${STATE}/dns/token"
start dns python3 "${here}/dns.py" "${STATE}/dns/token" "${pki}/ca.crt" "${STATE}/dns/hosts" "${STATE}/dns/dnsmasq.pid"
sed -e "s|@DNS@|${DNS_SERVICE_IP}|g" -e "s|@NODE_IP@|${NODE_IP}|g" "${here}/node/cluster-objects.yaml" | kubectl_node apply -f - >/dev/null

wait_for "node ${NODE_NAME} Ready" 120 kubectl_node wait --for=condition=Ready "node/${NODE_NAME}" --timeout=1s
{
  echo "image_build_seconds=${image_seconds}"
  echo "node_ready_seconds=$((SECONDS - node_started))"
  echo "up_seconds=$((SECONDS - started))"
} >"${STATE}/figures"
log "node Ready $((SECONDS - node_started)) s after the control plane started; up in $((SECONDS - started)) s"
echo "${STATE}/kubeconfig" >&3
